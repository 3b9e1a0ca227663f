"""`import netcook`: sessions from /usr/bin/python3, equal to `netcook render`.

The package is imported from the build tree (build/python, or NETCOOK_PYTHONPATH).
"""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402
OpenImageIO = pytest.importorskip("OpenImageIO")

SCENE_A = """netcook: 1
resolution: [48, 32]
frames: 1-6
ops:
  lfo1: {type: lfoCHOP, par: {frequency: 0.7}}
  noise1: {type: noiseTOP, par: {period: 9, tz: {expr: "op('lfo1')['chan1'] * 3"}}}
  blur1: {type: blurTOP, inputs: noise1, par: {size: 2}}
  out1: {type: nullTOP, inputs: blur1}
outputs:
  - {op: out1, path: a/f.####.exr, bits: 32}
"""

SCENE_B = """netcook: 1
resolution: [40, 24]
frames: 1-6
ops:
  counter: {type: textDAT, text: "count = 0"}
  step:
    type: textDAT
    run: frame
    text: |
      m = mod.counter
      m.count += 1
      op('const1').par.colorr = m.count / 10
  const1: {type: constantTOP}
  level1: {type: levelTOP, inputs: const1, par: {brightness1: 0.25}}
outputs:
  - {op: level1, path: b/f.####.exr, bits: 32}
"""

FEEDBACK = """netcook: 1
resolution: [16, 8]
frames: 1-60
ops:
  start: {type: constantTOP, par: {colorr: 1, colorg: 1, colorb: 1}}
  feedback1: {type: feedbackTOP, inputs: start, par: {top: level1}}
  level1: {type: levelTOP, inputs: feedback1, par: {contrast: 0.5}}
outputs:
  - {op: level1, path: fb/f.####.exr, bits: 32}
"""


def read_exr(path):
    image = OpenImageIO.ImageInput.open(str(path))
    assert image, OpenImageIO.geterror()
    pixels = image.read_image(format="float")
    image.close()
    return np.asarray(pixels, np.float32)


def write_scene(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cli_render(netcook_bin, scene, cwd, *args):
    proc = subprocess.run([netcook_bin, "render", str(scene), "--quiet", *args], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_frames_equal_the_files_render_writes(tmp_path, netcook_bin):
    scene = write_scene(tmp_path, SCENE_A, "a.yaml")
    cli_render(netcook_bin, scene, tmp_path)
    session = netcook.Session(scene)
    for f in range(1, 7):
        frame = session.cook(f)
        image = frame["out1"]
        assert isinstance(image, np.ndarray) and image.dtype == np.float32 and image.shape == (32, 48, 4)
        np.testing.assert_array_equal(image, read_exr(tmp_path / f"a/f.{f:04d}.exr"))
        assert frame["/project1/out1"] is not None and "chan1" in frame["lfo1"]


def test_two_sessions_interleaved_equal_two_processes(tmp_path, netcook_bin):
    a = write_scene(tmp_path, SCENE_A, "a.yaml")
    b = write_scene(tmp_path, SCENE_B, "b.yaml")
    cli_render(netcook_bin, a, tmp_path)
    cli_render(netcook_bin, b, tmp_path)
    sa, sb = netcook.Session(a), netcook.Session(b)
    for f in range(1, 7):
        np.testing.assert_array_equal(sa.cook(f)["out1"], read_exr(tmp_path / f"a/f.{f:04d}.exr"))
        np.testing.assert_array_equal(sb.cook(f)["level1"], read_exr(tmp_path / f"b/f.{f:04d}.exr"))


def test_render_writes_like_the_cli_and_keeps_frames(tmp_path, netcook_bin):
    scene = write_scene(tmp_path, SCENE_B, "b.yaml")
    os.chdir(tmp_path)
    stats = netcook.Session(scene).render(frames="2-4", keep=True)
    assert stats["frames"] == 3 and stats["files"] == 3
    kept = dict(stats["kept"])
    for f in (2, 3, 4):
        on_disk = read_exr(tmp_path / f"b/f.{f:04d}.exr")
        np.testing.assert_array_equal(kept[f]["/project1/level1"], on_disk)
        assert on_disk[0, 0, 0] == pytest.approx(f / 10 + 0.25)  # frame f of a full render


def test_sessions_keep_no_module_state(tmp_path):
    scene = write_scene(tmp_path, SCENE_B, "b.yaml")
    for _ in range(100):
        with netcook.Session(scene) as session:
            assert session.cook(1)["const1"][0, 0, 0] == pytest.approx(0.1)


def test_handles_fail_cleanly_after_the_session(tmp_path):
    session = netcook.Session(write_scene(tmp_path, SCENE_A, "a.yaml"))
    blur = session.op("blur1")
    size = blur.par.size
    channel = session.op("lfo1")["chan1"]
    assert blur.valid and float(size) == 2
    blur.par.size = 0
    assert session.cook(1)["blur1"].shape == (32, 48, 4)
    session.close()
    assert blur.valid is False
    for use in (lambda: blur.par, lambda: size.eval(), lambda: float(channel), lambda: blur.width):
        with pytest.raises(ReferenceError):
            use()


def test_bad_scene_is_a_scene_error(tmp_path):
    bad = write_scene(tmp_path, "netcook: 1\nops:\n  n: {type: noiseTOOP}\n", "bad.yaml")
    with pytest.raises(netcook.SceneError, match=r"bad.yaml:3:\d+: error: .*noiseTOP"):
        netcook.Session(bad)


def test_script_errors_carry_the_traceback(tmp_path):
    scene = write_scene(tmp_path, "netcook: 1\nops:\n  s: {type: textDAT, run: frame, text: \"1/0\"}\n", "s.yaml")
    with pytest.raises(netcook.RenderError, match="ZeroDivisionError"):
        netcook.Session(scene).cook(1)


def test_image_shows_in_jupyter(tmp_path):
    image = netcook.Session(write_scene(tmp_path, SCENE_A, "a.yaml")).cook(1)["out1"]
    png = image._repr_png_()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    path = tmp_path / "repr.png"
    path.write_bytes(png)
    back = read_exr(path)  # any format OpenImageIO reads
    np.testing.assert_allclose(back, np.clip(image, 0, 1), atol=0.5 / 255 + 1e-6)


# Feedback ---------------------------------------------------------------------


def test_feedback_converges_as_its_closed_form(tmp_path):
    session = netcook.Session(write_scene(tmp_path, FEEDBACK, "fb.yaml"))
    for f in (1, 2, 3, 10, 20):
        # level(x) = (x - 0.5) * 0.5 + 0.5 applied f times to 1: 0.5 + 0.5^(f+1)
        assert session.cook(f)["level1"][0, 0, 0] == pytest.approx(0.5 + 0.5 ** (f + 1), abs=1e-6)


def test_feedback_partial_render_equals_full(tmp_path, netcook_bin):
    scene = write_scene(tmp_path, FEEDBACK.replace("fb/f", "full/f"), "full.yaml")
    cli_render(netcook_bin, scene, tmp_path)
    part = write_scene(tmp_path, FEEDBACK.replace("fb/f", "part/f"), "part.yaml")
    cli_render(netcook_bin, part, tmp_path, "--frames", "50-60")
    for f in range(50, 61):
        assert (tmp_path / f"part/f.{f:04d}.exr").read_bytes() == (tmp_path / f"full/f.{f:04d}.exr").read_bytes()
    assert not (tmp_path / "part/f.0049.exr").exists()


def test_snapshot_resume_equals_uninterrupted(tmp_path):
    scene = write_scene(tmp_path, FEEDBACK, "fb.yaml")
    through = netcook.Session(scene)
    expected = {f: np.array(through.cook(f)["level1"]) for f in range(1, 41)}
    first = netcook.Session(scene)
    first.cook(30)
    snapshot = first.snapshot()
    first.close()
    resumed = netcook.Session(scene)
    resumed.restore(snapshot)
    assert resumed.frame == 30
    for f in range(31, 41):
        np.testing.assert_array_equal(resumed.cook(f)["level1"], expected[f])
    with pytest.raises(ValueError, match="snapshot"):
        netcook.Session(write_scene(tmp_path, SCENE_A, "a.yaml")).restore(snapshot)


def test_info_and_progress(tmp_path):
    os.chdir(tmp_path)
    session = netcook.Session(write_scene(tmp_path, SCENE_A, "a.yaml"), set={"blur1.size": 3})
    info = session.info()
    assert info["frames"] == (1, 6, 1) and info["outputs"] == [{"op": "/project1/out1", "path": "a/f.####.exr"}]
    blur = next(op for op in info["operators"] if op["path"] == "/project1/blur1")
    assert blur["type"] == "blurTOP" and blur["par"]["size"] == 3 and blur["inputs"] == ["/project1/noise1"]
    seen = []
    session.render(frames="2-4", write=False, progress=lambda frame, done, total: seen.append((frame, done, total)))
    assert seen == [(2, 1, 3), (3, 2, 3), (4, 3, 3)]
    assert session.frame == 4


def test_ended_sessions_leave_no_python_objects(tmp_path):
    import gc

    scene = write_scene(tmp_path, SCENE_B, "b.yaml")

    def one_session():
        with netcook.Session(scene) as session:
            session.cook(2)
            session.op("level1").par.brightness1.eval()

    one_session()
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(100):
        one_session()
    gc.collect()
    assert len(gc.get_objects()) - before < 50  # a few caches warm up; 100 sessions' worth would be thousands


def test_frames_are_the_scenes_frame_list(tmp_path):
    listed = netcook.Session.from_string(SCENE_A.replace("frames: 1-6", "frames: 1,5,10-12"))
    assert listed.frames == [1, 5, 10, 11, 12]
    info = listed.info()
    assert info["frames"] == (1, 12, None) and info["frame_list"] == [1, 5, 10, 11, 12]
    stepped = netcook.Session.from_string(SCENE_A.replace("frames: 1-6", "frames: 2-9x3"))
    assert stepped.frames == [2, 5, 8]
    assert stepped.info()["frames"] == (2, 9, 3) and stepped.info()["frame_list"] == [2, 5, 8]


MOVIE = """netcook: 1
resolution: [64, 48]
frames: 1-40
ops:
  noise1: {type: noiseTOP, par: {period: 9, tz: {expr: "absTime.frame / 10"}}}
outputs:
  - {op: noise1, path: m.mp4}
"""


def test_interrupted_render_reports_the_partial_movie(tmp_path, capsys):
    import signal

    os.chdir(tmp_path)
    session = netcook.Session(write_scene(tmp_path, MOVIE, "m.yaml"))

    def progress(frame, done, total):
        if done == 3:
            os.kill(os.getpid(), signal.SIGINT)  # what Jupyter's interrupt button sends

    with pytest.raises(KeyboardInterrupt) as raised:
        session.render(progress=progress)
    movies = raised.value.partial_movies
    assert len(movies) == 1
    path, frames = movies[0]
    assert pathlib.Path(path).name == "m.partial.mp4" and pathlib.Path(path).is_file()
    assert 3 <= frames < 40 and not (tmp_path / "m.mp4").exists()
    assert f"netcook: partial movie {path} holds the {frames} frames done" in capsys.readouterr().err
    # A complete render reports none.
    stats = netcook.Session(tmp_path / "m.yaml").render(frames="1-2")
    assert stats["partial_movies"] == [] and (tmp_path / "m.mp4").is_file()
