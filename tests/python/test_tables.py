"""Table DAT: the scene's `table:` key, CSV/TSV files, TouchDesigner's table
API from scripts and from `import netcook`, DAT to CHOP / CHOP to DAT, and
scene errors for bad tables."""
import os
import pathlib
import sys
import textwrap

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402


def scene(ops, frames="1-3"):
    return f"netcook: 1\nframes: {frames}\nresolution: [8, 4]\nops:\n" + textwrap.indent(
        textwrap.dedent(ops).strip("\n"), "  ") + "\n"


# The table of TouchDesigner's Table DAT examples: a header row, labels in
# the first column.
TABLE = """
table1:
  type: tableDAT
  table:
    - [name, value, unit]
    - [speed, 5, m/s]
    - [size, 2.5, m]
    - [on, true, ~]
"""


def session(ops, **kw):
    return netcook.Session.from_string(scene(ops, **kw), "scene.yaml")


def test_scene_table_cells_as_written():
    with session(TABLE) as s:
        t = s.op("table1")
        assert t.isTable
        assert (t.numRows, t.numCols) == (4, 3)
        assert t.rows(val=True) == [["name", "value", "unit"], ["speed", "5", "m/s"], ["size", "2.5", "m"],
                                    ["on", "true", ""]]
        assert t.text == "name\tvalue\tunit\nspeed\t5\tm/s\nsize\t2.5\tm\non\ttrue\t\n"


def test_cells_by_index_and_label():
    with session(TABLE) as s:
        t = s.op("table1")
        assert t[1, 0].val == "speed"
        assert t["speed", 1].val == "5"
        assert t["speed", "value"].val == "5"
        assert t[2, "unit"].val == "m"
        c = t["size", "value"]
        assert (c.row, c.col) == (2, 1)
        assert t[9, 0] is None and t["nope", 0] is None and t[0, "nope"] is None and t[-1, 0] is None
        assert t.cell("SPEED", "Value", caseSensitive=False).val == "5"
        assert t.cell("SPEED", "value") is None
        # Cells act as their value: numbers when the text is one.
        assert t["speed", "value"] + 1 == 6
        assert float(t["size", "value"]) == 2.5 and int(t["speed", "value"]) == 5
        assert t["speed", "unit"] == "m/s" and str(t["speed", "unit"]) == "m/s"
        assert t["speed", "value"] == "5" and t["speed", "value"] > 4
        assert t["speed", "value"].offset(1, 0).val == "2.5"


def test_rows_cols_row_col():
    with session(TABLE) as s:
        t = s.op("table1")
        assert [c.val for c in t.row("speed")] == ["speed", "5", "m/s"]
        assert [c.val for c in t.row(2)] == ["size", "2.5", "m"]
        assert t.row("missing") is None
        assert [c.val for c in t.col("value")] == ["value", "5", "2.5", "true"]
        assert [c.val for c in t.col(2)] == ["unit", "m/s", "m", ""]
        assert [[c.val for c in r] for r in t.rows("speed", "size")] == [["speed", "5", "m/s"], ["size", "2.5", "m"]]
        assert len(t.rows()) == 4 and len(t.cols()) == 3
        assert t.cols("unit", val=True) == [["unit", "m/s", "m", ""]]


def test_edits_append_insert_delete_clear():
    with session(TABLE) as s:
        t = s.op("table1")
        assert t.appendRow(["gain", 3]) == 4
        assert t.rows(val=True)[4] == ["gain", "3", ""]  # short rows padded
        assert t.appendRow(["wide", 1, 2, 3]) == 5
        assert t.numCols == 4 and t.rows(val=True)[0] == ["name", "value", "unit", ""]
        assert t.insertRow(["first"], 1) == 1
        assert t[1, 0].val == "first" and t[2, 0].val == "speed"
        assert t.appendRow(["after_speed"], "speed") == 3
        t.deleteRow("first")
        t.deleteRow(2)  # after_speed
        assert t.col(0, caseSensitive=True)[1].val == "speed" and t[2, 0].val == "size"
        assert t.appendCol(["extra", "a", "b"]) == 4
        assert t.cols(4, val=True) == [["extra", "a", "b", "", "", ""]]
        t.insertCol(["zero"], 0)
        assert t[0, 0].val == "zero" and t[0, 1].val == "name"
        t.deleteCol("zero")
        t["speed", "value"] = 7
        assert t["speed", "value"].val == "7"
        t["size", "value"].val = 0.25
        assert t["size", 1].val == "0.25"
        t[6, 5] = "grown"  # an index past the end grows the table
        assert (t.numRows, t.numCols) == (7, 6)
        with pytest.raises(IndexError):
            t["nope", 0] = 1
        with pytest.raises(IndexError):
            t.deleteRow("nope")
        t.replaceRow("speed", ["speed", 9])
        assert t.row("speed")[1].val == "9" and t.row("speed")[2].val == ""
        assert t.findCell("gro*").row == 6
        t.clear(keepFirstRow=True)
        assert t.numRows == 1 and t[0, 1].val == "value"
        t.clear()
        assert (t.numRows, t.numCols) == (0, 0)
        t.setSize(2, 3)
        assert t.rows(val=True) == [["", "", ""], ["", "", ""]]


def test_script_edits_seen_downstream_in_the_same_frame_and_kept(render):
    r = render(scene(TABLE + textwrap.dedent("""
        datto1: {type: dattoCHOP, par: {dat: table1, firstcolumn: names}}
        script1:
          type: textDAT
          run: frame
          text: |
            t = op('table1')
            t['speed', 'value'] = int(t['speed', 'value']) + 10
            print(int(me.time.frame), op('datto1')['value'][0], t.numRows)
        """), frames="1-3"))
    assert r.returncode == 0, r
    # +10 per frame: the edits stay from frame to frame, and the DAT to CHOP
    # cooked after the write sees it at once.
    assert r.stdout.split("\n")[:3] == ["1 15.0 4", "2 25.0 4", "3 35.0 4"]


def test_table_edits_are_state_a_late_start_equals_a_full_render():
    ops = TABLE + textwrap.dedent("""
        script1:
          type: textDAT
          run: frame
          text: |
            op('table1').appendRow([int(me.time.frame)])
        """)
    with session(ops, frames="1-6") as s:
        s.cook(5)
        assert s.op("table1").numRows == 9
        s.cook(2)  # starting over restores the scene's table
        assert s.op("table1").numRows == 6
        snap = s.snapshot()
        with session(ops, frames="1-6") as t:
            t.restore(snap)
            t.cook(3)
            assert t.op("table1").rows(val=True)[-3:] == [["1", "", ""], ["2", "", ""], ["3", "", ""]]


def test_csv_and_tsv_files(tmp_path):
    (tmp_path / "data.csv").write_text('name,value\n"a, b",1\n"say ""hi""",2\r\nmulti,"line\nbreak"\nlast,3')
    (tmp_path / "data.tsv").write_text("x\ty\n1\t2\n3\n")
    text = scene("""
        csv1: {type: tableDAT, file: data.csv}
        tsv1: {type: tableDAT, file: data.tsv}
        txt1:
          type: tableDAT
          text: "p\\tq\\n1\\t2"
        """)
    (tmp_path / "scene.yaml").write_text(text)
    with netcook.Session(str(tmp_path / "scene.yaml")) as s:
        assert s.op("csv1").rows(val=True) == [["name", "value"], ["a, b", "1"], ['say "hi"', "2"],
                                               ["multi", "line\nbreak"], ["last", "3"]]
        assert s.op("tsv1").rows(val=True) == [["x", "y"], ["1", "2"], ["3", ""]]
        assert s.op("txt1").rows(val=True) == [["p", "q"], ["1", "2"]]
        # dat.text = ... on a table DAT reads tab-separated rows.
        s.op("txt1").text = "a\tb\tc\n"
        assert s.op("txt1").rows(val=True) == [["a", "b", "c"]]


def test_ramp_reads_keys_from_a_table_dat():
    with session("""
        keys:
          type: tableDAT
          table:
            - [pos, r, g, b, a]
            - [0, 0, 0, 0, 1]
            - [1, 1, 0.5, 0.25, 1]
        ramp1: {type: rampTOP, par: {dat: keys, type: horizontal, resolution: [5, 1]}}
        """) as s:
        img = np.asarray(s.cook(1)["ramp1"])
        assert img.shape == (1, 5, 4)
        assert img[0, 0, 0] == pytest.approx(0, abs=0.15) and img[0, -1, 0] == pytest.approx(1, abs=0.15)
        assert img[0, -1, 1] == pytest.approx(0.5, abs=0.1)


def test_datto_chop_channel_per_column_and_row():
    ops = """
        t:
          type: tableDAT
          table:
            - [x, y]
            - [1, 10]
            - [2, 20]
            - [3, word]
        percol: {type: dattoCHOP, par: {dat: t}}
        perrow: {type: dattoCHOP, par: {dat: t, output: chanperrow, firstrow: values, firstcolumn: names}}
        noheader: {type: dattoCHOP, par: {dat: t, firstrow: values}}
        """
    with session(ops) as s:
        f = s.cook(1, ops=["percol", "perrow", "noheader"])
        assert list(f["percol"]) == ["x", "y"]
        np.testing.assert_array_equal(f["percol"]["x"], [1, 2, 3])
        np.testing.assert_array_equal(f["percol"]["y"], [10, 20, 0])  # not a number: 0
        assert list(f["perrow"]) == ["x", "1", "2", "3"]
        assert f["perrow"]["2"] == 20
        assert list(f["noheader"]) == ["chan1", "chan2"]
        np.testing.assert_array_equal(f["noheader"]["chan1"], [0, 1, 2, 3])


def test_chop_to_dat_and_back_round_trip():
    ops = """
        t:
          type: tableDAT
          table:
            - [a, b, c]
            - [0.5, -1, 0.1]
            - [2, 1e-3, 7.25]
        datto1: {type: dattoCHOP, par: {dat: t}}
        rows1: {type: choptoDAT, par: {chop: datto1}}
        cols1: {type: choptoDAT, par: {chop: datto1, output: colperchan}}
        back1: {type: dattoCHOP, par: {dat: cols1}}
        latest1: {type: choptoDAT, par: {chop: datto1, latestsample: true, names: false}}
        """
    with session(ops) as s:
        assert s.op("rows1").rows(val=True) == [["a", "0.5", "2"], ["b", "-1", "0.001"], ["c", "0.1", "7.25"]]
        assert s.op("cols1").rows(val=True) == [["a", "b", "c"], ["0.5", "-1", "0.1"], ["2", "0.001", "7.25"]]
        f = s.cook(1, ops=["datto1", "back1"])
        for name in "abc":
            np.testing.assert_array_equal(f["datto1"][name], f["back1"][name])
        assert s.op("latest1").rows(val=True) == [["2"], ["0.001"], ["7.25"]]


def test_chop_to_dat_of_a_one_sample_chop():
    with session("""
        const1: {type: constantCHOP, par: {const0name: speed, const0value: 1.5, const1name: gain, const1value: 2}}
        out1: {type: choptoDAT, par: {chop: const1}}
        """) as s:
        assert s.op("out1").rows(val=True) == [["speed", "1.5"], ["gain", "2"]]


def errors(render, text, tmp_path=None):
    r = render(text)
    assert r.returncode == 2, r
    return r.stderr


def test_bad_tables_are_scene_errors_with_line_and_column(render, tmp_path):
    bad = scene("""
        t1: {type: tableDAT, table: {a: 1}}
        t2:
          type: tableDAT
          table:
            - [ok, {no: 1}]
            - [fine]
        t3: {type: tableDAT, tabel: [[1]]}
        t4: {type: textDAT, table: [[1]]}
        t5: {type: tableDAT, table: [[1]], text: "x"}
        """)
    err = errors(render, bad)
    assert "scene.yaml:5:31: error: table must be a list of rows (each a list of cells), not a mapping" in err
    assert "scene.yaml:9:14: error: a table cell must be a number, string or boolean, not a mapping" in err
    assert "scene.yaml:11:24: error: unknown key 'tabel' for tableDAT 't3'; did you mean 'table'?" in err
    assert "scene.yaml:12:23: error: 'table' is only allowed on a tableDAT; 't4' is a textDAT" in err
    assert "scene.yaml:13:38: error: a tableDAT takes one of table:, text: or file:, not several" in err


def test_bad_csv_file_points_into_the_file(render, tmp_path):
    (tmp_path / "bad.csv").write_text('a,b\n1,"open\n2,3\n')
    err = errors(render, scene("t: {type: tableDAT, file: bad.csv}"))
    assert "bad.csv:2:3: error: table: the quoted cell that starts here is never closed" in err
    (tmp_path / "bad2.csv").write_text('a,"b"x\n')
    err = errors(render, scene("t: {type: tableDAT, file: bad2.csv}"))
    assert "bad2.csv:1:6: error: table: a quoted cell must end at a comma or the end of the line" in err
