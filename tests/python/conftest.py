"""Shared fixtures for the Python API tests: the netcook binary, a way to run
it, and a way to render a scene given as text."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


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
def netcook(tmp_path):
    """Runs `netcook ARGS...` in tmp_path; returns exit status and output."""

    def run(*args, cwd=None, timeout=300):
        proc = subprocess.run(
            [netcook_binary(), *map(str, args)],
            cwd=str(cwd or tmp_path),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )
        return Result(proc)

    return run


@pytest.fixture
def render(netcook, tmp_path):
    """Writes TEXT to tmp_path/scene.yaml and runs
    `netcook render scene.yaml --quiet --no-write ARGS...` in tmp_path."""

    def run(text, *args, name="scene.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        return netcook("render", name, "--quiet", "--no-write", *args)

    return run
