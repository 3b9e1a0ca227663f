#!/usr/bin/python3
"""Writes scenes/media/pulse.flac, the sound of scenes/audio_reactive.yaml:
8 seconds at 48 kHz, mono, made from scratch (no samples of anyone's
recording): a kick drum on every beat at 120 bpm (a 50 Hz -> 150 Hz pitch
drop with a fast decay), a hi-hat of shaped noise on the off-beats, and a
chord pad whose root moves every two bars. Public domain (CC0 1.0), like
the file it makes.

Run from the repository: /usr/bin/python3 scenes/media/make_pulse.py
(needs numpy and Debian's ffmpeg for the FLAC encoding)."""
import pathlib
import subprocess

import numpy as np

RATE = 48000
SECONDS = 8.0
BPM = 120


def main():
    n = int(RATE * SECONDS)
    t = np.arange(n) / RATE
    beat = 60 / BPM
    out = np.zeros(n)
    rng = np.random.default_rng(12)
    for k in range(int(SECONDS / beat)):
        start = int(k * beat * RATE)
        # Kick: the pitch falls from 150 to 50 Hz in 60 ms.
        m = min(n - start, int(0.4 * RATE))
        tk = np.arange(m) / RATE
        freq = 50 + 100 * np.exp(-tk / 0.03)
        out[start:start + m] += 0.9 * np.sin(2 * np.pi * np.cumsum(freq) / RATE) * np.exp(-tk / 0.12)
        # Hi-hat on the off-beat: high-passed noise, 40 ms.
        off = start + int(beat / 2 * RATE)
        if off < n:
            h = min(n - off, int(0.05 * RATE))
            noise = np.diff(rng.standard_normal(h + 1))
            out[off:off + h] += 0.15 * noise * np.exp(-np.arange(h) / RATE / 0.012)
    # Pad: a minor chord, root moving every bar (A, F, C, G).
    roots = [220.0, 174.61, 261.63, 196.0]
    bar = 4 * beat
    for i, root in enumerate(roots):
        a, b = int(i * bar * RATE), min(n, int((i + 1) * bar * RATE))
        if a >= n:
            break
        tp = t[a:b] - t[a]
        env = np.minimum(1, tp / 0.3) * np.minimum(1, (tp[-1] - tp) / 0.3 + 1e-9)
        for ratio in (1, 1.2, 1.5):
            out[a:b] += 0.07 * env * np.sin(2 * np.pi * root * ratio * tp)
    out = np.clip(out / np.max(np.abs(out)) * 0.9, -1, 1)
    pcm = np.round(out * 32767).astype("<i2").tobytes()
    target = pathlib.Path(__file__).with_name("pulse.flac")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-",
                    "-compression_level", "12", str(target)], input=pcm, check=True)
    print(target)


if __name__ == "__main__":
    main()
