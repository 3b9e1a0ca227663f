"""Cache TOP (a delay line / frozen loop on the state model) and CHOP to
TOP (channels laid out as TouchDesigner lays them), through `import netcook`
and the CLI."""
import os
import pathlib
import sys
import textwrap

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402
OpenImageIO = pytest.importorskip("OpenImageIO")


def scene(ops, frames="1-20", resolution="[4, 2]", outputs=""):
    return (f"netcook: 1\nframes: {frames}\nresolution: {resolution}\nops:\n" +
            textwrap.indent(textwrap.dedent(ops).strip("\n"), "  ") + "\n" + outputs)


# A constant whose red is the frame number / 100: any cached image tells
# which frame it was captured on.
STAMP = "stamp: {type: constantTOP, par: {colorr: {expr: 'me.time.frame / 100'}}}\n"


def cached_frame(image):
    return float(np.round(np.asarray(image)[0, 0, 0] * 100, 3))


def session(ops, **kw):
    return netcook.Session.from_string(scene(ops, **kw), "scene.yaml")


@pytest.mark.parametrize("k", [0, 1, 3, 7])
def test_output_index_minus_k_is_the_input_of_k_frames_ago(k):
    with session(STAMP + f"cache1: {{type: cacheTOP, inputs: stamp, par: {{outputindex: {-k}}}}}\n") as s:
        for frame in range(1, 16):
            # Before k frames are cached the oldest one held (frame 1) comes out.
            assert cached_frame(s.cook(frame)["cache1"]) == max(1, frame - k)


def test_cache_size_bounds_the_delay_and_step_spaces_captures():
    with session(STAMP + textwrap.dedent("""
        small: {type: cacheTOP, inputs: stamp, par: {cachesize: 3, outputindex: -10}}
        stepped: {type: cacheTOP, inputs: stamp, par: {step: 2, outputindex: -1}}
        """)) as s:
        f = s.cook(10)
        assert cached_frame(f["small"]) == 8   # frames 10, 9, 8 held
        # Every second frame captured (1, 3, 5, 7, 9): -1 is frame 7.
        assert cached_frame(f["stepped"]) == 7


def test_active_off_freezes_and_output_index_loops_through():
    with session(STAMP + textwrap.dedent("""
        cache1:
          type: cacheTOP
          inputs: stamp
          par:
            cachesize: 4
            active: {expr: "me.time.frame <= 6"}
            outputindex: {expr: "-(me.time.frame % 4)"}
        """)) as s:
        got = [cached_frame(s.cook(f)["cache1"]) for f in range(7, 13)]
        # Frozen at frames 6, 5, 4, 3 (index 0, -1, -2, -3).
        assert got == [3, 6, 5, 4, 3, 6]


def test_interpolate_mixes_neighbours():
    with session(STAMP + textwrap.dedent("""
        nearest: {type: cacheTOP, inputs: stamp, par: {outputindex: -1.25}}
        mixed: {type: cacheTOP, inputs: stamp, par: {outputindex: -1.25, interp: true}}
        """)) as s:
        f = s.cook(10)
        assert cached_frame(f["nearest"]) == 9
        assert np.asarray(f["mixed"])[0, 0, 0] == pytest.approx(0.0875, abs=1e-6)  # 0.75 * 9 + 0.25 * 8


def test_replace_pulse_reset():
    with session(STAMP + textwrap.dedent("""
        rep:
          type: cacheTOP
          inputs: stamp
          par: {active: {expr: "me.time.frame <= 3"}, replace: {expr: "me.time.frame == 8"}, replaceindex: -1,
                outputindex: -1}
        pulse:
          type: cacheTOP
          inputs: stamp
          par: {active: false, activepulse: {expr: "me.time.frame in (2, 5)"}, outputindex: -1}
        reset:
          type: cacheTOP
          inputs: stamp
          par: {resetpulse: {expr: "me.time.frame == 6"}, outputindex: -3}
        held:
          type: cacheTOP
          inputs: stamp
          par: {reset: {expr: "me.time.frame <= 4"}, outputindex: -3}
        """)) as s:
        f = s.cook(7)
        assert cached_frame(f["rep"]) == 2
        assert cached_frame(f["pulse"]) == 2
        assert cached_frame(f["reset"]) == 6  # emptied at 6: holds 7, 6
        assert cached_frame(f["held"]) == 5  # captures from frame 5 on
        f = s.cook(8)
        assert cached_frame(f["rep"]) == 8  # image -1 replaced at frame 8


def test_nothing_cached_outputs_the_input():
    with session(STAMP + "c: {type: cacheTOP, inputs: stamp, par: {active: false}}\n") as s:
        assert cached_frame(s.cook(4)["c"]) == 4


def test_snapshot_carries_the_cache():
    ops = "noise1: {type: noiseTOP, par: {tz: {expr: 'me.time.seconds'}}}\n" \
          "c: {type: cacheTOP, inputs: noise1, par: {outputindex: -3, cachesize: 5}}\n"
    with session(ops) as a:
        a.cook(6)
        snap = a.snapshot()
        want = np.asarray(a.cook(9)["c"]).copy()
    with session(ops) as b:
        b.restore(snap)
        np.testing.assert_array_equal(np.asarray(b.cook(9)["c"]), want)


def test_memory_estimate_counts_the_cache(tmp_path, netcook_bin):
    import subprocess
    text = scene("noise1: {type: noiseTOP}\nc: {type: cacheTOP, inputs: noise1, par: {cachesize: 2000}}\n",
                 resolution="[512, 512]",
                 outputs="outputs:\n  - {op: c, path: out/f.####.png}\n")
    (tmp_path / "scene.yaml").write_text(text)
    run = lambda *a: subprocess.run([netcook_bin, "render", "scene.yaml", "-f", "1", *a], cwd=tmp_path,
                                    capture_output=True, text=True)
    r = run("--max-memory", "1G")
    assert r.returncode == 2 and "more than the limit" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


CLI_SCENE = """netcook: 1
fps: 30
frames: 1-60
resolution: [32, 24]
ops:
  noise1: {type: noiseTOP, par: {period: 6, tz: {expr: "me.time.seconds * 2"}}}
  cache1: {type: cacheTOP, inputs: noise1, par: {cachesize: 12, outputindex: -9, step: 2}}
  trail: {type: cacheTOP, inputs: noise1, par: {cachesize: 6, outputindex: -2.5, interp: true}}
  over1: {type: addTOP, inputs: [cache1, trail]}
outputs:
  - {op: over1, path: out/f.####.exr, bits: 32}
"""


def read(path):
    img = OpenImageIO.ImageBuf(str(path))
    return img.get_pixels(OpenImageIO.FLOAT)


def test_frames_50_60_alone_equal_a_full_render(netcook, tmp_path):
    (tmp_path / "scene.yaml").write_text(CLI_SCENE)
    full = tmp_path / "full"
    part = tmp_path / "part"
    assert netcook("render", "scene.yaml", "-q", "--threads", "2", "-o", f"over1={full}/f.####.exr", "--bits", "32")\
        .returncode == 0
    assert netcook("render", "scene.yaml", "-q", "--threads", "1", "-f", "50-60", "-o",
                   f"over1={part}/f.####.exr", "--bits", "32").returncode == 0
    chunks = tmp_path / "chunks"
    assert netcook("render", "scene.yaml", "-q", "--chunk", "5/6", "-o", f"over1={chunks}/f.####.exr", "--bits",
                   "32").returncode == 0
    for frame in range(50, 61):
        name = f"f.{frame:04d}.exr"
        assert (full / name).read_bytes() == (part / name).read_bytes(), name
    for name in sorted(p.name for p in chunks.iterdir()):
        assert (full / name).read_bytes() == (chunks / name).read_bytes(), name
    # The cache really delays: frame 60's cache1 is noise of frame 42 (9
    # captures back, every second frame).
    assert not np.array_equal(read(full / "f.0059.exr"), read(full / "f.0060.exr"))


def test_chop_to_top_layout_against_numpy():
    rows = [[f"c{i}" for i in range(6)]] + [[str(0.1 * s + i) for i in range(6)] for s in range(5)]
    table = "\n".join("            - [" + ", ".join(r) + "]" for r in rows)
    ops = f"""
        t:
          type: tableDAT
          table:
{table}
        chans: {{type: dattoCHOP, par: {{dat: t}}}}
        r: {{type: choptoTOP, par: {{chop: chans}}}}
        rgb: {{type: choptoTOP, par: {{chop: chans, dataformat: rgb}}}}
        rgba: {{type: choptoTOP, par: {{chop: chans, dataformat: rgba}}}}
        a: {{type: choptoTOP, par: {{chop: chans, dataformat: a}}}}
        big: {{type: choptoTOP, par: {{chop: chans, outputresolution: custom, resolution: [10, 12],
                                       inputfiltertype: nearest}}}}
        """
    with session(ops) as s:
        f = s.cook(1)
        values = np.array([[float(v) for v in r] for r in rows[1:]], dtype=np.float32).T  # channel x sample
        # R: a scanline per channel, channel 0 at the bottom (last numpy row).
        r = np.asarray(f["r"])
        assert r.shape == (6, 5, 4)
        np.testing.assert_array_equal(r[::-1, :, 0], values)
        assert (r[..., 1:3] == 0).all() and (r[..., 3] == 1).all()
        rgb = np.asarray(f["rgb"])
        assert rgb.shape == (2, 5, 4)
        for line in range(2):
            np.testing.assert_array_equal(rgb[1 - line, :, :3], values[3 * line:3 * line + 3].T)
        assert (rgb[..., 3] == 1).all()
        rgba = np.asarray(f["rgba"])
        assert rgba.shape == (1, 5, 4)  # channels 4 and 5 left over, ignored
        np.testing.assert_array_equal(rgba[0], values[:4].T)
        a = np.asarray(f["a"])
        np.testing.assert_array_equal(a[::-1, :, 3], values)
        assert (a[..., :3] == 0).all()
        assert np.asarray(f["big"]).shape == (12, 10, 4)


def test_chop_to_top_of_an_empty_chop_is_a_cook_error(render):
    r = render(scene("c: {type: constantCHOP, par: {const0name: ''}}\nt: {type: choptoTOP, par: {chop: c}}\n"
                     "s: {type: textDAT, run: frame, text: \"op('t').width\"}\n", frames="1"))
    assert r.returncode == 1
    assert "chop 'c' has 0 channel(s)" in r.stderr


def test_feedback_may_read_its_own_previous_output():
    # `top` naming the Feedback TOP itself: each frame shows the previous
    # frame's output, so the first frame's image is held.
    with session(STAMP + "fb: {type: feedbackTOP, inputs: stamp, par: {top: fb}}\n") as s:
        assert [cached_frame(s.cook(f)["fb"]) for f in range(1, 6)] == [1, 1, 1, 1, 1]
