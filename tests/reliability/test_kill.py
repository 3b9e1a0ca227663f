"""A render stopped at any moment leaves only complete files under final
names: killed by SIGKILL (temporary files may stay: nothing can remove
them), or stopped by SIGTERM / SIGINT (none may stay)."""
import random
import signal
import subprocess
import time

import pytest

from write_checks import noise_scene

# Seeded, so a failure can be replayed: each case gets its own delay.
SEED = 20261127
CASES = [(sig, i) for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT) for i in range(2)]


@pytest.mark.parametrize("sig,run", CASES, ids=[f"{s.name}-{i}" for s, i in CASES])
def test_stopped_render_leaves_complete_files(tmp_path, netcook_bin, check_outputs, sig, run):
    delay = random.Random(f"{SEED}-{sig.name}-{run}").uniform(0.0, 0.8)
    (tmp_path / "s.yaml").write_text(noise_scene("out/f.######.png", "1-100000", 192))
    proc = subprocess.Popen([netcook_bin, "render", "s.yaml", "--quiet"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = tmp_path / "out"
    try:
        # The random moment is counted from the first file: a signal during
        # start-up (before netcook handles SIGINT/SIGTERM, before anything is
        # written) would test nothing about writes.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and not (out.exists() and any(out.iterdir())):
            time.sleep(0.02)
        time.sleep(delay)
        assert proc.poll() is None, "the render ended before the signal"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode != 0, stderr
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:  # netcook finishes the frames in flight, removes temporaries, exits 128 + signal (130, 143)
        assert proc.returncode == 128 + sig and "interrupted" in stderr, stderr
    check_outputs(tmp_path / "out", temporaries_allowed=sig == signal.SIGKILL)
