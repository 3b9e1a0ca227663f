"""Fixtures of the sandbox tests: `run_sandboxed` runs a Python snippet
through netcook_sandbox_driver (netcook::sandbox::run) on one mechanism."""
import json
import os
import pathlib
import subprocess

import pytest

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


@pytest.fixture(params=["namespaces", "seccomp"])
def mechanism(request):
    if request.param == "namespaces" and not namespaces_available():
        pytest.skip("bubblewrap cannot build a sandbox here (no user namespaces, or a plain chroot): "
                    "the namespaces mechanism is not available, only seccomp + rlimits")
    return request.param


@pytest.fixture
def work_dir(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    return work


def run_driver(mechanism, work_dir, argv, limits=(), timeout=120):
    args = [str(driver_binary()), "--mechanism", mechanism, "--work", str(work_dir)]
    for name, value in limits:
        args += [name, str(value)]
    proc = subprocess.run(args + ["--"] + [str(a) for a in argv], capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def run_sandboxed(mechanism, work_dir):
    """Runs `code` as a submission (`netcook sandbox-exec --python`) in the
    sandbox; with plain=True under /usr/bin/python3, without the audit hook,
    to see what the kernel alone refuses."""

    def run(code, plain=False, **limits):
        script = work_dir / "submission.py"
        script.write_text(code)
        options = [("--" + name.replace("_", "-"), value) for name, value in limits.items()]
        if not any(name == "--wall" for name, _ in options):
            options.append(("--wall", 30))
        if plain:
            argv = ["/usr/bin/python3", script]
        else:
            argv = [netcook_binary(), "sandbox-exec", "--python", script]
        return run_driver(mechanism, work_dir, argv, options)

    return run
