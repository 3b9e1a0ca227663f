"""Partial renders: frame lists, steps, --chunk and --skip-existing give
exactly the bytes of the same frames of a full render, for a scene whose
frames depend on the ones before (an LFO, a timer, and a script keeping a
running total on a DAT module)."""
import os

import pytest

STATEFUL = """\
netcook: 1
frames: 1-12
resolution: [40, 24]
ops:
  lfo1: {type: lfoCHOP, par: {wavetype: tri, frequency: 0.7}}
  timer1: {type: timerCHOP, par: {length: 0.15, cycle: true, speed: 0.7}}
  state:
    type: textDAT
    text: |
      total = 0.0
  noise1:
    type: noiseTOP
    par:
      type: harmonic
      period: 9
      tz: {expr: "op('lfo1')['chan1'].eval() + op('timer1')['timer_fraction'].eval()"}
  level1: {type: levelTOP, inputs: [noise1]}
  script1:
    type: textDAT
    run: frame
    text: |
      mod.state.total += op('timer1')['timer_fraction'].eval() + 0.37
      op('level1').par.brightness1 = (mod.state.total % 1.0) - 0.5
      print('frame', int(me.time.frame), round(mod.state.total, 6))
outputs:
  - {op: level1, path: out/f.####.png}
"""


def frames_on_disk(folder):
    return {int(p.name.split(".")[1]): p.read_bytes() for p in sorted(folder.glob("f.*.png"))}


@pytest.fixture
def full(tmp_path_factory, netcook_bin):
    """The bytes of every frame of a full render, rendered once."""
    import subprocess

    folder = tmp_path_factory.mktemp("full")
    (folder / "s.yaml").write_text(STATEFUL)
    r = subprocess.run([netcook_bin, "render", "s.yaml", "--quiet"], cwd=folder, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    frames = frames_on_disk(folder / "out")
    assert sorted(frames) == list(range(1, 13))
    assert len(set(frames.values())) == 12  # every frame differs: the state matters
    return frames


def render(netcook, write_scene, *args):
    write_scene(STATEFUL, "s.yaml")
    return netcook("render", "s.yaml", "--quiet", *args)


@pytest.mark.parametrize("frames, expected", [
    ("3-11x4", [3, 7, 11]),
    ("1,5,10-12", [1, 5, 10, 11, 12]),
    ("12, 2-4x2", [2, 4, 12]),
    ("7", [7]),
])
def test_lists_and_steps_match_the_full_render(netcook, write_scene, tmp_path, full, frames, expected):
    r = render(netcook, write_scene, "--frames", frames)
    assert r.returncode == 0, r
    got = frames_on_disk(tmp_path / "out")
    assert sorted(got) == expected
    for f in expected:
        assert got[f] == full[f], f"frame {f} differs from the full render"


def test_chunks_cover_the_range_and_match_the_full_render(netcook, write_scene, tmp_path, full):
    seen = []
    for k in range(1, 6):
        r = render(netcook, write_scene, "--chunk", f"{k}/5")
        assert r.returncode == 0, r
        got = frames_on_disk(tmp_path / "out")
        new = sorted(set(got) - set(seen))
        assert new, f"chunk {k}/5 rendered nothing"
        assert new == list(range(new[0], new[-1] + 1))  # contiguous
        seen += new
    assert seen == list(range(1, 13))
    assert frames_on_disk(tmp_path / "out") == full


def test_chunk_of_a_stepped_range(netcook, write_scene, tmp_path, full):
    r = render(netcook, write_scene, "--frames", "1-12x2", "--chunk", "2/2")
    assert r.returncode == 0, r
    got = frames_on_disk(tmp_path / "out")
    assert sorted(got) == [7, 9, 11]
    assert all(got[f] == full[f] for f in got)


def test_skip_existing_resumes_a_render_with_the_same_bytes(netcook, write_scene, tmp_path, full):
    out = tmp_path / "out"
    out.mkdir()
    # A render that died: frames 1-4 and 9 are complete; 7 holds a marker
    # that must survive (complete frames are not written again).
    for f in (1, 2, 3, 4, 9):
        (out / f"f.{f:04d}.png").write_bytes(full[f])
    (out / "f.0007.png").write_bytes(b"kept")
    mtimes = {f: os.stat(out / f"f.{f:04d}.png").st_mtime_ns for f in (1, 9)}
    r = render(netcook, write_scene, "--skip-existing")
    assert r.returncode == 0, r
    got = frames_on_disk(out)
    assert got[7] == b"kept"
    for f in set(range(1, 13)) - {7}:
        assert got[f] == full[f], f"frame {f} differs from the full render"
    assert {f: os.stat(out / f"f.{f:04d}.png").st_mtime_ns for f in (1, 9)} == mtimes
    # The frames skipped still ran their scripts (muted): frame 5 prints the
    # total a full render has there.
    lines = [l for l in r.stdout.splitlines() if l.startswith("frame ")]
    assert [int(l.split()[1]) for l in lines] == [5, 6, 8, 10, 11, 12]
    r_all = render(netcook, write_scene)  # the full render, for its printed totals
    full_lines = {l.split()[1]: l for l in r_all.stdout.splitlines() if l.startswith("frame ")}
    for l in lines:
        assert l == full_lines[l.split()[1]]


def test_skip_existing_with_everything_on_disk(netcook, write_scene, tmp_path, full):
    out = tmp_path / "out"
    out.mkdir()
    for f, data in full.items():
        (out / f"f.{f:04d}.png").write_bytes(data)
    write_scene(STATEFUL, "s.yaml")
    r = netcook("render", "s.yaml", "--skip-existing")
    assert r.returncode == 0, r
    assert "nothing to render" in r.stderr and "12 frames are on disk" in r.stderr


def test_skip_existing_ignores_temporary_files(netcook, write_scene, tmp_path, full):
    # A temporary file is not a complete frame: frame 3 is rendered.
    out = tmp_path / "out"
    out.mkdir()
    (out / ".f.0003.png.tmp-999999999-0.png").write_bytes(b"partial")
    r = render(netcook, write_scene, "--skip-existing", "--frames", "3")
    assert r.returncode == 0, r
    assert (out / "f.0003.png").read_bytes() == full[3]


@pytest.mark.parametrize("args, message", [
    (["--chunk", "0/3"], "expected K/N"),
    (["--chunk", "4/3"], "expected K/N"),
    (["--chunk", "1-3"], "expected K/N"),
    (["--chunk", "a/b"], "expected K/N"),
    (["--frames", "1,,3"], "bad frame range"),
    (["--frames", "5,3-1"], "ends (1) before it starts (3)"),
    (["--progress", "fancy"], "expected auto, log, json or none"),
])
def test_bad_partial_render_options(netcook, write_scene, tmp_path, args, message):
    r = render(netcook, write_scene, *args)
    assert r.returncode == 2, r
    assert message in r.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--chunk", "1/2"], ["--skip-existing"]])
def test_movies_cannot_be_chunked_or_resumed(netcook, write_scene, tmp_path, option):
    write_scene(STATEFUL.replace("out/f.####.png", "out/m.mp4"), "s.yaml")
    r = netcook("render", "s.yaml", *option)
    assert r.returncode == 2, r
    assert "needs image sequences" in r.stderr and "m.mp4" in r.stderr
    assert not (tmp_path / "out").exists()
