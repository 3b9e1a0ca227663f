"""Sound: multi-sample CHOPs, Audio File In (decoding, resampling, timeline
lock), Audio Spectrum, Analyze, checked against numpy on generated sines."""
import math
import os
import pathlib
import sys
import wave

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402

FPS = 60


def write_sine(path, freq, rate, seconds, amp=0.5, channels=1):
    """A 32-bit PCM WAV; channel c is amp * sin(2 pi freq (c + 1) t)."""
    n = int(round(rate * seconds))
    t = np.arange(n) / rate
    data = np.stack([amp * np.sin(2 * np.pi * freq * (c + 1) * t) for c in range(channels)], axis=1)
    ints = np.round(data * (2**31 - 1)).astype("<i4")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(4)
        w.setframerate(rate)
        w.writeframes(ints.tobytes())
    return data


def expected_slice(frame, rate, freq, amp=0.5, harmonic=1):
    first = math.floor((frame - 1) * rate / FPS + 1e-9)
    end = math.floor(frame * rate / FPS + 1e-9)
    i = np.arange(first, end)
    return amp * np.sin(2 * np.pi * freq * harmonic * i / rate)


def session(tmp_path, ops, frames="1-60"):
    text = f"netcook: 1\nfps: {FPS}\nframes: {frames}\nops:\n" + ops
    (tmp_path / "scene.yaml").write_text(text)
    return netcook.Session(str(tmp_path / "scene.yaml"))


def test_audio_file_in_at_the_file_rate_is_the_file_exactly(tmp_path):
    write_sine(tmp_path / "sine.wav", 440, 44100, 1.0, channels=2)
    with session(tmp_path, "  audio1: {type: audiofileinCHOP, par: {file: sine.wav}}\n") as s:
        for frame in range(1, 61):
            got = s.cook(frame, ops=["audio1"])["audio1"]
            assert list(got) == ["chan1", "chan2"]
            for h, name in ((1, "chan1"), (2, "chan2")):
                want = expected_slice(frame, 44100, 440, harmonic=h)
                assert got[name].shape == want.shape  # 735 samples a frame
                np.testing.assert_allclose(got[name], want, atol=2e-6)
        op = s.op("audio1")
        assert op.rate == 44100 and op.numSamples == 735 and op.start == 59 * 735


def test_audio_file_in_resampled_has_the_expected_samples_at_every_frame(tmp_path):
    write_sine(tmp_path / "sine.wav", 440, 44100, 1.0)
    with session(tmp_path, "  audio1: {type: audiofileinCHOP, par: {file: sine.wav, rate: 48000}}\n") as s:
        for frame in range(1, 61):
            got = s.cook(frame, ops=["audio1"])["audio1"]["chan1"]
            want = expected_slice(frame, 48000, 440)
            assert got.shape == (800,)
            # The file starts and stops abruptly: the resampler's filter rings
            # for a few ms at either end, where no band-limited answer exists.
            keep = np.ones(800, bool)
            if frame == 1:
                keep[:48] = False
            if frame == 60:
                keep[-48:] = False
            np.testing.assert_allclose(got[keep], want[keep], atol=1e-4)


def test_frames_see_the_same_samples_whatever_range_is_rendered(tmp_path):
    write_sine(tmp_path / "sine.wav", 300, 48000, 1.0)
    ops = "  audio1: {type: audiofileinCHOP, par: {file: sine.wav, volume: 0.5}}\n"
    with session(tmp_path, ops) as s:
        full = s.cook(37, ops=["audio1"])["audio1"]["chan1"].copy()
    with session(tmp_path, ops, frames="37-40") as s:
        alone = s.cook(37, ops=["audio1"])["audio1"]["chan1"]
    np.testing.assert_array_equal(full, alone)
    np.testing.assert_allclose(full, 0.5 * expected_slice(37, 48000, 300), atol=2e-6)


def test_trim_and_cue(tmp_path):
    write_sine(tmp_path / "sine.wav", 200, 48000, 1.0)
    ops = "  audio1: {type: audiofileinCHOP, par: {file: sine.wav, trim: true, tstart: 0.25, tend: 0.5}}\n"
    with session(tmp_path, ops) as s:
        got = s.cook(1, ops=["audio1"])["audio1"]["chan1"]
        np.testing.assert_allclose(got, 0.5 * np.sin(2 * np.pi * 200 * (12000 + np.arange(800)) / 48000), atol=2e-6)
        assert not s.cook(20, ops=["audio1"])["audio1"]["chan1"].any()  # past tend: silence
        s.op("audio1").par.cue = True
        s.op("audio1").par.cuepoint = 0.1
        a = s.cook(21, ops=["audio1"])["audio1"]["chan1"].copy()
        b = s.cook(22, ops=["audio1"])["audio1"]["chan1"]
        np.testing.assert_array_equal(a, b)


def test_spectrum_peaks_in_the_right_bin_and_band(tmp_path):
    write_sine(tmp_path / "sine.wav", 1000, 48000, 1.0, amp=0.8)
    ops = (
        "  audio1: {type: audiofileinCHOP, par: {file: sine.wav}}\n"
        "  spectrum1: {type: audiospectrumCHOP, inputs: [audio1], par: {fftsize: 2048}}\n"
        "  bands1: {type: audiospectrumCHOP, inputs: [audio1], par: {bands: 16, window: blackman}}\n"
    )
    with session(tmp_path, ops) as s:
        out = s.cook(30, ops=["spectrum1", "bands1"])
        mags = out["spectrum1"]["chan1"]
        assert mags.shape == (1025,)
        peak = int(np.argmax(mags))
        assert peak == round(1000 * 2048 / 48000)
        assert 0.5 < mags[peak] <= 0.81  # amplitude 0.8, between bins: scalloping
        # Against numpy: the last 2048 samples before the end of frame 30.
        end = 30 * 800
        t = np.arange(end - 2048, end) / 48000
        x = 0.8 * np.sin(2 * np.pi * 1000 * t) * np.hanning(2049)[:-1]
        ref = np.abs(np.fft.rfft(x)) * 2 / np.hanning(2049)[:-1].sum()
        ref[0] /= 2
        ref[-1] /= 2
        np.testing.assert_allclose(mags, ref, atol=1e-5)
        op = s.op("spectrum1")
        assert abs(peak / op.rate - 1000) < 48000 / 2048  # index / rate is Hz
        bands = out["bands1"]["chan1"]
        edges = 20 * (24000 / 20) ** (np.arange(17) / 16)
        want_band = int(np.searchsorted(edges, 1000) - 1)
        assert int(np.argmax(bands)) == want_band


def test_spectrum_window_spans_frames_and_is_prerolled(tmp_path):
    write_sine(tmp_path / "sine.wav", 500, 48000, 1.0)
    ops = (
        "  audio1: {type: audiofileinCHOP, par: {file: sine.wav}}\n"
        "  spectrum1: {type: audiospectrumCHOP, inputs: [audio1], par: {fftsize: 4096}}\n"
    )
    with session(tmp_path, ops) as s:
        full = s.cook(20, ops=["spectrum1"])["spectrum1"]["chan1"].copy()
    with session(tmp_path, ops, frames="20-21") as s:
        alone = s.cook(20, ops=["spectrum1"])["spectrum1"]["chan1"]
    np.testing.assert_array_equal(full, alone)


@pytest.mark.parametrize("function", ["average", "minimum", "maximum", "sum", "rmspower", "peak", "length"])
def test_analyze_equals_numpy(tmp_path, function):
    write_sine(tmp_path / "sine.wav", 37, 48000, 1.0, amp=0.7)
    ops = (
        "  audio1: {type: audiofileinCHOP, par: {file: sine.wav}}\n"
        f"  analyze1: {{type: analyzeCHOP, inputs: [audio1], par: {{function: {function}}}}}\n"
    )
    numpy_of = {
        "average": np.mean, "minimum": np.min, "maximum": np.max, "sum": np.sum,
        "rmspower": lambda x: np.sqrt(np.mean(x * x)), "peak": lambda x: np.max(np.abs(x)), "length": len,
    }[function]
    with session(tmp_path, ops) as s:
        for frame in (1, 7, 33):
            out = s.cook(frame, ops=["audio1", "analyze1"])
            x = out["audio1"]["chan1"].astype(np.float64)
            assert out["analyze1"]["chan1"] == pytest.approx(numpy_of(x), rel=1e-6, abs=1e-6)
            assert s.op("analyze1").numSamples == 1 and s.op("analyze1").start == frame - 1


def test_multi_sample_python_api_and_mixed_rates(tmp_path):
    write_sine(tmp_path / "sine.wav", 100, 48000, 1.0)
    ops = (
        "  audio1: {type: audiofileinCHOP, par: {file: sine.wav}}\n"
        "  const1: {type: constantCHOP, par: {const0name: chan1, const0value: 2}}\n"
        "  math1: {type: mathCHOP, inputs: [audio1, const1], par: {chopop: mul}}\n"
        "  merge1: {type: mergeCHOP, inputs: [audio1, const1]}\n"
        "  lfo1: {type: lfoCHOP, par: {frequency: 1, wavetype: ramp}}\n"
        "  math2: {type: mathCHOP, inputs: [lfo1, audio1], par: {chopop: add}}\n"
        "  text1:\n"
        "    type: textDAT\n"
        "    run: frame\n"
        "    text: |\n"
        "      a = op('audio1')\n"
        "      ch = a['chan1']\n"
        "      assert a.numSamples == 800 and a.rate == 48000 and a.start == (me.time.frame - 1) * 800\n"
        "      assert a.end == a.start + 799\n"
        "      assert len(ch.vals) == 800 and ch[799] == ch.eval() == ch.vals[-1] and ch[0] == ch.eval(0)\n"
        "      assert ch.numpyArray().shape == (800,) and a.numpyArray().shape == (1, 800)\n"
        "      assert abs(float(ch) - ch.vals[-1]) < 1e-12\n"
        "      m = op('math1')\n"
        "      assert m.numSamples == 800 and m.rate == 48000\n"
        "      assert max(abs(x - 2 * y) for x, y in zip(m['chan1'].vals, ch.vals)) < 1e-6\n"
        "      assert op('merge1').numChans == 2 and op('merge1')[1].vals == [2.0] * 800\n"
        "      m2 = op('math2')\n"
        "      assert m2.numSamples == 1 and m2.rate == 60\n"
        "      assert abs(m2['chan1'][0] - (op('lfo1')['chan1'][0] + ch[0])) < 1e-6\n"
    )
    with session(tmp_path, ops, frames="1-5") as s:
        stats = s.render(write=False)
        assert stats["frames"] == 5


def test_missing_and_unreadable_files_are_scene_errors(tmp_path):
    (tmp_path / "notsound.wav").write_text("hello")
    for name in ("missing.wav", "notsound.wav"):
        (tmp_path / "scene.yaml").write_text(
            f"netcook: 1\nops:\n  audio1:\n    type: audiofileinCHOP\n    par: {{file: {name}}}\n"
        )
        with pytest.raises(netcook.SceneError) as e:
            netcook.Session(str(tmp_path / "scene.yaml"))
        assert "scene.yaml:5:" in str(e.value) and name in str(e.value)


def test_spectrum_state_survives_a_snapshot(tmp_path):
    write_sine(tmp_path / "sine.wav", 700, 48000, 1.0)
    ops = (
        "  audio1: {type: audiofileinCHOP, par: {file: sine.wav}}\n"
        "  spectrum1: {type: audiospectrumCHOP, inputs: [audio1], par: {fftsize: 8192, window: hamming}}\n"
    )
    with session(tmp_path, ops) as s:
        s.cook(10, ops=["spectrum1"])
        snap = s.snapshot()
        want = s.cook(11, ops=["spectrum1"])["spectrum1"]["chan1"].copy()
    with session(tmp_path, ops) as t:
        t.restore(snap)
        got = t.cook(11, ops=["spectrum1"])["spectrum1"]["chan1"]
    np.testing.assert_array_equal(got, want)


def test_audio_driven_frames_are_identical_on_one_and_two_threads(tmp_path):
    write_sine(tmp_path / "sine.wav", 180, 48000, 1.0)
    (tmp_path / "scene.yaml").write_text(
        "netcook: 1\nfps: 60\nframes: 1-12\nresolution: [96, 64]\nops:\n"
        "  audio1: {type: audiofileinCHOP, par: {file: sine.wav, rate: 44100}}\n"
        "  level1: {type: analyzeCHOP, inputs: [audio1], par: {function: rmspower}}\n"
        "  spectrum1: {type: audiospectrumCHOP, inputs: [audio1], par: {bands: 6}}\n"
        "  ring1: {type: circleTOP, par: {radiusx: {expr: \"op('level1')['chan1']\"},"
        " borderwidth: 3, borderr: {expr: \"op('spectrum1')['chan1'][1]\"}}}\n"
        "  blur1: {type: blurTOP, inputs: [ring1], par: {size: 4}}\n"
    )
    results = []
    for threads in (1, 2):
        with netcook.Session(str(tmp_path / "scene.yaml"), threads=threads) as s:
            out = s.cook(12, ops=["blur1", "spectrum1"])
            results.append((np.array(out["blur1"]), out["spectrum1"]["chan1"].copy()))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])
    assert results[0][0].any()
