"""Sound in the movie: an output's `audio:` CHOP encoded with the video
(AAC in mp4/mov, Opus in webm), probed with ffprobe and decoded back with
ffmpeg: duration, rate, content and sync for full and partial ranges;
scene errors for bad `audio:` keys."""
import json
import os
import pathlib
import shutil
import subprocess
import wave

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NETCOOK = os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))

pytestmark = pytest.mark.skipif(not shutil.which("ffprobe"), reason="needs ffmpeg/ffprobe (Debian ffmpeg)")

FPS = 30
RATE = 48000


def write_chirp(path, seconds=3.0, rate=RATE):
    """A sweep 200 -> 2000 Hz plus a 3 Hz tremolo: no stretch looks like another."""
    t = np.arange(int(rate * seconds)) / rate
    f = 200 + 600 * t
    x = 0.5 * np.sin(2 * np.pi * np.cumsum(f) / rate) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.round(x * 32767).astype("<i2").tobytes())
    return x


def scene(path, frames="1-60", extra=""):
    return f"""\
netcook: 1
fps: {FPS}
frames: {frames}
resolution: [64, 48]
ops:
  audio1: {{type: audiofileinCHOP, par: {{file: chirp.wav}}}}
  level1: {{type: analyzeCHOP, inputs: [audio1], par: {{function: rmspower}}}}
  spectrum1: {{type: audiospectrumCHOP, inputs: [audio1], par: {{bands: 4}}}}
  const1: {{type: constantTOP, par: {{colorr: {{expr: "op('level1')['chan1'] * 2"}},
                                    colorg: {{expr: "op('spectrum1')['chan1'][2] * 4"}}}}}}
outputs:
  - {{op: const1, path: {path}{extra}}}
"""


def run(tmp_path, text, *args):
    (tmp_path / "scene.yaml").write_text(text)
    return subprocess.run([NETCOOK, "render", "scene.yaml", "--quiet", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)


def probe_audio(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return [s for s in json.loads(out)["streams"] if s["codec_type"] == "audio"]


def decode(path, rate=RATE):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "f32le", "-ac", "1",
                          "-ar", str(rate), "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, "<f4").astype(np.float64)


def correlation(a, b):
    n = min(len(a), len(b))
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


def best_lag(decoded, source, max_lag=960):
    n = min(len(decoded), len(source)) - 2 * max_lag
    lags = range(-max_lag, max_lag + 1)
    scores = [np.dot(decoded[max_lag + k:max_lag + k + n], source[max_lag:max_lag + n]) for k in lags]
    return list(lags)[int(np.argmax(scores))]


@pytest.mark.parametrize("name,codec", [("out.mp4", "aac"), ("out.mov", "aac"), ("out.webm", "opus")])
def test_movie_sound_has_the_range_duration_rate_and_content(tmp_path, name, codec):
    source = write_chirp(tmp_path / "chirp.wav")
    r = run(tmp_path, scene(name, extra=", audio: audio1"))
    assert r.returncode == 0, r.stderr
    streams = probe_audio(tmp_path / name)
    assert len(streams) == 1 and streams[0]["codec_name"] == codec
    assert int(streams[0]["sample_rate"]) == RATE and int(streams[0]["channels"]) == 1
    decoded = decode(tmp_path / name)
    want = 60 * RATE // FPS  # exactly the 60 frames: 2 s
    # AAC and Opus code whole frames (1024 / 960 samples): the decoder may
    # give the last one whole.
    assert want <= len(decoded) <= want + 1024, len(decoded)
    assert correlation(decoded[:want], source[:want]) >= 0.99
    assert best_lag(decoded, source[:want]) == 0


def test_partial_range_starts_in_sync(tmp_path):
    source = write_chirp(tmp_path / "chirp.wav")
    r = run(tmp_path, scene("part.mp4", frames="1-90", extra=", audio: audio1"), "--frames", "31-75")
    assert r.returncode == 0, r.stderr
    decoded = decode(tmp_path / "part.mp4")
    first = 30 * RATE // FPS  # frame 31 starts at 1 s
    want = 45 * RATE // FPS
    assert want <= len(decoded) <= want + 1024
    segment = source[first:first + want]
    assert correlation(decoded[:want], segment) >= 0.99
    assert best_lag(decoded[:want], segment) == 0


def test_a_stepped_range_carries_each_written_frames_sound(tmp_path):
    source = write_chirp(tmp_path / "chirp.wav")
    r = run(tmp_path, scene("step.mp4", frames="1-60", extra=", audio: audio1"), "--frames", "1-60x2")
    assert r.returncode == 0, r.stderr
    decoded = decode(tmp_path / "step.mp4")
    per_frame = RATE // FPS
    want = np.concatenate([source[f * per_frame:(f + 1) * per_frame] for f in range(0, 60, 2)])
    assert len(want) <= len(decoded) <= len(want) + 1024
    assert correlation(decoded[:len(want)], want) >= 0.99


def test_a_rate_the_codec_does_not_take_is_resampled_into_the_track(tmp_path):
    # Opus codes 48 kHz (not 44.1): the CHOP's samples are resampled, in sync.
    source = write_chirp(tmp_path / "chirp.wav", rate=44100)
    text = scene("resampled.webm", extra=", audio: audio1").replace("file: chirp.wav", "file: chirp.wav, rate: 44100")
    r = run(tmp_path, text)
    assert r.returncode == 0, r.stderr
    (stream,) = probe_audio(tmp_path / "resampled.webm")
    assert stream["codec_name"] == "opus" and int(stream["sample_rate"]) == 48000
    decoded = decode(tmp_path / "resampled.webm", rate=44100)
    want = 60 * 44100 // FPS
    assert want <= len(decoded) <= want + 1024
    assert correlation(decoded[:want], source[:want]) >= 0.99
    assert best_lag(decoded[:want], source[:want]) == 0


@pytest.mark.parametrize(
    "path,extra,message",
    [
        ("out/f.####.png", ", audio: audio1", "only movies"),
        ("out.gif", ", audio: audio1", "audio: .gif files have no sound track"),
        ("out.mp4", ", audio: audoi1", "did you mean 'audio1'"),
        ("out.mp4", ", audio: const1", "is a constantTOP"),
        ("out.mp4", ", audoi: audio1", "unknown output key 'audoi'; did you mean 'audio'?"),
    ],
)
def test_bad_audio_keys_are_scene_errors_with_line_and_column(tmp_path, path, extra, message):
    write_chirp(tmp_path / "chirp.wav", seconds=0.2)
    r = run(tmp_path, scene(path, extra=extra))
    assert r.returncode == 2
    assert "scene.yaml:12:" in r.stderr and message in r.stderr, r.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / path).exists()


def test_a_missing_sound_file_is_a_scene_error(tmp_path):
    r = run(tmp_path, scene("out.mp4", extra=", audio: audio1"))
    assert r.returncode == 2
    assert "scene.yaml:6:" in r.stderr and "chirp.wav" in r.stderr, r.stderr
