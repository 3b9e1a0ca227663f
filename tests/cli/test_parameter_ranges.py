"""Parameter ranges are enforced the same way however a value arrives (scene,
--set, expression, script), and every output size has one limit."""

SCENE = """\
netcook: 1
resolution: [16, 16]
ops:
  noise1: {type: noiseTOP}
  blur1: {type: blurTOP, inputs: [noise1], par: {size: %s}}
outputs:
  - op: blur1
    path: out/f.####.png
"""


def info_line(netcook, scene, *args):
    r = netcook("info", scene, *args)
    assert r.returncode == 0, r
    return next(line.strip() for line in r.stdout.splitlines() if line.strip().startswith("size ="))


def test_blur_size_is_clamped_from_the_scene_set_and_expressions(netcook, write_scene):
    assert info_line(netcook, write_scene(SCENE % "5000")) == "size = 2048"
    assert info_line(netcook, write_scene(SCENE % "3"), "--set", "blur1.size=4096") == "size = 2048"
    assert info_line(netcook, write_scene(SCENE % "3"), "--set", "blur1.size=-1") == "size = 0"
    assert info_line(netcook, write_scene(SCENE % '{expr: "4096"}')) == "size = 2048    [expr: 4096]"


SCRIPT_SCENE = """\
netcook: 1
resolution: [16, 16]
ops:
  noise1: {type: noiseTOP}
  blur1: {type: blurTOP, inputs: [noise1], par: {size: 3}}
  script1:
    type: textDAT
    run: start
    text: |
      op('blur1').par.size = 4096
      print('size', op('blur1').par.size.eval(), op('blur1').par.size.val)
outputs:
  - op: blur1
    path: out/f.####.png
"""


def test_blur_size_is_clamped_when_a_script_sets_it(netcook, write_scene):
    r = netcook("render", write_scene(SCRIPT_SCENE), "--quiet")
    assert r.returncode == 0, r
    assert "size 2048.0 2048.0" in r.stdout


def test_output_size_beyond_the_limit_is_a_cook_error(netcook, write_scene):
    # A generator size is checked when the scene loads; what a filter makes of
    # it (a transform's 8x) only shows when it cooks.
    scene = write_scene(SCENE % "3")
    r = netcook("render", scene, "--set", "noise1.resolutionw=40000", "--quiet")
    assert r.returncode == 2 and "whole numbers from 1 to 32768, not 40000" in r.stderr, r
    grow = write_scene(SCENE.replace("op: blur1", "op: grow").replace(
        "  blur1:", "  grow: {type: transformTOP, inputs: noise1, par: {outputresolution: 8x}}\n  blur1:") % "3",
        name="grow.yaml")
    r = netcook("render", grow, "--set", "noise1.resolutionw=4097", "--quiet", "--frames", "1")
    assert r.returncode == 1, r
    assert "/project1/grow at frame 1: output size 32776 x 128 exceeds the limit of 32768 pixels per side" in r.stderr
