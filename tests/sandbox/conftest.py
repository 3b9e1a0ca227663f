"""Fixtures of the sandbox tests: `run_sandboxed` runs a Python snippet
through netcook_sandbox_driver (netcook::sandbox::run) on one mechanism."""
import pytest

from sandbox_support import namespaces_available, netcook_binary, run_driver


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
