#!/usr/bin/python3
"""Sound benchmarks for netcook (part of `make bench`).

1. End to end: scenes/audio_reactive.yaml at 1920x1080, frames 1-N, whole
   `netcook render` processes, wall clock, best of --repeat: to an mp4
   without the sound track, with it (AAC), and cook only (--no-write). The
   cost of the sound is (with - without) / without.
2. Audio File In + Audio Spectrum per frame: a session cooking only those
   two CHOPs (2048-sample FFT over 8 bands of the example's 48 kHz sound)
   frame after frame through the Python module; the time per frame includes
   the module's call overhead, so it is an upper bound. Target: < 0.2 ms.

Prints, never asserts (the machine may be busy). Exit status 1 only when a
program fails to run.

Usage: /usr/bin/python3 bench/audio.py --netcook build/bin/netcook [--frames 120] [--repeat 2]
"""
from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
SCENE = REPO / "scenes" / "audio_reactive.yaml"


def best_of(repeat, fn):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--netcook", default=str(REPO / "build" / "bin" / "netcook"))
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    netcook = str(pathlib.Path(args.netcook).resolve())

    with tempfile.TemporaryDirectory(prefix="netcook-audio-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        shutil.copytree(REPO / "scenes" / "media", tmp / "media")
        text = SCENE.read_text().replace("resolution: [1280, 720]", "resolution: [1920, 1080]")
        with_sound = tmp / "with.yaml"
        without = tmp / "without.yaml"
        with_sound.write_text(text.replace("out/audio_reactive.mp4", "out/with.mp4"))
        without.write_text(text.replace("out/audio_reactive.mp4, audio: audio1", "out/without.mp4"))
        frames = f"1-{args.frames}"

        def render(scene, *extra):
            def run():
                r = subprocess.run([netcook, "render", str(scene), "--quiet", "--frames", frames, *extra],
                                   cwd=tmp, capture_output=True, text=True)
                if r.returncode != 0:
                    print(r.stderr, file=sys.stderr)
                    sys.exit(1)
            return run

        print(f"audio-reactive example, 1920x1080, {args.frames} frames, best of {args.repeat} (wall clock):")
        results = {}
        for label, scene, extra in (("cook only (--no-write)", without, ("--no-write",)),
                                    ("mp4, no sound", without, ()),
                                    ("mp4 + AAC sound", with_sound, ())):
            seconds = best_of(args.repeat, render(scene, *extra))
            results[label] = seconds
            print(f"  {label:24s} {seconds:7.2f} s  {args.frames / seconds:6.1f} fps")
        extra_cost = results["mp4 + AAC sound"] / results["mp4, no sound"] - 1
        print(f"  the sound track costs {100 * extra_cost:+.1f}% of the render")

        sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
        import netcook as nc  # noqa: E402

        ops = ("netcook: 1\nfps: 60\nframes: 1-480\nops:\n"
               "  audio1: {type: audiofileinCHOP, par: {file: media/pulse.flac}}\n"
               "  spectrum1: {type: audiospectrumCHOP, inputs: [audio1], par: {fftsize: 2048, bands: 8}}\n")
        (tmp / "chops.yaml").write_text(ops)
        best = float("inf")
        for _ in range(args.repeat):
            with nc.Session(str(tmp / "chops.yaml")) as s:
                s.cook(1, ops=["spectrum1"])
                start = time.perf_counter()
                for frame in range(2, 481):
                    s.cook(frame, ops=["spectrum1"])
                best = min(best, (time.perf_counter() - start) / 479)
        print(f"Audio File In + Audio Spectrum (2048-point FFT, 8 bands), per frame: {best * 1e3:.3f} ms "
              f"(target < 0.2 ms; includes the Python call)")


if __name__ == "__main__":
    main()
