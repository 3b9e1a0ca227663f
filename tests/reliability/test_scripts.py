"""Scripts cannot end, stall or crash a render; deep networks cook; text is UTF-8.

Each case runs the real binary. Times are bounded generously (subprocess
timeouts) so a busy machine cannot fail them: they check that a render
stops, not how fast.
"""
import os
import signal
import subprocess
import time

import pytest

SCENE = """netcook: 1
resolution: [32, 32]
frames: 1-40
ops:
  noise1: {{type: noiseTOP}}
  script1:
    type: textDAT
    run: frame
    text: |
{script}
outputs:
  - {{op: noise1, path: out/f.####.png}}
"""


def scene_with(tmp_path, script, name="scene.yaml"):
    body = "\n".join("      " + line for line in script.strip("\n").splitlines())
    (tmp_path / name).write_text(SCENE.format(script=body), encoding="utf-8")
    return name


def frames_written(tmp_path):
    return sorted(p.name for p in (tmp_path / "out").glob("f.*.png")) if (tmp_path / "out").exists() else []


@pytest.mark.parametrize("code", ["sys.exit(0)", "sys.exit(3)", "raise SystemExit"])
def test_system_exit_in_a_script_is_an_error(netcook, tmp_path, check_outputs, code):
    name = scene_with(tmp_path, f"import sys\nif me.time.frame == 5:\n    {code}\n")
    r = netcook("render", name)
    assert r.returncode == 1, r
    assert "SystemExit" in r.stderr and "/project1/script1" in r.stderr and "frame 5" in r.stderr
    assert frames_written(tmp_path) == [f"f.{f:04d}.png" for f in range(1, 5)]
    check_outputs(tmp_path / "out")


def test_system_exit_in_a_callback_is_an_error(netcook, tmp_path, check_outputs):
    (tmp_path / "scene.yaml").write_text(
        """netcook: 1
resolution: [16, 16]
frames: 1-10
ops:
  noise1: {type: noiseTOP}
  exec1:
    type: executeDAT
    par: {framestart: true}
    text: |
      import sys
      def onFrameStart(frame):
          if frame == 3:
              sys.exit(0)
outputs:
  - {op: noise1, path: out/f.####.png}
""",
        encoding="utf-8",
    )
    r = netcook("render", "scene.yaml")
    assert r.returncode == 1 and "onFrameStart()" in r.stderr and "SystemExit" in r.stderr, r
    assert frames_written(tmp_path) == ["f.0001.png", "f.0002.png"]
    check_outputs(tmp_path / "out")


RUNAWAY = "while me.time.frame == 6:\n    pass\n"


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_runaway_script(netcook_bin, tmp_path, check_outputs, sig, status):
    name = scene_with(tmp_path, RUNAWAY)
    proc = subprocess.Popen([netcook_bin, "render", name], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(frames_written(tmp_path)) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert "interrupted after 5 frames" in err and "/project1/script1 at frame 6" in err
    check_outputs(tmp_path / "out")


@pytest.mark.parametrize("option", ["--timeout", "--frame-timeout"])
def test_timeouts_name_the_frame_and_the_script(netcook, tmp_path, check_outputs, option):
    name = scene_with(tmp_path, RUNAWAY)
    r = netcook("render", name, option, "1", timeout=120)
    assert r.returncode == 1, r
    assert option in r.stderr and "the script in /project1/script1 at frame 6" in r.stderr
    assert frames_written(tmp_path) == [f"f.{f:04d}.png" for f in range(1, 6)]
    check_outputs(tmp_path / "out")


def test_a_signal_during_start_up_is_reported(netcook_bin, tmp_path):
    # Each frame sleeps, so the render outlasts the signal however fast
    # start-up is (it takes ~25 ms since the media libraries load lazily).
    name = scene_with(tmp_path, "import time\ntime.sleep(0.05)")
    proc = subprocess.Popen([netcook_bin, "render", name], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
    time.sleep(0.02)  # inside start-up: libraries, Python, the scene
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    # Either the handler was in place (a message, exit 143) or the process
    # had not reached main() yet: then it ends by the signal, writing nothing.
    assert proc.returncode in (143, -signal.SIGTERM), err
    if proc.returncode == 143:
        assert "interrupted" in err


def test_a_100000_operator_chain_cooks(netcook, tmp_path):
    n = 100_000
    lines = ["netcook: 1", "resolution: [4, 4]", "frames: 1", "ops:", "  l0: {type: constantTOP, par: {colorr: 0.5}}"]
    lines += [f"  l{i}: {{type: levelTOP, inputs: l{i - 1}}}" for i in range(1, n)]
    lines += ["outputs:", f"  - {{op: l{n - 1}, path: chain.exr}}"]
    (tmp_path / "chain.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = netcook("render", "chain.yaml", "--quiet", timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "chain.exr").stat().st_size > 0


UTF8_SCRIPT = """
with open('notes-é.txt', 'w') as f:
    f.write('ünïcødé')
print('héllo', open('notes-é.txt').read(), 'ünïcødé' == open('notes-é.txt', encoding='utf-8').read())
"""


@pytest.mark.parametrize("lang", ["C", "C.UTF-8", None])
def test_scripts_speak_utf8_whatever_the_locale(netcook_bin, tmp_path, lang):
    (tmp_path / "scene.yaml").write_text(
        "netcook: 1\nframes: 1\nops:\n  s:\n    type: textDAT\n    run: frame\n    text: |\n"
        + "".join("      " + line + "\n" for line in UTF8_SCRIPT.strip().splitlines()),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_CTYPE")}
    if lang:
        env["LANG"] = env["LC_ALL"] = lang
    proc = subprocess.run([netcook_bin, "render", "scene.yaml", "--no-write", "--quiet"], cwd=tmp_path,
                          capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout.decode("utf-8") == "héllo ünïcødé True\n"
    assert (tmp_path / "notes-é.txt").read_text(encoding="utf-8") == "ünïcødé"
