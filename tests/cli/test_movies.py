"""Movies in and out: the codecs editors take (probed with ffprobe, decoded
with ffmpeg and compared with the PNG render of the same frames), the Movie
File In TOP's frame accuracy, and partial movies on interrupt."""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import OpenImageIO as oiio
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402

pytestmark = pytest.mark.skipif(not shutil.which("ffprobe"), reason="needs ffmpeg/ffprobe (Debian ffmpeg)")

W, H, N = 160, 96, 48

# Colour noise, blurred a little (footage-like), moving every frame.
SOURCE = f"""\
netcook: 1
fps: 24
frames: 1-{N}
resolution: [{W}, {H}]
ops:
  noise1: {{type: noiseTOP, par: {{period: 60, harmon: 3, mono: false, tz: {{expr: "me.time.seconds * 2"}}}}}}
  blur1: {{type: blurTOP, inputs: [noise1], par: {{size: 3}}}}
outputs:
  - {{op: blur1, path: out/f.####.png}}
  - {{op: blur1, path: out/h264.mp4}}
  - {{op: blur1, path: out/hq.mov}}
  - {{op: blur1, path: out/alpha.mov, codec: prores4444}}
  - {{op: blur1, path: out/vp9.webm}}
  - {{op: blur1, path: out/anim.gif}}
"""


def probe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=codec_name,profile,pix_fmt,width,height,r_frame_rate,nb_read_frames,"
         "color_range,color_space,color_transfer,color_primaries", "-of", "json", str(path)],
        capture_output=True, text=True, check=True).stdout
    return json.loads(out)["streams"][0]


def decode(path, w=W, h=H):
    # The file's own matrix (its tags), full chroma interpolation and
    # accurate rounding: what an editor shows, not ffmpeg's fast default.
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf",
                          "scale=flags=bicubic+accurate_rnd+full_chroma_int,format=rgba",
                          "-f", "rawvideo", "-pix_fmt", "rgba", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 4)


def png(path):
    return oiio.ImageBuf(str(path)).get_pixels(oiio.UINT8)


def psnr(a, b):
    mse = np.mean((a[..., :3].astype(np.float64) - b[..., :3].astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The source scene rendered once: PNG frames and every movie."""
    root = tmp_path_factory.mktemp("movies")
    (root / "source.yaml").write_text(SOURCE)
    proc = subprocess.run([os.environ.get("NETCOOK_BIN", str(REPO / "build/bin/netcook")), "render", "source.yaml",
                           "--quiet"], cwd=root, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.mark.parametrize("name,codec,profile,pix_fmt,min_psnr", [
    ("h264.mp4", "h264", "High", "yuv420p", 40),
    ("hq.mov", "prores", "HQ", "yuv422p10le", 45),
    ("alpha.mov", "prores", "4444", "yuva444p12le", 50),
    ("vp9.webm", "vp9", None, "yuv420p", 36),
])
def test_round_trip_yuv_codecs(rendered, name, codec, profile, pix_fmt, min_psnr):
    s = probe(rendered / "out" / name)
    assert s["codec_name"] == codec
    if profile:
        assert s["profile"] == profile
    assert s["pix_fmt"] == pix_fmt
    assert (s["width"], s["height"]) == (W, H)
    assert s["r_frame_rate"] == "24/1"
    assert int(s["nb_read_frames"]) == N
    assert (s["color_primaries"], s["color_transfer"], s["color_space"], s["color_range"]) == \
        ("bt709", "bt709", "bt709", "tv")
    frames = decode(rendered / "out" / name)
    assert frames.shape[0] == N
    worst = min(psnr(frames[i], png(rendered / "out" / f"f.{i + 1:04d}.png")) for i in range(N))
    assert worst >= min_psnr, f"{name}: worst frame PSNR {worst:.2f} dB"


def test_prores4444_keeps_alpha(tmp_path, netcook):
    (tmp_path / "a.yaml").write_text("""\
netcook: 1
frames: 1-3
resolution: [32, 16]
ops:
  c: {type: constantTOP, par: {colorr: 1, colorg: 0.5, colorb: 0.25, alpha: 0.4}}
outputs:
  - {op: c, path: a.mov, codec: prores4444}
""")
    r = netcook("render", "a.yaml", "--quiet")
    assert r.returncode == 0, r
    alpha = decode(tmp_path / "a.mov", 32, 16)[..., 3]
    assert np.all(np.abs(alpha.astype(int) - round(0.4 * 255)) <= 1)


def test_gif_palette_as_good_as_ffmpeg(rendered, tmp_path):
    s = probe(rendered / "out" / "anim.gif")
    assert s["codec_name"] == "gif" and (s["width"], s["height"]) == (W, H)
    assert int(s["nb_read_frames"]) == N
    ours = decode(rendered / "out" / "anim.gif")
    # ffmpeg's own two-pass palettegen + paletteuse on the same PNG frames.
    reference = tmp_path / "ffmpeg.gif"
    subprocess.run(["ffmpeg", "-v", "error", "-framerate", "24", "-i", str(rendered / "out" / "f.%04d.png"),
                    "-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse", str(reference)], check=True)
    theirs = decode(reference)
    pngs = [png(rendered / "out" / f"f.{i + 1:04d}.png") for i in range(N)]
    ours_db = np.mean([psnr(ours[i], pngs[i]) for i in range(N)])
    theirs_db = np.mean([psnr(theirs[i], pngs[i]) for i in range(N)])
    assert ours_db >= theirs_db - 0.5, f"netcook {ours_db:.2f} dB, ffmpeg {theirs_db:.2f} dB"


def reader_scene(path, file, extra=""):
    path.write_text(f"""\
netcook: 1
fps: 24
frames: 1-{N}
resolution: [{W}, {H}]
ops:
  movie1: {{type: moviefileinTOP, par: {{file: {file}{extra}}}}}
outputs:
  - {{op: movie1, path: out/r.####.png}}
""")
    return path


def best_match(image, references):
    scores = [psnr(image, ref) for ref in references]
    return int(np.argmax(scores)), max(scores)


# Frames out of order: forwards, backwards, repeats, jumps across GOPs.
ORDER = [1, 2, 3, 30, 31, 12, 11, 10, 48, 47, 1, 24, 25, 26, 5, 40, 39, 2, 48, 20]


@pytest.mark.parametrize("movie", ["hq.mov", "alpha.mov", "h264.mp4", "gop.mp4", "vp9.webm", "anim.gif", "seq"])
def test_moviefilein_frame_n_is_file_frame_n(rendered, movie):
    root = rendered
    if movie == "gop.mp4" and not (root / "gop.mp4").exists():
        # Short GOPs with B-frames: seeking must land on the key frame before
        # and decode forward, not take the nearest key frame.
        subprocess.run(["ffmpeg", "-v", "error", "-framerate", "24", "-i", str(root / "out" / "f.%04d.png"),
                        "-c:v", "libx264", "-g", "7", "-bf", "3", "-crf", "12", "-pix_fmt", "yuv420p",
                        str(root / "gop.mp4")], check=True)
    file = "out/f.####.png" if movie == "seq" else (movie if movie == "gop.mp4" else f"out/{movie}")
    scene = reader_scene(root / f"read_{movie.replace('.', '_')}.yaml", file)
    refs = [png(root / "out" / f"f.{i + 1:04d}.png") for i in range(N)]
    session = netcook.Session(str(scene))
    for frame in ORDER + list(range(1, N + 1)):
        image = session.cook(frame)["movie1"]
        as8 = np.clip(np.rint(image * 255), 0, 255).astype(np.uint8)
        index, score = best_match(as8, refs)
        assert index == frame - 1, f"{movie}: timeline frame {frame} showed file frame {index + 1}"
        if movie == "seq":
            assert score == 99.0
        else:  # GIF: 256 colours, dithered; its frames keep their uneven 1/100 s delays
            assert score > (25 if movie == "anim.gif" else 36)


def test_moviefilein_specify_trim_extend(rendered):
    refs = [png(rendered / "out" / f"f.{i + 1:04d}.png") for i in range(N)]

    def shown(extra, frames):
        scene = reader_scene(rendered / "spec.yaml", "out/f.####.png", extra)
        session = netcook.Session(str(scene))
        out = []
        for f in frames:
            image = session.cook(f)["movie1"]
            out.append(best_match(np.clip(np.rint(image * 255), 0, 255).astype(np.uint8), refs)[0]
                       if image[..., 3].max() > 0 else None)
        return out

    # index in seconds at 24 frames/s of the sequence (the timeline's rate).
    assert shown(", playmode: specify, index: 0.5, indexunit: seconds", [1]) == [12]
    assert shown(", playmode: specify, index: 1, indexunit: fraction", [1]) == [N - 1]
    # Trim 10..14: the clip plays from its trim start, then repeats (the
    # default), holds, mirrors or goes transparent past its end.
    trim = ", trim: true, tstart: 10, tstartunit: indices, tend: 14, tendunit: indices"
    assert shown(trim, [1, 5, 6, 7]) == [10, 14, 10, 11]
    assert shown(trim + ", textendright: hold", [6, 30]) == [14, 14]
    assert shown(trim + ", textendright: mirror", [5, 6, 7, 11]) == [14, 14, 13, 10]
    assert shown(trim + ", textendright: zero", [6]) == [None]
    assert shown(trim + ", playmode: specify, index: -2, textendleft: repeat", [1]) == [13]
    assert shown(trim + ", playmode: specify, index: 0.5, indexunit: fraction", [1]) == [12]
    # Sequential at double speed.
    assert shown(", playmode: sequential, speed: 2", [1, 2, 3, 10]) == [0, 2, 4, 18]


def test_movie_shorter_than_the_render_follows_extend(rendered):
    scene = reader_scene(rendered / "long.yaml", "out/hq.mov")
    text = scene.read_text().replace(f"frames: 1-{N}", f"frames: 1-{N + 3}")
    text = text.replace("file: out/hq.mov", "file: out/hq.mov, textendright: hold")
    scene.write_text(text)
    session = netcook.Session(str(scene))
    last = png(rendered / "out" / f"f.{N:04d}.png")
    image = session.cook(N + 3)["movie1"]
    assert psnr(np.clip(np.rint(image * 255), 0, 255).astype(np.uint8), last) > 40


def test_missing_movie_is_a_scene_error(tmp_path, netcook):
    (tmp_path / "s.yaml").write_text("""\
netcook: 1
frames: 1-2
ops:
  movie1: {type: moviefileinTOP, par: {file: footage/nope.mov}}
outputs:
  - {op: movie1, path: out/f.####.png}
""")
    r = netcook("render", "s.yaml")
    assert r.returncode == 2, r
    assert "s.yaml:4:" in r.stderr and "error: cannot read footage/nope.mov" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()
    (tmp_path / "bad.mov").write_bytes(b"not a movie at all" * 10)
    (tmp_path / "s.yaml").write_text((tmp_path / "s.yaml").read_text().replace("footage/nope.mov", "bad.mov"))
    r = netcook("render", "s.yaml")
    assert r.returncode == 2 and "s.yaml:4:" in r.stderr and "error: cannot read bad.mov" in r.stderr, r


@pytest.mark.parametrize("setting,message", [
    ("preset: medum", "did you mean 'medium'"),
    ("pixel_format: yuv420", "did you mean 'yuv420p'"),
    ("codec: prores444", "'prores4444'"),
    ("bitrate: 8Q", "bitrate '8Q'"),
    ("quality: 50, bitrate: 8M", "give one"),
])
def test_bad_video_settings_are_scene_errors(tmp_path, netcook, setting, message):
    (tmp_path / "s.yaml").write_text(f"""\
netcook: 1
frames: 1-2
ops:
  c: {{type: constantTOP}}
outputs:
  - {{op: c, path: out/m.mp4, {setting}}}
""")
    r = netcook("render", "s.yaml")
    assert r.returncode == 2, r
    assert "s.yaml:6:" in r.stderr and message in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_preset_pixel_format_bitrate_reach_the_file(tmp_path, netcook):
    (tmp_path / "s.yaml").write_text("""\
netcook: 1
frames: 1-12
resolution: [64, 32]
ops:
  n: {type: noiseTOP, par: {tz: {expr: "me.time.seconds"}}}
outputs:
  - {op: n, path: a.mp4, preset: ultrafast, pixel_format: yuv444p}
  - {op: n, path: b.mp4, bitrate: 200k}
  - {op: n, path: c.webm, preset: "8"}
""")
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode == 0, r
    assert probe(tmp_path / "a.mp4")["pix_fmt"] == "yuv444p"
    assert int(probe(tmp_path / "b.mp4")["nb_read_frames"]) == 12
    assert int(probe(tmp_path / "c.webm")["nb_read_frames"]) == 12


def test_movies_are_the_same_bytes_on_any_thread_count(tmp_path, netcook):
    """An encoder's output depends on its own thread count (libx264's does):
    netcook fixes it, so --threads never changes a movie's bytes."""
    (tmp_path / "s.yaml").write_text("""\
netcook: 1
frames: 1-12
resolution: [96, 64]
ops:
  n: {type: noiseTOP, par: {tz: {expr: "me.time.seconds"}}}
  b: {type: blurTOP, inputs: [n], par: {size: 3}}
outputs:
  - {op: b, path: out/m.mp4}
  - {op: b, path: out/m.webm}
  - {op: b, path: out/m.mov}
""")
    movies = {}
    for threads in ("1", "2", "3"):
        r = netcook("render", "s.yaml", "--quiet", "--threads", threads)
        assert r.returncode == 0, r
        movies[threads] = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
        for p in (tmp_path / "out").iterdir():
            p.unlink()
    assert sorted(movies["1"]) == ["m.mov", "m.mp4", "m.webm"]
    assert movies["1"] == movies["2"] == movies["3"]


SLOW = """\
netcook: 1
frames: 1-2000
resolution: [64, 48]
ops:
  noise1: {type: noiseTOP, par: {tz: {expr: "me.time.seconds"}}}
  wait:
    type: textDAT
    run: frame
    text: |
      import time
      time.sleep(0.02)
outputs:
  - {op: noise1, path: out/m.mp4}
"""


@pytest.mark.parametrize("sig,status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_keeps_a_playable_partial_movie(tmp_path, netcook_bin, sig, status):
    (tmp_path / "s.yaml").write_text(SLOW)
    proc = subprocess.Popen([netcook_bin, "render", "s.yaml"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # Signal once the movie is being written (its temporary file exists) and
    # a few frames are in, however slow the machine (sanitizer builds).
    out = tmp_path / "out"
    deadline = time.time() + 120
    while time.time() < deadline and not (out.exists() and list(out.glob(".m*.tmp-*"))):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, stderr
    assert sorted(p.name for p in out.iterdir()) == ["m.partial.mp4"], stderr
    s = probe(out / "m.partial.mp4")
    assert s["codec_name"] == "h264"
    frames = int(s["nb_read_frames"])
    assert 0 < frames < 2000
    assert f"partial movie out/m.partial.mp4 holds the {frames} frames done" in stderr
    assert decode(out / "m.partial.mp4", 64, 48).shape[0] == frames


def test_moviefilein_same_bytes_any_threads_and_any_start(rendered, netcook):
    """Frame N of a partial render (--frames) equals frame N of a full one,
    on 1 or 2 threads, for locked and sequential play (sequential is
    stateful: a later start pre-rolls it)."""
    scene = reader_scene(rendered / "det.yaml", "out/h264.mp4",
                         ", playmode: sequential, speed: {expr: \"1 + 0.5 * (me.time.frame > 10)\"}")
    text = scene.read_text().replace("out/r.####.png", "OUT/r.####.png")
    runs = {}
    for name, args in {"full1": ["--threads", "1"], "full2": ["--threads", "2"],
                       "part2": ["--threads", "2", "--frames", "20-26"]}.items():
        (rendered / f"det_{name}.yaml").write_text(text.replace("OUT", f"det_{name}"))
        r = netcook("render", f"det_{name}.yaml", "--quiet", *args, cwd=rendered)
        assert r.returncode == 0, r
        runs[name] = rendered / f"det_{name}"
    for n in range(1, N + 1):
        a = (runs["full1"] / f"r.{n:04d}.png").read_bytes()
        assert a == (runs["full2"] / f"r.{n:04d}.png").read_bytes(), n
        if 20 <= n <= 26:
            assert a == (runs["part2"] / f"r.{n:04d}.png").read_bytes(), n
    # Sequential: +1 a frame up to frame 10 (position 9), then +1.5: frame 20 shows 9 + 10 * 1.5.
    refs = [png(rendered / "out" / f"f.{i + 1:04d}.png") for i in range(N)]
    assert best_match(png(runs["full1"] / "r.0020.png"), refs)[0] == 24


def test_moviefilein_snapshot_resumes_identically(rendered):
    scene = reader_scene(rendered / "snap.yaml", "out/hq.mov", ", playmode: sequential, speed: 1.5")
    full = netcook.Session(str(scene))
    expected = {f: full.cook(f)["movie1"].copy() for f in range(1, 16)}
    first = netcook.Session(str(scene))
    first.cook(7)
    snap = first.snapshot()
    resumed = netcook.Session(str(scene))
    resumed.restore(snap)
    for f in range(8, 16):
        assert np.array_equal(resumed.cook(f)["movie1"], expected[f]), f
