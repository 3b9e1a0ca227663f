"""CHOPs through the embedded Python API: op('lfo1')['chan1'], Math range
mapping, channel arithmetic, errors, and pre-roll of stateful CHOPs."""
import math
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NETCOOK = os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))


def render(tmp_path, scene_text, *args):
    scene = tmp_path / "scene.yaml"
    scene.write_text(scene_text)
    proc = subprocess.run(
        [NETCOOK, "render", str(scene), "--no-write", "--quiet", *args],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc


def scene(script, frames="1-8", fps=60, extra_ops=""):
    body = "\n".join("      " + line for line in script.strip().splitlines())
    return f"""\
netcook: 1
fps: {fps}
frames: {frames}
ops:
  lfo1:
    type: lfoCHOP
    par: {{wavetype: sin, frequency: 0.5}}
  math1:
    type: mathCHOP
    inputs: [lfo1]
    par: {{fromrange1: -1, fromrange2: 1, torange1: 0, torange2: 1}}
{extra_ops}  script1:
    type: textDAT
    run: frame
    text: |
{body}
"""


def parse(stdout):
    """Lines of 'frame value value ...' -> {frame: [values]}."""
    out = {}
    for line in stdout.splitlines():
        parts = line.split()
        out[int(float(parts[0]))] = [float(p) for p in parts[1:]]
    return out


def test_math_maps_lfo_to_zero_one(tmp_path):
    r = render(tmp_path, scene("print(int(me.time.frame), repr(op('math1')[0].eval()), repr(float(op('lfo1')['chan1'])))",
                               frames="1-40"))
    assert r.returncode == 0, r.stderr
    rows = parse(r.stdout)
    assert sorted(rows) == list(range(1, 41))
    for frame, (m, l) in rows.items():
        t = (frame - 1) / 60
        assert m == pytest.approx((math.sin(2 * math.pi * 0.5 * t) + 1) / 2, abs=1e-6)
        assert l == pytest.approx(math.sin(2 * math.pi * 0.5 * t), abs=1e-6)
    assert rows[1] == [0.5, 0.0]


def test_chop_and_channel_api(tmp_path):
    script = """
l = op('lfo1')
c = l['chan1']
assert c is not None and c.name == 'chan1' and c.index == 0 and c.owner.path == '/project1/lfo1'
assert l.numChans == 1 and l.numSamples == 1 and len(l) == 1 and len(c) == 1
assert l.rate == 60 and l.start == me.time.frame - 1 and l.end == l.start
assert [ch.name for ch in l] == ['chan1'] and [ch.name for ch in l.chans()] == ['chan1']
assert l.chan('ch*').name == 'chan1' and l.chan('nosuch') is None and l.chans('x*') == []
assert l.chan('CHAN1', caseSensitive=False).name == 'chan1'
assert l[0].name == 'chan1' and l[-1].name == 'chan1'
v = c.eval()
assert c.eval(0) == v and c[0] == v and c[-1] == v and c.vals == [v]
assert c.average() == v and c.min() == v and c.max() == v
assert l.numpyArray().shape == (1, 1) and str(l.numpyArray().dtype) == 'float32'
assert c.numpyArray().shape == (1,) and float(c.numpyArray()[0]) == v
# A channel casts to its value, from either side.
assert c * 2 == v * 2 and 2 * c == 2 * v and c + 1 == v + 1 and 1 - c == 1 - v and c / 2 == v / 2
assert -c == -v and abs(c) == abs(v) and float(c) == v and int(c) == int(v)
assert (c < 2) and (c >= -1) and c == v and (c != v + 1)
assert f"{c:.4f}" == f"{v:.4f}" and str(c) == str(v)
assert op('math1').par.gain * c == v
assert c + c == 2 * v
print(int(me.time.frame), repr(v), repr(op('lfo1')['chan1'] * 2))
"""
    r = render(tmp_path, scene(script, frames="1-5"))
    assert r.returncode == 0, r.stderr
    rows = parse(r.stdout)
    for frame, (v, doubled) in rows.items():
        assert doubled == pytest.approx(2 * v)
        assert v == pytest.approx(math.sin(math.pi * (frame - 1) / 60), abs=1e-6)


def test_unknown_channel_name_suggests(tmp_path):
    r = render(tmp_path, scene("print(op('lfo1')['chan2'])", frames="1"))
    assert r.returncode == 1
    assert "KeyError" in r.stderr
    assert "/project1/lfo1 (lfoCHOP) has no channel 'chan2'" in r.stderr
    assert "did you mean 'chan1'" in r.stderr


def test_channel_index_out_of_range(tmp_path):
    r = render(tmp_path, scene("print(op('lfo1')[3])", frames="1"))
    assert r.returncode == 1
    assert "IndexError" in r.stderr and "channel index 3 out of range" in r.stderr


def test_late_range_pre_rolls_lfo_and_timer(tmp_path):
    extra = """\
  lfo2:
    type: lfoCHOP
    par:
      wavetype: tri
      frequency: {expr: "0.5 + me.time.frame / 100"}
  timer1:
    type: timerCHOP
    par: {length: 0.1, cycle: true, speed: 0.7}
"""
    script = ("print(int(me.time.frame), repr(op('lfo1')['chan1'].eval()), repr(op('lfo2')[0].eval()), "
              "repr(op('timer1')['timer_fraction'].eval()))")
    full = render(tmp_path, scene(script, frames="1-8", extra_ops=extra))
    assert full.returncode == 0, full.stderr
    part = render(tmp_path, scene(script, frames="1-8", extra_ops=extra), "--frames", "5-8")
    assert part.returncode == 0, part.stderr
    full_rows, part_rows = parse(full.stdout), parse(part.stdout)
    assert sorted(full_rows) == list(range(1, 9))
    assert sorted(part_rows) == [5, 6, 7, 8]  # pre-roll frames print nothing
    for f in range(5, 9):
        assert part_rows[f] == full_rows[f]  # bit-identical values


def test_constant_old_and_new_names(tmp_path):
    extra = """\
  constant1:
    type: constantCHOP
    par: {const0name: index, name1: speed, value1: 2.5, const2name: tz, value2: -1}
"""
    script = """
c = op('constant1')
print(int(me.time.frame), c.numChans, c['index'], c['speed'], c['tz'], c.par.name1.eval() == 'speed')
"""
    r = render(tmp_path, scene(script, frames="1", extra_ops=extra))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "3", "0.0", "2.5", "-1.0", "True"]


def test_merge_select_null(tmp_path):
    extra = """\
  noise1: {type: noiseCHOP, par: {channelname: n}}
  merge1: {type: mergeCHOP, inputs: [lfo1, math1, noise1]}
  select1: {type: selectCHOP, inputs: [merge1], par: {channames: "n chan*", renamefrom: "chan*", renameto: "c*"}}
  null1: {type: nullCHOP, inputs: [select1]}
"""
    script = """
print(int(me.time.frame), ' '.join(ch.name for ch in op('merge1')), '|', ' '.join(ch.name for ch in op('null1')))
n = op('null1')
assert n['n'] == op('noise1')['n'] and n[1] == op('lfo1')[0] and n[2] == op('math1')[0]
"""
    r = render(tmp_path, scene(script, frames="1-3", extra_ops=extra))
    assert r.returncode == 0, r.stderr
    for line in r.stdout.splitlines():
        assert line.split(maxsplit=1)[1] == "chan1 chan1 n | n c1 c1"


def test_select_chop_reads_the_referenced_chop(tmp_path):
    extra = """\
  select1: {type: selectCHOP, par: {chop: lfo1}}
  select2: {type: selectCHOP, par: {chop: nosuch}}
"""
    r = render(tmp_path, scene("print(op('select1')[0].eval() == op('lfo1')[0].eval(), op('select1').numChans)",
                               frames="1-4", extra_ops=extra))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["True 1"] * 4
    r = render(tmp_path, scene("print(op('select2').numChans)", frames="1", extra_ops=extra))
    assert r.returncode == 1
    assert "/project1/select2" in r.stderr and "chop 'nosuch' is not a CHOP" in r.stderr


def test_channel_as_parameter_expression(tmp_path):
    extra = """\
  constant1: {type: constantTOP}
  level1:
    type: levelTOP
    inputs: [constant1]
    par: {brightness1: {expr: "op('math1')['chan1']"}}
"""
    script = "print(int(me.time.frame), repr(op('level1').par.brightness1.eval()))"
    r = render(tmp_path, scene(script, frames="1-4", extra_ops=extra))
    assert r.returncode == 0, r.stderr
    for frame, (v,) in parse(r.stdout).items():
        assert v == pytest.approx((math.sin(math.pi * (frame - 1) / 60) + 1) / 2, abs=1e-6)
