"""Compositing TOPs and the Common page from the command line: thread-count
independence at a size the kernels split, and scene errors."""
import hashlib

SCENE = """netcook: 1
resolution: [320, 240]
frames: 1-2
ops:
  noise1: {type: noiseTOP, par: {period: 40, mono: false, tz: {expr: "me.time.frame * 0.1"}}}
  disc: {type: constantTOP, par: {colorr: 1, colorg: 0.5, alpha: 0.5, multrgbbyalpha: 1, resolution: [100, 60]}}
  comp1: {type: compositeTOP, inputs: [disc, noise1], par: {operand: softlight, size: input2, prefit: fitbest}}
  comp2: {type: compositeTOP, inputs: [noise1, disc, comp1], par: {operand: hue, swaporder: 1}}
  over1: {type: overTOP, inputs: [disc, noise1], par: {size: input2, prefit: nativeres, justifyh: right, extend: mirror}}
  add1: {type: addTOP, inputs: [over1, comp2], par: {inputfiltertype: nearest}}
  multiply1: {type: multiplyTOP, inputs: [add1, noise1], par: {outputresolution: half, inputfiltertype: mipmap}}
  level1: {type: levelTOP, inputs: [multiply1], par: {outputresolution: fit, resolution: [500, 500], npasses: 2}}
  crop1: {type: cropTOP, inputs: [level1], par: {cropleft: -0.1, cropright: 0.8, extend: repeat}}
  switch1: {type: switchTOP, inputs: [crop1, noise1], par: {index: 0.3, blend: 1}}
  hsv1: {type: hsvadjustTOP, inputs: [switch1], par: {hueoffset: 200, saturationmult: 1.4, huerange: 60, huefalloff: 40}}
outputs:
  - {op: comp2, path: out/comp2.####.exr, bits: 32f}
  - {op: over1, path: out/over1.####.exr, bits: 32f}
  - {op: level1, path: out/level1.####.exr, bits: 32f}
  - {op: hsv1, path: out/hsv1.####.exr, bits: 32f}
"""


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_thread_count_does_not_change_bytes(netcook, write_scene, tmp_path):
    scene = write_scene(SCENE)
    assert netcook("render", scene, "--threads", "1", "--quiet").returncode == 0
    one = {p.name: digest(p) for p in (tmp_path / "out").iterdir()}
    (tmp_path / "out").rename(tmp_path / "out1")
    assert netcook("render", scene, "--threads", "2", "--quiet").returncode == 0
    two = {p.name: digest(p) for p in (tmp_path / "out").iterdir()}
    assert one == two and len(one) == 8


def test_bad_operand_and_missing_input_are_scene_errors(netcook, write_scene, tmp_path):
    scene = write_scene("netcook: 1\nops:\n  a: {type: constantTOP}\n"
                        "  c: {type: compositeTOP, inputs: [a], par: {operand: hardlite}}\n"
                        "  o: {type: overTOP, inputs: [a]}\n"
                        "  n: {type: nullTOP, inputs: [a], par: {outputresolution: double}}\n"
                        "outputs:\n  - {op: c, path: c.png}\n")
    r = netcook("render", scene, "--quiet")
    assert r.returncode == 2
    assert "did you mean 'hardlight'" in r.stderr
    assert "needs 2 inputs" in r.stderr
    assert "outputresolution" in r.stderr
    assert ":4:" in r.stderr and ":5:" in r.stderr  # FILE:LINE:COL of each
    assert not (tmp_path / "c.png").exists()
