#!/usr/bin/python3
"""Movie benchmarks for netcook (part of `make bench`).

Measures, in one run on this machine, whole processes, wall clock, best of
--repeat:

1. Writing: the quickstart scene at 1920x1080 on 2 threads, cook only
   (--no-write) and to H.264 (.mp4: libx264 preset medium, CRF 18), beside
   ffmpeg encoding the same frames from raw YUV (encode only) and
   `ffmpeg -f lavfi -i testsrc2 ... -preset medium` (ffmpeg's own source).
   The share of render time spent waiting on the encoder is
   (render - cook only) / render. Target: the render within 10% of the
   slower of cook only and encode only (the encoder runs beside the cook).
2. Reading: Movie File In decode rate of a 1080p H.264 and a ProRes 422 HQ
   file (written by netcook), `netcook render --no-write` of a scene that
   only reads the movie, beside `ffmpeg -i FILE -f null -` (decode only,
   no RGB conversion) and the same with `-vf format=rgba64le` (decode and
   convert, what netcook does). Steady rates: (frames - 1) / (time of the
   run - time of a 1-frame run), so start-up is left out.

Beside each wall time, the CPU time (user + system of the process and its
children) per frame: on a busy machine wall time says little, CPU time per
frame still compares the programs.

Prints, never asserts (the machine may be busy). Exit status 1 only when a
program fails to run.

Usage: /usr/bin/python3 bench/movies.py --netcook build/bin/netcook [--frames 60] [--repeat 2]
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
QUICKSTART = REPO / "scenes" / "quickstart.yaml"
HD = ["--set", "noise1.resolutionw=960", "--set", "noise1.resolutionh=540"]  # 2x kaleidoscope -> 1920x1080


class Timing(float):
    """Wall seconds (the float itself) with the CPU seconds it used (.cpu)."""

    def __new__(cls, wall: float, cpu: float):
        t = super().__new__(cls, wall)
        t.cpu = cpu
        return t


def run(cmd: list[str], cwd=None) -> Timing:
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = os.times()
    if proc.returncode != 0:
        print(f"FAILED: {' '.join(map(str, cmd))}\n{proc.stderr}", file=sys.stderr)
        sys.exit(1)
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Timing(elapsed, cpu)


def best(cmd: list[str], repeat: int, cwd=None) -> Timing:
    return min((run(cmd, cwd) for _ in range(repeat)), key=float)


def cpu_ms(t: Timing, frames: int) -> str:
    return f"{1000 * t.cpu / frames:6.1f} ms CPU/frame"


def bench_writing(netcook: str, tmp: pathlib.Path, frames: int, repeat: int) -> None:
    print(f"\n== 1. Quickstart 1920x1080 to H.264 (libx264 preset medium, CRF 18), 2 threads, {frames} frames "
          f"(best of {repeat})")
    common = [netcook, "render", str(QUICKSTART), "--threads", "2", "--quiet", "--frames", f"1-{frames}", *HD]
    cook = best(common + ["--no-write"], repeat)
    movie = tmp / "quickstart.mp4"
    render = best(common + ["--out", str(movie)], repeat)
    raw = tmp / "quickstart.yuv"
    run(["ffmpeg", "-v", "error", "-y", "-i", str(movie), "-f", "rawvideo", "-pix_fmt", "yuv420p", str(raw)])
    encode = best(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "1920x1080",
                   "-r", "60", "-i", str(raw), "-c:v", "libx264", "-preset", "medium", "-crf", "18",
                   "-threads", "2", str(tmp / "encode_only.mp4")], repeat)
    testsrc = best(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=60",
                    "-frames:v", str(frames), "-c:v", "libx264", "-preset", "medium", "-crf", "18",
                    "-pix_fmt", "yuv420p", "-threads", "2", str(tmp / "testsrc2.mp4")], repeat)
    raw.unlink()
    slower = max(cook, encode)
    waiting = max(0.0, render - cook) / render
    for label, t in (("netcook cook only (--no-write)        ", cook),
                     ("netcook to .mp4 (cook + encode)       ", render),
                     ("ffmpeg encode only, same frames (raw) ", encode),
                     ("ffmpeg -f lavfi testsrc2 -> libx264   ", testsrc)):
        print(f"{label}   {t:7.2f} s  {frames / t:6.1f} frames/s  {cpu_ms(t, frames)}")
    print(f"share of render time waiting on the encoder: {100 * waiting:.0f}%")
    verdict = "met" if render <= 1.10 * slower else "missed"
    print(f"target: render within 10% of the slower of cook only and encode only ({slower:.2f} s): "
          f"{render / slower:.2f}x, {verdict}")


def bench_reading(netcook: str, tmp: pathlib.Path, frames: int, repeat: int) -> None:
    print(f"\n== 2. Movie File In: decode 1920x1080, {frames} frames (best of {repeat})")
    base = [netcook, "render", str(QUICKSTART), "--threads", "2", "--quiet", "--frames", f"1-{frames}", *HD]
    files = {"H.264 (.mp4)": tmp / "quickstart.mp4", "ProRes 422 HQ (.mov)": tmp / "quickstart.mov"}
    if not files["H.264 (.mp4)"].exists():
        run(base + ["--out", str(files["H.264 (.mp4)"])])
    run(base + ["--out", str(files["ProRes 422 HQ (.mov)"])])
    for label, path in files.items():
        scene = tmp / f"read_{path.suffix[1:]}.yaml"
        scene.write_text(f"""netcook: 1
fps: 60
frames: 1-{frames}
resolution: [1920, 1080]
ops:
  movie1: {{type: moviefileinTOP, par: {{file: {path}}}}}
outputs:
  - {{op: movie1, path: {tmp / 'unused.####.png'}}}
""")
        cmd = [netcook, "render", str(scene), "--threads", "2", "--quiet", "--no-write"]
        one = best(cmd + ["--frames", "1"], repeat)
        full = best(cmd, repeat)
        steady = (frames - 1) / max(full - one, 1e-9)
        null = best(["ffmpeg", "-v", "error", "-threads", "2", "-i", str(path), "-f", "null", "-"], repeat)
        rgb = best(["ffmpeg", "-v", "error", "-threads", "2", "-i", str(path), "-vf", "format=rgba64le",
                    "-f", "null", "-"], repeat)
        steady_cpu = max(full.cpu - one.cpu, 0.0) / (frames - 1)
        print(f"{label}:")
        print(f"  netcook moviefileinTOP (to RGBA float)  {frames / full:6.1f} frames/s raw, {steady:6.1f} steady"
              f"  {1000 * steady_cpu:6.1f} ms CPU/frame steady")
        print(f"  ffmpeg -i FILE -f null - (decode only)  {frames / null:6.1f} frames/s  {cpu_ms(null, frames)}")
        print(f"  ffmpeg ... -vf format=rgba64le          {frames / rgb:6.1f} frames/s  {cpu_ms(rgb, frames)}")
        verdict = "met" if steady >= frames / rgb else "missed"
        print(f"  target: netcook steady >= ffmpeg to rgba64le: {steady / (frames / rgb):.2f}x, {verdict}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--netcook", default=str(REPO / "build" / "bin" / "netcook"))
    ap.add_argument("--frames", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    if not shutil.which("ffmpeg"):
        print("movies benchmark skipped: ffmpeg is not installed (make deps)")
        return 0
    with tempfile.TemporaryDirectory(prefix="netcook_bench_movies_") as d:
        tmp = pathlib.Path(d)
        bench_writing(args.netcook, tmp, args.frames, args.repeat)
        bench_reading(args.netcook, tmp, args.frames, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
