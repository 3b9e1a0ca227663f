#!/usr/bin/python3
"""The grading sandbox's own cost per run (part of `make bench`).

netcook::sandbox::run() of a trivial program, through
netcook_sandbox_driver --repeat (one process, N runs, mean wall ms per run):

1. plain: posix_spawn + wait, no sandbox (the baseline);
2. seccomp: fork, rlimits, the seccomp filter, exec (SeccompRlimits);
3. namespaces: the same through bubblewrap (Namespaces), when it works here.

Each for /usr/bin/true (the sandbox alone) and for
`netcook sandbox-exec --python` of a one-line file (a warm-less netcook
start with Python and the audit hook: what a submission worker pays).
Printed, never asserted.

Usage: /usr/bin/python3 bench/sandbox_overhead.py --netcook build/bin/netcook [--runs 20]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import tempfile


def measure(driver, mechanism, work, argv, runs):
    proc = subprocess.run([str(driver), "--mechanism", mechanism, "--repeat", str(runs), "--work", str(work), "--",
                           *map(str, argv)], capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stderr.strip().splitlines()[-1:] or ["failed"]
    return json.loads(proc.stdout)["ms_per_run"], None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--netcook", default="build/bin/netcook")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    netcook = pathlib.Path(args.netcook).resolve()
    driver = netcook.parent / "netcook_sandbox_driver"
    with tempfile.TemporaryDirectory(prefix="netcook-sandbox-bench-") as tmp:
        work = pathlib.Path(tmp)
        script = work / "trivial.py"
        script.write_text("x = 1\n")
        programs = {
            "/usr/bin/true": ["/usr/bin/true"],
            "netcook sandbox-exec": [netcook, "sandbox-exec", "--python", script],
        }
        print(f"sandbox overhead: mean wall ms per run over {args.runs} runs")
        print(f"  {'program':24} {'plain':>9} {'seccomp':>9} {'namespaces':>11}")
        for name, argv in programs.items():
            cells = []
            for mechanism in ("plain", "seccomp", "namespaces"):
                ms, error = measure(driver, mechanism, work, argv, args.runs)
                cells.append(f"{ms:.1f}" if ms is not None else "n/a")
                if error:
                    print(f"  ({mechanism}: {error[0]})")
            print(f"  {name:24} {cells[0]:>9} {cells[1]:>9} {cells[2]:>11}")


if __name__ == "__main__":
    main()
