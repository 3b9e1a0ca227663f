"""End-to-end: render small scenes through the CLI and check the files."""
import hashlib

import numpy as np
import OpenImageIO as oiio
import pytest

THREE_OPS = """\
netcook: 1
fps: 24
frames: 1-8
resolution: [64, 48]
ops:
  noise1:
    type: noiseTOP
    par:
      type: harmonic
      period: 16
      tz: {expr: "me.time.seconds"}
  blur1: {type: blurTOP, inputs: [noise1], par: {size: 3}}
  level1: {type: levelTOP, inputs: [blur1], par: {brightness1: 0.1}}
outputs:
  - op: level1
    path: out/frame.####.png
"""


def read(path):
    inp = oiio.ImageInput.open(str(path))
    assert inp, oiio.geterror()
    spec = inp.spec()
    pixels = inp.read_image(oiio.FLOAT)
    inp.close()
    return spec, pixels


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_png_sequence_sizes_depth_and_numbering(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS)
    r = netcook("render", scene, "--quiet")
    assert r.returncode == 0, r
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [f"frame.{i:04d}.png" for i in range(1, 9)]
    spec, pixels = read(tmp_path / "out" / "frame.0001.png")
    assert (spec.width, spec.height, spec.nchannels) == (64, 48, 4)
    assert spec.format == oiio.UINT8
    assert pixels.shape == (48, 64, 4)
    assert 0.2 < pixels[..., 0].mean() < 0.9  # noise around 0.5 + brightness 0.1
    assert np.all(pixels[..., 3] == 1.0)


@pytest.mark.parametrize(
    "path,bits,fmt",
    [
        ("out/f.####.exr", None, oiio.HALF),
        ("out/f.####.exr", "32f", oiio.FLOAT),
        ("out/f.####.png", 16, oiio.UINT16),
        ("out/f.####.tif", 16, oiio.UINT16),
        ("out/f.%04d.tif", "32f", oiio.FLOAT),
        ("out/f.####.jpg", None, oiio.UINT8),
    ],
)
def test_formats_and_bit_depths(netcook, write_scene, tmp_path, path, bits, fmt):
    extra = f"\n    bits: {bits}" if bits is not None else ""
    scene = write_scene(THREE_OPS.replace("    path: out/frame.####.png", f"    path: {path}{extra}"))
    r = netcook("render", scene, "--frames", "2-3", "--quiet")
    assert r.returncode == 0, r
    first = tmp_path / path.replace("####", "0002").replace("%04d", "0002")
    spec, pixels = read(first)
    assert (spec.width, spec.height) == (64, 48)
    assert spec.format == fmt
    assert spec.nchannels == (3 if path.endswith(".jpg") else 4)
    assert (tmp_path / path.replace("####", "0003").replace("%04d", "0003")).exists()
    assert not (tmp_path / path.replace("####", "0001").replace("%04d", "0001")).exists()


def test_exr_keeps_float_values(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS.replace("brightness1: 0.1", "brightness1: 2.5"))
    r = netcook("render", scene, "--frames", "1", "--out", "o.exr", "--quiet")
    assert r.returncode == 0, r
    _, pixels = read(tmp_path / "o.exr")
    assert pixels[..., 0].min() > 1.0  # beyond 1: not clamped in float formats


def test_set_overrides_a_parameter(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS)
    assert netcook("render", scene, "--frames", "1", "--out", "a.exr", "--quiet").returncode == 0
    r = netcook("render", scene, "--frames", "1", "--out", "b.exr", "--set", "level1.brightness1=0.6", "--quiet")
    assert r.returncode == 0, r
    _, a = read(tmp_path / "a.exr")
    _, b = read(tmp_path / "b.exr")
    assert np.allclose(b[..., :3] - a[..., :3], 0.5, atol=2e-3)


def test_set_accepts_tutorial_alias_and_menu(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS)
    r = netcook("render", scene, "--frames", "1", "--out", "a.png", "--quiet",
                "--set", "level1.brightness=0.2", "--set", "blur1.filtertype=gauss")
    assert r.returncode == 0, r


def test_bad_set_is_a_clear_error(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS)
    r = netcook("render", scene, "--set", "blur1.siz=3")
    assert r.returncode == 2
    assert "did you mean 'size'" in r.stderr
    assert not (tmp_path / "out").exists()


def test_partial_range_equals_full_render(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS.replace("out/frame", "full/frame"))
    assert netcook("render", scene, "--quiet").returncode == 0
    scene2 = write_scene(THREE_OPS.replace("out/frame", "part/frame"), name="scene2.yaml")
    assert netcook("render", scene2, "--frames", "5-8", "--quiet").returncode == 0
    assert sorted(p.name for p in (tmp_path / "part").iterdir()) == [f"frame.{i:04d}.png" for i in range(5, 9)]
    for i in range(5, 9):
        assert digest(tmp_path / "full" / f"frame.{i:04d}.png") == digest(tmp_path / "part" / f"frame.{i:04d}.png")


def test_thread_count_does_not_change_bytes(netcook, write_scene, tmp_path):
    # Large enough that the kernels split it between two threads.
    scene = write_scene(THREE_OPS.replace("out/frame.####.png", "out/frame.####.exr\n    bits: 32f")
                        .replace("resolution: [64, 48]", "resolution: [320, 240]"))
    r1 = netcook("render", scene, "--threads", "1", "--quiet")
    assert r1.returncode == 0, r1
    one = {p.name: digest(p) for p in (tmp_path / "out").iterdir()}
    (tmp_path / "out").rename(tmp_path / "out1")
    r2 = netcook("render", scene, "--threads", "2", "--quiet")
    assert r2.returncode == 0, r2
    two = {p.name: digest(p) for p in (tmp_path / "out").iterdir()}
    assert one == two and len(one) == 8


def test_frame_step(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS)
    assert netcook("render", scene, "--frames", "1-7x3", "--quiet").returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["frame.0001.png", "frame.0004.png", "frame.0007.png"]


def test_no_temporary_files_left(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS)
    assert netcook("render", scene, "--quiet").returncode == 0
    assert all(not p.name.startswith(".") for p in (tmp_path / "out").iterdir())


def test_messages_go_to_stderr_and_quiet_silences_them(netcook, write_scene):
    scene = write_scene(THREE_OPS)
    loud = netcook("render", scene, "--frames", "1")
    assert loud.returncode == 0 and loud.stdout == "" and "frame" in loud.stderr
    quiet = netcook("render", scene, "--frames", "1", "--quiet")
    assert quiet.stdout == "" and quiet.stderr == ""


def test_unwritable_output_exits_1(netcook, write_scene, tmp_path):
    (tmp_path / "blocker").write_text("a file, not a folder")
    scene = write_scene(THREE_OPS.replace("out/frame", "blocker/frame"))
    r = netcook("render", scene, "--quiet")
    assert r.returncode == 1
    assert "cannot write" in r.stderr


def test_expression_runtime_error_exits_1_naming_op_par_frame(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS.replace('{expr: "me.time.seconds"}', '{expr: "1 / (me.time.frame - 3)"}'))
    r = netcook("render", scene, "--quiet")
    assert r.returncode == 1
    assert "/project1/noise1" in r.stderr and "'tz'" in r.stderr and "frame 3" in r.stderr
    assert "ZeroDivisionError" in r.stderr
    # frames before the failure are complete files
    assert (tmp_path / "out" / "frame.0002.png").exists()


def test_video_output(netcook, write_scene, tmp_path):
    scene = write_scene(THREE_OPS.replace("out/frame.####.png", "out/movie.mp4"))
    r = netcook("render", scene, "--quiet")
    assert r.returncode == 0, r
    movie = tmp_path / "out" / "movie.mp4"
    assert movie.exists() and movie.stat().st_size > 0


def test_info_prints_tree_and_values(netcook, write_scene):
    scene = write_scene(THREE_OPS)
    r = netcook("info", scene, "--frame", "25")
    assert r.returncode == 0, r
    assert "noise1  (noiseTOP)" in r.stdout
    assert "blur1  (blurTOP)  inputs: /project1/noise1" in r.stdout
    assert "tz = 1    [expr: me.time.seconds]" in r.stdout  # frame 25 at 24 fps is 1 s


def test_ops_lists_registry(netcook):
    r = netcook("ops")
    assert r.returncode == 0
    for name in ["noiseTOP", "blurTOP", "levelTOP", "constantTOP", "nullTOP", "containerCOMP", "baseCOMP"]:
        assert name in r.stdout
    r = netcook("ops", "blurTOP")
    assert "size" in r.stdout and "gaussian | box" in r.stdout
    r = netcook("ops", "blurTop")
    assert r.returncode == 2 and "did you mean 'blurTOP'" in r.stderr


def test_version_and_help(netcook):
    r = netcook("--version")
    assert r.returncode == 0 and "netcook" in r.stdout and "SIMD target" in r.stdout
    r = netcook("--help")
    assert r.returncode == 0 and "Examples" in r.stdout
