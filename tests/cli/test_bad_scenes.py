"""Every scene in tests/data/bad is rejected by `netcook render` before
anything is cooked or written (scene-format.md rule 7).

Each bad scene holds exactly one mistake and announces, on its first line,
the diagnostic the loader must print:

    # expect: LINE:COL: TEXT

The CLI must exit with status 2, print nothing on stdout, and print on
stderr a line `FILE:LINE:COL: error: ...` containing TEXT, where FILE is
the scene path exactly as it was passed on the command line. No Python
traceback may appear, and nothing may be written.

The binary is $NETCOOK_BIN, or build/bin/netcook in this repository.
"""

import os
import pathlib
import re
import subprocess
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BAD_DIR = REPO / "tests" / "data" / "bad"
NETCOOK = os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))
HEADER = re.compile(r"^# expect: (\d+):(\d+): (.+)$")
MIN_CORPUS_SIZE = 24


def bad_scenes():
    return sorted(BAD_DIR.glob("*.yaml"))


def expectation(scene):
    """(line, column, text) from the scene's `# expect:` header."""
    # Read as bytes: some bad scenes are bad precisely because what follows
    # the header is not UTF-8.
    with open(scene, "rb") as f:
        first = f.readline().decode("utf-8").rstrip("\n")
    m = HEADER.match(first)
    assert m, f"{scene.name}: first line must be '# expect: LINE:COL: TEXT', not {first!r}"
    return int(m.group(1)), int(m.group(2)), m.group(3)


def render(scene_arg, workdir):
    if not os.access(NETCOOK, os.X_OK):
        pytest.fail(f"no netcook binary at {NETCOOK} (build it, or set NETCOOK_BIN)")
    return subprocess.run(
        [NETCOOK, "render", scene_arg, "--out", str(workdir / "x.####.png")],
        cwd=workdir,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )


def check_rejected(scene, scene_arg, workdir):
    line, column, text = expectation(scene)
    proc = render(scene_arg, workdir)
    where = f"{scene_arg}:{line}:{column}: error: "
    report = f"\n--- exit {proc.returncode}\n--- stderr:\n{proc.stderr}\n--- stdout:\n{proc.stdout}"
    assert proc.returncode == 2, "expected exit status 2" + report
    assert proc.stdout == "", "stdout must stay empty" + report
    assert "Traceback" not in proc.stderr, "a Python traceback leaked" + report
    lines = [l for l in proc.stderr.splitlines() if l.startswith(where)]
    assert lines, f"no line starting with {where!r}" + report
    assert any(text in l for l in lines), f"no {where!r} line contains {text!r}" + report
    assert list(workdir.iterdir()) == [], "something was written" + report


def test_corpus_is_complete():
    scenes = bad_scenes()
    assert len(scenes) >= MIN_CORPUS_SIZE, f"only {len(scenes)} bad scenes"
    for scene in scenes:
        expectation(scene)


@pytest.mark.parametrize("scene", bad_scenes(), ids=lambda p: p.stem)
def test_bad_scene_is_rejected(scene, tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    check_rejected(scene, str(scene), workdir)


@pytest.mark.parametrize("name", ["unknown_type.yaml", "bad_yaml.yaml"])
def test_diagnostic_names_the_file_as_given(name, tmp_path):
    # A relative path is printed as given, not made absolute.
    workdir = tmp_path / "work"
    workdir.mkdir()
    scene = BAD_DIR / name
    check_rejected(scene, os.path.relpath(scene, workdir), workdir)


def test_unreadable_scene(tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    proc = render("no_such_scene.yaml", workdir)
    assert proc.returncode == 2, proc.stderr
    assert "no_such_scene.yaml: error: cannot read scene:" in proc.stderr
    assert proc.stdout == ""
    assert list(workdir.iterdir()) == []


def test_alias_bomb_is_rejected_at_the_alias(tmp_path, record_property):
    # A 1 KB file whose aliases expand to 10^9 operators: rejected at the
    # alias that crosses the limit, before anything is built. The time is
    # recorded, not asserted (bench/end_to_end.py measures it).
    workdir = tmp_path / "work"
    workdir.mkdir()
    scene = BAD_DIR / "alias_bomb.yaml"
    assert scene.stat().st_size < 2048
    t0 = time.perf_counter()
    check_rejected(scene, str(scene), workdir)
    record_property("alias_bomb_rejection_seconds", round(time.perf_counter() - t0, 3))


def test_binary_file_as_scene_prints_no_control_bytes(tmp_path):
    # An executable given as a scene: one positioned error, and no raw
    # control byte (a NUL, an escape sequence) reaches the terminal.
    workdir = tmp_path / "work"
    workdir.mkdir()
    binary = "/bin/ls"
    proc = render(binary, workdir)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"{binary}:1:1: error: "), proc.stderr
    assert not [c for c in proc.stderr if (ord(c) < 0x20 and c != "\n") or ord(c) == 0x7F], repr(proc.stderr)
    assert list(workdir.iterdir()) == []
