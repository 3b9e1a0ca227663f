"""An interrupted render stops after the current frame and leaves only
complete files: no truncated frame, no temporary file."""
import re
import signal
import subprocess
import time

import OpenImageIO as oiio

SCENE = """\
netcook: 1
frames: 1-2000
resolution: [640, 360]
ops:
  noise1: {type: noiseTOP, par: {harmon: 4, mono: false, tz: {expr: "me.time.seconds"}}}
outputs:
  - {op: noise1, path: out/f.####.png}
"""


def test_sigint_leaves_only_complete_frames(tmp_path, netcook_bin):
    (tmp_path / "s.yaml").write_text(SCENE)
    proc = subprocess.Popen([netcook_bin, "render", "s.yaml", "--quiet"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = tmp_path / "out"
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and len(list(out.glob("f.*.png"))) >= 3):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    files = sorted(out.iterdir())
    assert files and len(files) < 2000
    for f in files:
        assert f.name.startswith("f.") and f.suffix == ".png", f"left behind: {f.name}"
        buf = oiio.ImageBuf(str(f))
        assert buf.spec().width == 640 and not buf.has_error, f.name
        assert buf.get_pixels(oiio.UINT8).shape == (360, 640, 4)


def test_sigterm_summary_says_what_was_written(tmp_path, netcook_bin):
    (tmp_path / "s.yaml").write_text(SCENE)
    proc = subprocess.Popen([netcook_bin, "render", "s.yaml", "--frames", "5-2000x3"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = tmp_path / "out"
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and len(list(out.glob("f.*.png"))) >= 3):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    summary = [l for l in stderr.splitlines() if "interrupted" in l]
    assert len(summary) == 1, stderr
    m = re.match(r"netcook: interrupted after (\d+) frames by SIGTERM; frames 5-(\d+)x3 are written and complete "
                 r"\((\d+) of 666\), the frame in flight was dropped$", summary[0])
    assert m, summary[0]
    done, last = int(m.group(1)), int(m.group(2))
    assert last == 5 + 3 * (done - 1) and int(m.group(3)) == done
    # Exactly the frames the summary names are on disk: a --skip-existing
    # render picks up after them.
    assert sorted(int(p.name.split(".")[1]) for p in out.iterdir()) == list(range(5, last + 1, 3))


def test_next_render_removes_a_killed_renders_temporary_files(tmp_path, netcook_bin):
    out = tmp_path / "out"
    out.mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()
    alive = subprocess.Popen(["sleep", "60"])
    try:
        stale = out / f".f.0001.png.tmp-{gone.pid}-3.png"
        stale_movie = out / f".m.mp4.tmp-{gone.pid}-0.mp4"
        live = out / f".f.0002.png.tmp-{alive.pid}-0.png"
        mine = [out / ".f.0003.png.tmp-notapid-0.png", out / ".hidden", out / f".f.0004.png.tmp-{gone.pid}-1.exr"]
        for f in [stale, stale_movie, live, *mine]:
            f.write_bytes(b"partial")
        (tmp_path / "s.yaml").write_text(SCENE)
        r = subprocess.run([netcook_bin, "render", "s.yaml", "--frames", "1", "--quiet"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert not stale.exists() and not stale_movie.exists()
        assert live.exists(), "a live process's temporary file was removed"
        for f in mine:  # not a netcook temporary file name: not netcook's to remove
            assert f.exists(), f.name
        assert (out / "f.0001.png").exists()
    finally:
        alive.kill()
        alive.wait()


FRAME_END_SIGNAL = """\
netcook: 1
frames: 1-10
resolution: [32, 24]
ops:
  noise1: {type: noiseTOP, par: {tz: {expr: "me.time.frame"}}}
  ex1:
    type: executeDAT
    par: {frameend: true}
    text: |
      import os, signal
      def onFrameEnd(frame):
          if frame == 3:
              os.kill(os.getpid(), signal.SIGTERM)
              while True:  # stopped here by the interrupt
                  pass
outputs:
  - {op: noise1, path: out/f.####.png}
"""


def test_the_frame_in_flight_is_dropped(tmp_path, netcook_bin):
    # Stopped inside frame 3's onFrameEnd, its outputs already cooked:
    # frame 3 is neither written nor counted.
    (tmp_path / "s.yaml").write_text(FRAME_END_SIGNAL)
    r = subprocess.run([netcook_bin, "render", "s.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 143, r.stderr
    assert "netcook: interrupted after 2 frames by SIGTERM (stopped " in r.stderr
    assert ("/project1/ex1 at frame 3); frames 1-2 are written and complete (2 of 10), "
            "the frame in flight was dropped") in r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["f.0001.png", "f.0002.png"]
