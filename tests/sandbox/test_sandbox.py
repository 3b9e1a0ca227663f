"""The grading sandbox (src/netcook/sandbox) against hostile submissions, on
both mechanisms: each ends with the right End and a clear reason, within its
limits, and leaves the test process and the other runs intact."""
import os
import pathlib
import socket
import subprocess
import threading
import time

import pytest

from conftest import driver_binary, netcook_binary, run_driver


def test_a_normal_submission_runs_and_reports(run_sandboxed, work_dir, mechanism):
    r = run_sandboxed(
        "import td, numpy, threading\n"
        "open('out.txt', 'w').write('written')\n"
        "threads = [threading.Thread(target=lambda: None) for _ in range(4)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print('sum', int(numpy.arange(10).sum()))\n")
    assert r["end"] == "exited" and r["exit_status"] == 0, r
    assert r["stdout"] == "sum 45\n"
    assert r["record"] == "ok"
    assert r["reason"] == ""
    assert r["mechanism"] == ("namespaces (bubblewrap)" if mechanism == "namespaces" else "seccomp + rlimits")
    assert (work_dir / "out.txt").read_text() == "written"


def test_an_exception_comes_back_with_its_traceback(run_sandboxed):
    r = run_sandboxed("x = 1\nraise ValueError('frame 40 went wrong')\n")
    assert r["end"] == "exited" and r["exit_status"] == 1
    assert r["record"] == "error: ValueError: frame 40 went wrong"
    assert 'submission.py", line 2' in r["stderr"]
    assert r["reason"] == "it exited with status 1"


def test_a_sleeping_loop_hits_the_wall_timeout(run_sandboxed):
    start = time.monotonic()
    r = run_sandboxed("import time\nwhile True:\n    time.sleep(0.1)\n", wall=2)
    assert r["end"] == "wall-timeout", r
    assert "longer than the time limit of 2 s" in r["reason"]
    assert time.monotonic() - start < 15


def test_a_busy_loop_hits_the_cpu_limit(run_sandboxed):
    r = run_sandboxed("while True:\n    pass\n", cpu=1, wall=30)
    assert r["end"] == "cpu-limit", r
    assert "more than 1 s of CPU time" in r["reason"]
    assert r["cpu_seconds"] >= 0.9


def test_a_fork_is_refused_by_the_audit_hook(run_sandboxed):
    r = run_sandboxed("import os\nwhile True:\n    os.fork()\n")
    assert r["end"] == "exited" and r["exit_status"] == 1
    assert "PermissionError: starting another process (os.fork) is not allowed in a submission" in r["stderr"]


def test_a_fork_bomb_is_refused_by_the_kernel(run_sandboxed):
    # Without the audit hook: seccomp refuses every new process.
    r = run_sandboxed("import os\nwhile True:\n    os.fork()\n", plain=True)
    assert r["end"] == "exited" and r["exit_status"] == 1, r
    assert "PermissionError: [Errno 1] Operation not permitted" in r["stderr"]


def test_a_shell_fork_bomb_starts_nothing(mechanism, work_dir):
    r = run_driver(mechanism, work_dir, ["/bin/sh", "-c", ":(){ :|:& };:; echo survived"], [("--wall", 10)])
    assert r["end"] in ("exited", "signaled"), r
    assert r["wall_seconds"] < 10


def test_allocating_20_gib_is_a_memory_error(run_sandboxed):
    r = run_sandboxed("block = bytearray(20 << 30)\n", memory=2 << 30)
    assert r["end"] == "memory-limit", r
    assert "MemoryError" in r["stderr"]
    assert r["reason"] == "it tried to use more than the memory limit of 2048 MiB"


def test_printing_a_gigabyte_is_cut_at_the_output_limit(run_sandboxed):
    start = time.monotonic()
    r = run_sandboxed("import sys\nline = 'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(line)\n",
                      output=1 << 20)
    assert r["end"] == "output-limit", r
    assert r["output_truncated"]
    assert len(r["stdout"]) == 1 << 20
    assert "printed more than 1 MiB" in r["reason"]
    assert time.monotonic() - start < 20


def test_writing_a_huge_file_hits_the_file_size_limit(run_sandboxed, work_dir):
    r = run_sandboxed("with open('big.bin', 'wb') as f:\n    for _ in range(100):\n        f.write(bytes(1 << 20))\n",
                      file_size=10 << 20)
    assert r["end"] == "file-size-limit", r
    assert "larger than the limit of 10 MiB" in r["reason"]
    assert (work_dir / "big.bin").stat().st_size <= 10 << 20


def test_the_plain_interpreter_hits_the_file_size_limit_too(run_sandboxed):
    # Python ignores SIGXFSZ: the write fails with EFBIG instead.
    r = run_sandboxed("with open('big.bin', 'wb') as f:\n    f.write(bytes(20 << 20))\n", plain=True,
                      file_size=10 << 20)
    assert r["end"] == "file-size-limit", r


def test_etc_passwd_is_not_readable(run_sandboxed):
    r = run_sandboxed("print(open('/etc/passwd').read())\n")
    assert r["end"] == "exited" and r["exit_status"] == 1
    assert "root:" not in r["stdout"]
    assert "PermissionError: reading '/etc/passwd' (outside the submission's own folder) is not allowed" in r["stderr"]


def kernel_refusal(r, mechanism):
    """Asserts the kernel (not the audit hook) refused a file: absent under
    namespaces, refused by Landlock under seccomp."""
    if mechanism == "namespaces":
        assert "FileNotFoundError" in r["stderr"], r
    else:
        assert r["landlock"], "this kernel has no Landlock"
        assert "PermissionError: [Errno 13] Permission denied" in r["stderr"], r


@pytest.fixture
def kernel_confines_files(mechanism):
    # Landlock exists since Linux 5.13; probe it through a run.
    if mechanism == "seccomp":
        r = run_driver("seccomp", "/tmp", ["/usr/bin/true"])
        if not r["landlock"]:
            pytest.skip("no Landlock in this kernel: under seccomp + rlimits only the audit hook refuses files")


def test_the_kernel_refuses_etc_passwd(run_sandboxed, mechanism, kernel_confines_files):
    r = run_sandboxed("print(open('/etc/passwd').read())\n", plain=True)
    assert "root:" not in r["stdout"]
    kernel_refusal(r, mechanism)


@pytest.fixture
def grader_dir(tmp_path):
    grader = tmp_path / "grader"
    grader.mkdir()
    (grader / "solution.py").write_text("SECRET = 'the reference solution'\n")
    return grader


def test_the_reference_solution_is_out_of_reach(run_sandboxed, grader_dir):
    code = f"print(open({str(grader_dir / 'solution.py')!r}).read())\n"
    r = run_sandboxed(code)
    assert "reference solution" not in r["stdout"]
    assert "is not allowed in a submission" in r["stderr"]
    # A symlink inside the work folder leads nowhere either.
    r = run_sandboxed(f"import os\nos.symlink({str(grader_dir / 'solution.py')!r}, 'link.py')\n"
                      "print(open('link.py').read())\n")
    assert "reference solution" not in r["stdout"]
    assert "is not allowed in a submission" in r["stderr"]

def test_the_kernel_keeps_the_reference_solution_out_of_reach(run_sandboxed, grader_dir, mechanism,
                                                               kernel_confines_files):
    r = run_sandboxed(f"print(open({str(grader_dir / 'solution.py')!r}).read())\n", plain=True)
    assert "reference solution" not in r["stdout"]
    kernel_refusal(r, mechanism)


def test_writing_results_json_for_the_grader_is_refused(run_sandboxed, grader_dir):
    target = grader_dir / "results.json"
    code = f"open({str(target)!r}, 'w').write('{{\"score\": 100}}')\n"
    r = run_sandboxed(code)
    assert r["end"] == "exited" and r["exit_status"] == 1
    assert f"writing '{target}' (outside the submission's own folder) is not allowed" in r["stderr"]
    assert not target.exists()


def test_the_kernel_refuses_writing_results_json(run_sandboxed, grader_dir, mechanism, kernel_confines_files):
    target = grader_dir / "results.json"
    r = run_sandboxed(f"open({str(target)!r}, 'w').write('{{\"score\": 100}}')\n", plain=True)
    assert r["exit_status"] == 1
    kernel_refusal(r, mechanism)
    assert not target.exists()


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    yield server
    server.close()


def assert_nobody_connected(server):
    with pytest.raises(socket.timeout):
        connection, _ = server.accept()
        connection.close()


def test_a_tcp_connection_is_refused(run_sandboxed, listener):
    port = listener.getsockname()[1]
    code = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi')\n"
    r = run_sandboxed(code)
    assert r["end"] == "exited" and r["exit_status"] == 1
    assert "PermissionError: opening a network connection" in r["stderr"]
    # The kernel refuses too (seccomp: no AF_INET socket at all).
    r = run_sandboxed(code, plain=True)
    assert r["exit_status"] == 1
    assert "PermissionError: [Errno 1] Operation not permitted" in r["stderr"]
    assert_nobody_connected(listener)


def test_ctypes_is_refused(run_sandboxed):
    r = run_sandboxed("import ctypes\nctypes.CDLL(None).system(b'touch pwned')\n")
    assert r["end"] == "exited" and r["exit_status"] == 1
    assert "PermissionError: ctypes (calling C code directly) is not allowed in a submission" in r["stderr"]


def test_os_system_and_subprocess_are_refused(run_sandboxed, work_dir):
    r = run_sandboxed("import os\nos.system('touch pwned')\n")
    assert "PermissionError: running a shell command (os.system) is not allowed in a submission" in r["stderr"]
    r = run_sandboxed("import subprocess\nsubprocess.run(['/usr/bin/touch', 'pwned'])\n")
    assert "PermissionError: starting another program (subprocess.Popen) is not allowed in a submission" in r["stderr"]
    # Without the hook, the kernel refuses the new process.
    r = run_sandboxed("import subprocess\nsubprocess.run(['/usr/bin/touch', 'pwned'])\n", plain=True)
    assert r["exit_status"] == 1
    assert "Operation not permitted" in r["stderr"]
    assert not (work_dir / "pwned").exists()


def test_the_audit_hook_cannot_be_replaced(run_sandboxed):
    # Python swallows a refusal of sys.addaudithook silently; the hook is just not added.
    r = run_sandboxed("import sys\nsys.addaudithook(lambda event, args: print('HOOKED', event))\n"
                      "open('x.txt', 'w').close()\nprint('done')\n")
    assert r["stdout"] == "done\n", r
    r = run_sandboxed("import gc\nprint(len(gc.get_objects()))\n")
    assert "is not allowed in a submission" in r["stderr"]


def test_a_segfault_is_a_crash(run_sandboxed):
    r = run_sandboxed("import faulthandler\nfaulthandler._sigsegv()\n")
    assert r["end"] == "signaled", r
    assert r["signal"] == 11
    assert r["reason"] == "it crashed: SIGSEGV (Segmentation fault)"


def test_a_missing_program_is_a_sandbox_error(mechanism, work_dir):
    r = run_driver(mechanism, work_dir, ["/nonexistent/program"])
    assert r["end"] == "sandbox-error", r
    assert "could not start the program" in r["reason"]


def test_the_environment_is_clean(mechanism, work_dir):
    os.environ["NETCOOK_GRADER_SECRET"] = "s3cret"
    try:
        r = run_driver(mechanism, work_dir, ["/usr/bin/env"], [("--env", "LANG=C.UTF-8")])
    finally:
        del os.environ["NETCOOK_GRADER_SECRET"]
    assert "s3cret" not in r["stdout"]
    assert f"HOME={work_dir}" in r["stdout"]
    assert f"TMPDIR={work_dir}" in r["stdout"]
    assert "LANG=C.UTF-8" in r["stdout"]


def test_a_hostile_run_leaves_a_parallel_normal_run_intact(mechanism, work_dir, tmp_path):
    # A busy loop and a normal run at the same time: the normal one is graded as usual.
    other = tmp_path / "other"
    other.mkdir()
    (work_dir / "loop.py").write_text("while True:\n    pass\n")
    (other / "ok.py").write_text("print('fine')\n")
    hostile = subprocess.Popen(
        [str(driver_binary()), "--mechanism", mechanism, "--cpu", "2", "--wall", "4", "--work", str(work_dir), "--",
         str(netcook_binary()), "sandbox-exec", "--python", str(work_dir / "loop.py")], stdout=subprocess.PIPE, text=True)
    r = run_driver(mechanism, other, [netcook_binary(), "sandbox-exec", "--python", other / "ok.py"])
    assert r["end"] == "exited" and r["stdout"] == "fine\n", r
    out, _ = hostile.communicate(timeout=60)
    assert '"end": "cpu-limit"' in out or '"end": "wall-timeout"' in out
    # Nothing of either run is left behind.
    leftovers = subprocess.run(["pgrep", "-f", str(work_dir / "loop.py")], capture_output=True, text=True)
    assert leftovers.stdout == ""


def test_the_mechanism_can_be_forced_to_seccomp(work_dir):
    env = dict(os.environ, NETCOOK_SANDBOX="seccomp")
    proc = subprocess.run([str(driver_binary()), "--mechanism", "auto", "--work", str(work_dir), "--", "/usr/bin/true"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert '"mechanism": "seccomp + rlimits"' in proc.stdout, proc


def test_forks_are_allowed_when_the_limits_allow_processes(run_sandboxed):
    r = run_sandboxed("import os\npid = os.fork()\nif pid == 0:\n    os._exit(7)\n"
                      "print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))\n", plain=True, processes=8)
    assert r["end"] == "exited" and r["stdout"] == "7\n", r


def test_tmp_is_private_and_small_under_namespaces(run_sandboxed, mechanism):
    if mechanism != "namespaces":
        pytest.skip("only bubblewrap gives the sandbox its own /tmp")
    marker = pathlib.Path(f"/tmp/netcook-sandbox-marker-{os.getpid()}")
    marker.write_text("the grader's")
    try:
        r = run_sandboxed(f"import os\nprint(os.path.exists({str(marker)!r}))\n"
                          "with open('/tmp/a', 'wb') as f:\n    f.write(bytes(5 << 20))\n"
                          "with open('/tmp/b', 'wb') as f:\n    f.write(bytes(5 << 20))\n", plain=True,
                          file_size=8 << 20)
    finally:
        marker.unlink()
    assert r["stdout"] == "False\n", r
    assert "No space left on device" in r["stderr"], r


def test_proc_shows_only_the_submission_itself(run_sandboxed, mechanism, kernel_confines_files):
    # Its own /proc/self is readable; the grader's /proc/PID is not.
    r = run_sandboxed(f"print(len(open('/proc/self/status').read()) > 0)\n"
                      f"print(open('/proc/{os.getpid()}/cmdline').read())\n", plain=True)
    assert r["stdout"] == "True\n", r
    kernel_refusal(r, mechanism)


def test_a_child_that_leaves_the_process_group_is_stopped_too(run_sandboxed, mechanism, work_dir):
    # With forks allowed, a grandchild trying to escape the wall-timeout kill.
    r = run_sandboxed("import os, time\nif os.fork() == 0:\n    try:\n        os.setsid()\n"
                      "    except OSError as e:\n        print('setsid:', e.strerror, flush=True)\n"
                      "    time.sleep(60)\ntime.sleep(60)\n", plain=True, processes=8, wall=1)
    assert r["end"] == "wall-timeout", r
    if mechanism == "seccomp":
        assert "setsid: Operation not permitted" in r["stdout"]
    time.sleep(0.5)
    leftovers = subprocess.run(["pgrep", "-f", str(work_dir / "submission.py")], capture_output=True, text=True)
    assert leftovers.stdout == ""
