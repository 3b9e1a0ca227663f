"""Helpers of the sandbox tests: the netcook and netcook_sandbox_driver
binaries, running the driver, probing for bubblewrap."""
import json
import os
import pathlib
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[2]


def netcook_binary():
    return pathlib.Path(os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))).resolve()


def driver_binary():
    return netcook_binary().parent / "netcook_sandbox_driver"


def _namespaces_available():
    work = pathlib.Path("/tmp")
    proc = subprocess.run([str(driver_binary()), "--mechanism", "auto", "--work", str(work), "--", "/usr/bin/true"],
                          capture_output=True, text=True, timeout=60)
    return proc.returncode == 0 and json.loads(proc.stdout)["mechanism"].startswith("namespaces")


_NAMESPACES = None


def namespaces_available():
    global _NAMESPACES
    if _NAMESPACES is None:
        _NAMESPACES = _namespaces_available()
    return _NAMESPACES


def run_driver(mechanism, work_dir, argv, limits=(), timeout=120):
    args = [str(driver_binary()), "--mechanism", mechanism, "--work", str(work_dir)]
    for name, value in limits:
        args += [name, str(value)]
    proc = subprocess.run(args + ["--"] + [str(a) for a in argv], capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
