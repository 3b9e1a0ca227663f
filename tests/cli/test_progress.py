"""Progress on stderr: a live line on a terminal (which script prints never
run into), plain lines in logs, JSON objects for tools, nothing with
--quiet."""
import json
import os
import pty
import re
import subprocess

SCENE = """\
netcook: 1
frames: 1-5
resolution: [32, 24]
ops:
  noise1: {type: noiseTOP, par: {tz: {expr: "me.time.frame"}}}
  script1:
    type: textDAT
    run: frame
    text: |
      print(f"frame {int(me.time.frame)}: hello from the script")
outputs:
  - {op: noise1, path: out/f.####.png}
"""


def run_on_terminal(netcook_bin, cwd, *args):
    """Runs netcook with stdout and stderr on one pseudo-terminal, as in a
    shell; returns the exit status and the bytes the terminal received."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([netcook_bin, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode()


def screen(raw):
    """The lines a terminal shows for `raw`: \\r returns to column 0, ESC[K
    erases to the end of the line, \\n starts a new line."""
    lines, line, col = [], [], 0
    i = 0
    while i < len(raw):
        if raw.startswith("\x1b[K", i):
            del line[col:]
            i += 3
            continue
        c = raw[i]
        if c == "\r":
            col = 0
        elif c == "\n":
            lines.append("".join(line))
            line, col = [], 0
        else:
            if col < len(line):
                line[col] = c
            else:
                line.append(c)
            col += 1
        i += 1
    if line:
        lines.append("".join(line))
    return lines


def test_live_line_on_a_terminal_and_script_prints_on_their_own_lines(tmp_path, netcook_bin):
    (tmp_path / "s.yaml").write_text(SCENE)
    status, raw = run_on_terminal(netcook_bin, tmp_path, "render", "s.yaml")
    assert status == 0, raw
    # The live line: frame n/N, frames/s, elapsed, ETA, the file being written.
    assert re.search(r"netcook: 3/5 frame 3 +[0-9.]+ fps +elapsed \d+:\d\d +ETA \d+:\d\d +out/f\.0003\.png", raw), raw
    shown = screen(raw)
    prints = [l for l in shown if "hello from the script" in l]
    assert prints == [f"frame {f}: hello from the script" for f in range(1, 6)], shown
    # The summary is on a clean line too, and no progress text is left over.
    assert shown[-1].startswith("netcook: 5 frames in "), shown
    assert not any(l.startswith("netcook: ") and "fps" in l and "ETA" in l for l in shown), shown


def test_plain_lines_when_stderr_is_not_a_terminal(netcook, write_scene):
    write_scene(SCENE, "s.yaml")
    r = netcook("render", "s.yaml")
    assert r.returncode == 0, r
    assert "\r" not in r.stderr and "\x1b" not in r.stderr
    lines = r.stderr.splitlines()
    # The first frame at once, then every few seconds, and the last frame.
    assert lines[0].startswith("netcook: frame 1 (1/5), ") and "frames/s, elapsed 0:0" in lines[0]
    assert "ETA" in lines[0] and lines[0].endswith("writing out/f.0001.png")
    assert lines[-2].startswith("netcook: frame 5 (5/5), ")
    assert lines[-1].startswith("netcook: 5 frames in ")
    assert r.stdout.splitlines() == [f"frame {f}: hello from the script" for f in range(1, 6)]


def test_json_progress_for_tools(netcook, write_scene):
    write_scene(SCENE, "s.yaml")
    r = netcook("render", "s.yaml", "--progress=json", "--frames", "2-4")
    assert r.returncode == 0, r
    objects = [json.loads(l) for l in r.stderr.splitlines()]
    frames, summary = objects[:-1], objects[-1]
    assert [o["frame"] for o in frames] == [2, 3, 4]
    assert [o["index"] for o in frames] == [1, 2, 3]
    assert all(o["total"] == 3 for o in frames)
    assert [o["files"] for o in frames] == [[f"out/f.{f:04d}.png"] for f in (2, 3, 4)]
    assert all(o["seconds"] >= 0 and o["fps"] >= 0 for o in frames)
    assert [o["seconds"] for o in frames] == sorted(o["seconds"] for o in frames)
    assert summary["done"] is True and summary["frames"] == 3 and summary["outputs"] == ["out/f.####.png"]


def test_json_progress_on_a_terminal_is_still_json(tmp_path, netcook_bin):
    (tmp_path / "s.yaml").write_text(SCENE)
    status, raw = run_on_terminal(netcook_bin, tmp_path, "render", "s.yaml", "--progress", "json", "--frames", "1-2")
    assert status == 0, raw
    assert "\x1b[K" not in raw
    objects = [json.loads(l) for l in raw.splitlines() if l.startswith("{")]
    assert [o.get("frame") for o in objects] == [1, 2, None]


def test_quiet_prints_nothing(netcook, write_scene, tmp_path):
    write_scene(SCENE, "s.yaml")
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode == 0, r
    assert r.stderr == ""
    assert len(list((tmp_path / "out").glob("f.*.png"))) == 5


def test_quiet_on_a_terminal_prints_only_what_scripts_print(tmp_path, netcook_bin):
    (tmp_path / "s.yaml").write_text(SCENE)
    status, raw = run_on_terminal(netcook_bin, tmp_path, "render", "s.yaml", "-q")
    assert status == 0, raw
    assert screen(raw) == [f"frame {f}: hello from the script" for f in range(1, 6)]
