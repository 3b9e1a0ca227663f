#!/usr/bin/python3
"""`netcook grade` speed (part of `make bench`).

1. One submission of exercise 3 (the tutorial's solution) at 256x256 for
   120 frames, sandbox included: the submission's run as the JSON report
   times it (bubblewrap or seccomp set-up, the worker's start, 120 frames,
   the record), its CPU time, and the whole `netcook grade` command (which
   also runs the reference solution once). Target (issue 10): under 0.3 s.
2. Batch throughput: 100 submissions (the wrong and correct exercise 2/3
   variants of tests/grading, cycled) with -j 2, in submissions per minute.

Printed, never asserted: a busy machine only makes the numbers worse (the
load average is printed beside them).

Usage: /usr/bin/python3 bench/grade_bench.py --netcook build/bin/netcook [--batch 100]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import resource
import subprocess
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
EX3 = REPO / "exercises" / "exercise3"


def exercise_256(tmp: pathlib.Path) -> pathlib.Path:
    scene = (EX3 / "exercise3.yaml").read_text().replace("resolution: [320, 180]", "resolution: [256, 256]")
    (tmp / "exercise3.yaml").write_text(scene)
    spec = (EX3 / "exercise.yaml").read_text()
    spec = spec.replace("solution: solution/script1.py", f"solution: {EX3 / 'solution' / 'script1.py'}")
    path = tmp / "exercise.yaml"
    path.write_text(spec)
    return path


def run(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--netcook", required=True)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    netcook = str(pathlib.Path(args.netcook).resolve())
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = pathlib.Path(tmp_name)
        exercise = exercise_256(tmp)
        submission = EX3 / "solution" / "script1.py"
        runs = []
        for _ in range(5):
            report = tmp / "one.json"
            wall, cpu = run([netcook, "grade", str(exercise), str(submission), "--json", str(report), "-q"])
            sub = json.loads(report.read_text())["submissions"][0]
            assert sub["score"] == sub["max_score"], sub
            runs.append((sub["seconds"], wall, cpu / 2, sub["sandbox"]))
        best = min(runs)
        print(f"grade one submission of exercise 3, 256x256, 120 frames ({best[3]}), best of 5:")
        print(f"  the submission's sandboxed run   {best[0]:.3f} s   (target < 0.3 s)")
        print(f"  CPU per run (grade's two runs)   {best[2]:.3f} s")
        print(f"  whole command, reference incl.   {best[1]:.3f} s")

        sources = sorted((REPO / "tests" / "grading" / "submissions" / "exercise2").glob("*.py"))
        batch = []
        for i in range(args.batch):
            folder = tmp / "batch" / f"s{i:03d}"
            folder.mkdir(parents=True)
            (folder / "script1.py").write_text(sources[i % len(sources)].read_text())
            batch.append(str(folder))
        wall, cpu = run([netcook, "grade", str(REPO / "exercises" / "exercise2" / "exercise.yaml"), *batch,
                         "-j", "2", "--csv", str(tmp / "batch.csv"), "-q"])
        print(f"batch: {args.batch} submissions of exercise 2 with -j 2: {wall:.1f} s, "
              f"{args.batch / wall * 60:.0f} submissions per minute (CPU {cpu:.1f} s)")
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
