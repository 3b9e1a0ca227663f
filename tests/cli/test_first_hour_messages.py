"""Issue 14, messages: what a new user trips over gets netcook's voice.
Python errors name FILE:LINE, scripts compile when the scene loads, code
that can never run is warned about."""
import re
import textwrap

import pytest


OUT = "outputs:\n  - {op: t1, path: out/f.####.png}\n"


def scene(ops, frames="1-2", outputs=""):
    body = textwrap.indent(textwrap.dedent(ops).strip("\n"), "  ")
    return f"netcook: 1\nfps: 60\nframes: {frames}\nresolution: [16, 8]\nops:\n{body}\n{outputs}"


def line_of(text, needle):
    return next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)


def error_lines(stderr):
    return [l for l in stderr.splitlines() if ": error: " in l]


# Item 1: runtime errors name FILE:LINE, suggest near names, name op() misses


def test_expression_error_names_file_line_parameter_and_missing_op(netcook, write_scene):
    text = scene("""
        noise1:
          type: noiseTOP
          par:
            period: {expr: "op('lfo2')['chan1']"}
        """, outputs="outputs:\n  - {op: noise1, path: out/f.####.png}\n")
    write_scene(text)
    r = netcook("render", "scene.yaml", "--quiet")
    assert r.returncode == 1, r
    [error] = error_lines(r.stderr)
    assert error.startswith(f"scene.yaml:{line_of(text, 'lfo2')}: error: TypeError: ")
    assert "op('lfo2') found no operator and returned None" in error
    assert "parameter 'period'" in error and "/project1/noise1" in error
    assert error.count("at frame 1") == 1
    assert "at frame 1" not in r.stderr.replace(error, "")  # said once


def test_attribute_error_on_netcook_classes_suggests_near_names(netcook, write_scene):
    text = scene("""
        s:
          type: textDAT
          run: frame
          text: |
            x = 1
            print(me.time.second)
        """)
    write_scene(text)
    r = netcook("render", "scene.yaml", "--no-write", "--quiet")
    assert r.returncode == 1, r
    [error] = error_lines(r.stderr)
    assert error.startswith(f"scene.yaml:{line_of(text, 'me.time.second')}: error: AttributeError:")
    assert "did you mean 'seconds'?" in error
    assert "the script in /project1/s at frame 1" in error
    assert "did you mean 'seconds'?" in r.stderr.split(error)[0]  # the traceback's last line too


def test_name_error_suggests_and_callback_errors_name_the_callbacks_line(netcook, write_scene):
    text = scene("""
        t1: {type: scriptTOP}
        t1_callbacks:
          type: textDAT
          text: |
            width = 3
            def onCook(scriptOp):
                print(widht)
        """, outputs=OUT)
    write_scene(text)
    r = netcook("render", "scene.yaml", "--quiet")
    assert r.returncode == 1, r
    [error] = error_lines(r.stderr)
    assert error.startswith(f"scene.yaml:{line_of(text, 'print(widht)')}: error: NameError:")
    assert "did you mean 'width'?" in error and "onCook() in /project1/t1_callbacks" in error


def test_opex_and_none_attribute_name_the_path(netcook, write_scene):
    write_scene(scene("""
        s:
          type: textDAT
          run: frame
          text: |
            print(op('nosuch').par.size)
        """))
    r = netcook("render", "scene.yaml", "--no-write", "--quiet")
    assert r.returncode == 1, r
    [error] = error_lines(r.stderr)
    assert "AttributeError: 'NoneType' object has no attribute 'par'" in error
    assert "op('nosuch') found no operator" in error


# Item 2: every script compiles when the scene loads


@pytest.mark.parametrize("entry, needle, column_of", [
    ("""
     s:
       type: textDAT
       run: frame
       text: |
         x = 1
         if x == 1
             print(x)
     """, "if x == 1", lambda l: len(l.rstrip()) + 1),
    ("""
     s: {type: textDAT, run: start, text: "print(1))"}
     """, "print(1))", lambda l: l.index("))") + 2),
    ("""
     t1: {type: scriptTOP}
     t1_callbacks:
       type: textDAT
       text: |
         def onCook(scriptOp):
             return (1 +
     """, "return (1 +", lambda l: l.index("(") + 1),
    ("""
     e1:
       type: executeDAT
       par: {framestart: true}
       text: |
         def onFrameStart(frame):
           print(frame
     """, "print(frame", lambda l: l.index("(") + 1),
])
def test_syntax_errors_are_scene_errors_before_anything_cooks(netcook, write_scene, tmp_path, entry, needle, column_of):
    ops = textwrap.dedent(entry).strip("\n") + "\nc: {type: constantTOP}\np: {type: textDAT, run: start, text: print(1)}\n"
    text = scene(ops, outputs="outputs:\n  - {op: c, path: out/f.####.png}\n")
    write_scene(text)
    r = netcook("render", "scene.yaml")
    assert r.returncode == 2, r
    line = line_of(text, needle)
    column = column_of(text.splitlines()[line - 1])
    [error] = r.stderr.splitlines()
    assert error.startswith(f"scene.yaml:{line}:{column}: error: Python syntax error in the text of "), error
    assert "Traceback" not in r.stderr and "ast.py" not in r.stderr
    assert r.stdout == "" and not (tmp_path / "out").exists()


def test_every_syntax_error_is_reported_at_once(netcook, write_scene):
    write_scene(scene("""
        a: {type: textDAT, run: frame, text: "x ="}
        b: {type: textDAT, run: frame, text: "y = (("}
        data: {type: textDAT, text: "not python at all ((("}
        """))
    r = netcook("render", "scene.yaml", "--no-write")
    assert r.returncode == 2, r
    errors = error_lines(r.stderr)
    assert len(errors) == 2  # the data DAT never runs: it is not code
    assert "/project1/a" in errors[0] and "/project1/b" in errors[1]


# Item 3: copyNumpyArray says what it got


def test_copy_numpy_array_names_the_shape_it_got(netcook, write_scene):
    write_scene(scene("""
        t1: {type: scriptTOP}
        t1_callbacks:
          type: textDAT
          text: |
            import numpy as np
            def onCook(scriptOp):
                scriptOp.copyNumpyArray(np.zeros((4, 4, 5), dtype=np.float32))
        """, outputs=OUT))
    r = netcook("render", "scene.yaml", "--quiet")
    assert r.returncode == 1, r
    [error] = error_lines(r.stderr)
    assert "got shape (4, 4, 5)" in error and "1 to 4 channels" in error
    assert r.stderr.count("frame 1") == 1


# Item 8: an Execute DAT with every callback off says so


def test_execute_dat_with_no_callback_on_warns_at_load(netcook, write_scene):
    text = scene("""
        exec1:
          type: executeDAT
          text: |
            def onFrameStart(frame):
                print('never')
        exec2:
          type: executeDAT
          par: {framestart: true}
          text: |
            def onFrameStart(frame):
                print('fs', frame)
        """, frames="1")
    write_scene(text)
    r = netcook("render", "scene.yaml", "--no-write", "--quiet")
    assert r.returncode == 0, r
    assert r.stdout == "fs 1\n"
    warnings = [l for l in r.stderr.splitlines() if "warning:" in l]
    assert warnings == [
        f"scene.yaml:{line_of(text, 'exec1:')}:3: warning: executeDAT 'exec1' has callbacks but none of "
        "start, framestart or frameend is on, so none of them runs (switch one on: par: {framestart: true})"
    ]


# Item 4: an unwritable output names the final file and the reason


@pytest.mark.parametrize("extension", ["png", "exr", "tif"])
def test_unwritable_output_names_the_file_and_the_reason(netcook, write_scene, tmp_path, extension):
    write_scene(scene("c: {type: constantTOP}", frames="1-2"))
    (tmp_path / "afile").write_text("a file where a folder should be")
    r = netcook("render", "scene.yaml", "-q", "-o", f"afile/f.####.{extension}")
    assert r.returncode == 1, r
    # Two writer threads encode frames 1 and 2 at once: either may fail first.
    assert re.fullmatch(rf"netcook: error: cannot write afile/f\.000[12]\.{extension}: Not a directory", r.stderr.strip()), r
    assert ".tmp" not in r.stderr
