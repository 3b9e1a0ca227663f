"""An interrupted render stops after the current frame and leaves only
complete files: no truncated frame, no temporary file."""
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
