#!/usr/bin/python3
"""Render farm benchmark for netcook (part of `make bench` where Slurm can
start: root, slurm-wlm and munge installed; else it says why and exits 0).

Brings up the single-node Slurm of tests/farm/slurm-local.sh and measures,
wall clock, whole processes:

1. An image sequence (the quickstart scene, 640x360, --frames frames, PNG):
   - local renders on 1 and on 2 threads;
   - `netcook farm submit --chunks 2 --cpus-per-task 1` until both tasks
     are COMPLETED (polling scontrol every 0.1 s): submit -> done.
   Overhead of the farm path = submit -> done minus the longer task's own
   render time (from its log's summary line): scheduling, process and
   Python start-up, scene load; the speed-up = local 1-thread time /
   submit -> done (two 1-thread tasks side by side on the 2 cores), and
   beside the local 2-thread render.
2. The same scene to an H.264 movie: local render vs submit -> the encode
   job done (2 chunks to EXR, then the dependent encode job).

Prints, never asserts (the machine may be busy, and is shared).

Usage: /usr/bin/python3 bench/farm.py --netcook build/bin/netcook [--frames 96]
"""
from __future__ import annotations

import argparse
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
SLURM_LOCAL = REPO / "tests" / "farm" / "slurm-local.sh"
QUICKSTART = REPO / "scenes" / "quickstart.yaml"
SIZE = ["--set", "noise1.resolutionw=320", "--set", "noise1.resolutionh=180"]  # 2x kaleidoscope -> 640x360


def free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("", 0))
            port = probe.getsockname()[1]
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("", port))
                b.bind(("", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two free ports in a row")


def timed(cmd, cwd, env=None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"FAILED: {' '.join(map(str, cmd))}\n{proc.stderr}", file=sys.stderr)
        sys.exit(1)
    return time.perf_counter() - start


def states(env, job_id) -> list[str]:
    r = subprocess.run(["scontrol", "show", "job", "--oneliner", job_id], env=env, capture_output=True, text=True)
    return re.findall(r"JobState=(\S+)", r.stdout)


def wait_done(env, job_id, timeout=600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = states(env, job_id)
        if s and all(x not in ("PENDING", "RUNNING", "COMPLETING", "CONFIGURING") for x in s):
            if any(x != "COMPLETED" for x in s):
                print(f"FAILED: job {job_id} ended {s}", file=sys.stderr)
                sys.exit(1)
            return
        time.sleep(0.1)
    print(f"FAILED: job {job_id} not done after {timeout} s", file=sys.stderr)
    sys.exit(1)


def submit(netcook, cwd, env, scene, frames, extra=()) -> tuple[float, list[str]]:
    """Seconds from submit to the last job done, and the job ids."""
    start = time.perf_counter()
    r = subprocess.run([netcook, "farm", "submit", str(scene), "--frames", f"1-{frames}", "--chunks", "2",
                        "--cpus-per-task", "1", *SIZE, *extra], cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAILED: farm submit\n{r.stdout}{r.stderr}", file=sys.stderr)
        sys.exit(1)
    ids = re.findall(r"job (\d+)", r.stdout.splitlines()[0])
    for job in ids:
        wait_done(env, job)
    return time.perf_counter() - start, ids


def task_seconds(logs: pathlib.Path, pattern: str) -> list[float]:
    out = []
    for log in sorted(logs.glob(pattern)):
        m = re.search(r"frames? in ([0-9.]+) s", log.read_text())
        if m:
            out.append(float(m.group(1)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--netcook", default=str(REPO / "build" / "bin" / "netcook"))
    parser.add_argument("--frames", type=int, default=96)
    args = parser.parse_args()
    netcook = str(pathlib.Path(args.netcook).resolve())

    with tempfile.TemporaryDirectory(prefix="netcook-farm-bench-") as tmp_name:
        tmp = pathlib.Path(tmp_name)
        env = dict(os.environ, NETCOOK_SLURM_PORT=str(free_port_pair()))
        env = {k: v for k, v in env.items() if not k.startswith("NETCOOK_FARM_")}
        started = subprocess.run(["sh", str(SLURM_LOCAL), "start", str(tmp / "slurm")], env=env,
                                 capture_output=True, text=True)
        if started.returncode != 0:
            print(f"\n== farm: skipped, Slurm cannot start here: {started.stderr.strip()}")
            return 0
        env["SLURM_CONF"] = str(tmp / "slurm" / "slurm.conf")
        try:
            n = args.frames
            print(f"\n== farm: quickstart 640x360, {n} frames, on the single-node Slurm of tests/farm/slurm-local.sh")
            seq = tmp / "seq"
            seq.mkdir()
            local = [netcook, "render", str(QUICKSTART), "--frames", f"1-{n}", "--quiet", *SIZE]
            one = timed(local + ["--threads", "1", "--out", "a/f.####.png"], seq)
            two = timed(local + ["--threads", "2", "--out", "b/f.####.png"], seq)
            farm_scene = seq / "shot.yaml"
            farm_scene.write_text(QUICKSTART.read_text().replace("out/quickstart/", "farm/"))
            wall, _ = submit(netcook, seq, env, farm_scene, n)
            tasks = task_seconds(seq / "farm" / ".netcook-farm" / "shot" / "logs", "chunk-*.log")
            longest = max(tasks) if tasks else float("nan")
            print(f"  local render, 1 thread           {one:7.2f} s")
            print(f"  local render, 2 threads          {two:7.2f} s")
            print(f"  farm, 2 tasks x 1 CPU            {wall:7.2f} s submit -> done "
                  f"(tasks' own render time {', '.join(f'{t:.2f}' for t in tasks)} s)")
            print(f"  overhead of the farm path        {wall - longest:7.2f} s (submit -> done minus the longer task)")
            print(f"  speed-up vs local 1 thread       {one / wall:7.2f}x   vs local 2 threads {two / wall:.2f}x")

            mov = tmp / "movie"
            mov.mkdir()
            movie_scene = mov / "shot.yaml"
            text = QUICKSTART.read_text()
            movie_scene.write_text(re.sub(r"path: .*", "path: out/shot.mp4", text, count=1))
            local_movie = timed([netcook, "render", str(movie_scene), "--frames", f"1-{n}", "--quiet",
                                 "--threads", "2", *SIZE], mov)
            (mov / "out" / "shot.mp4").rename(mov / "local.mp4")
            wall, _ = submit(netcook, mov, env, movie_scene, n)
            logs = mov / "out" / ".netcook-farm" / "shot" / "logs"
            tasks = task_seconds(logs, "chunk-*.log")
            encode = task_seconds(logs, "encode.*.log")
            print(f"  movie (H.264): local render, 2 threads {local_movie:7.2f} s; farm submit -> encoded "
                  f"{wall:7.2f} s (tasks {', '.join(f'{t:.2f}' for t in tasks)} s to EXR, encode job "
                  f"{', '.join(f'{t:.2f}' for t in encode)} s)")
            same = (mov / "local.mp4").read_bytes() == (mov / "out" / "shot.mp4").read_bytes()
            print(f"  farm movie {'byte-identical to' if same else 'DIFFERS from'} the local render")
        finally:
            subprocess.run(["sh", str(SLURM_LOCAL), "stop", str(tmp / "slurm")], env=env, capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
