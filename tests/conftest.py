"""Fixtures shared by the CLI and Python API tests: the netcook binary
(NETCOOK_BIN, else build/bin/netcook) and a way to run it."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]


def netcook_binary():
    return os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))


class Result:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    def __repr__(self):
        return f"<exit {self.returncode}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}>"


@pytest.fixture
def netcook_bin():
    """The path of the netcook binary under test."""
    return netcook_binary()


@pytest.fixture
def netcook(tmp_path):
    """Runs `netcook ARGS...` in tmp_path; returns exit status and output."""

    def run(*args, cwd=None, timeout=300, preexec_fn=None):
        # preexec_fn: runs in the child before netcook starts (the
        # reliability tests lower resource limits there).
        proc = subprocess.run(
            [netcook_binary(), *map(str, args)],
            cwd=str(cwd or tmp_path),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            preexec_fn=preexec_fn,
        )
        return Result(proc)

    return run
