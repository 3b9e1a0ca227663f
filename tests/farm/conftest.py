"""The farm tests' Slurm: tests/farm/slurm-local.sh brings up a single-node
cluster in a temporary folder for the session, on free ports, and stops it
at the end. Tests that need it skip, saying why, only where this machine
cannot run Slurm (not root, slurm-wlm or munge missing: make test-deps)."""
import os
import pathlib
import socket
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = HERE / "slurm-local.sh"


def free_port_pair():
    """A port P with P and P + 1 free (slurmctld, slurmd)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("", 0))
            port = probe.getsockname()[1]
        if port > 65000:
            continue
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("", port))
                b.bind(("", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two free ports in a row")


@pytest.fixture(scope="session")
def slurm(tmp_path_factory):
    """The environment (SLURM_CONF set) in which sbatch reaches the test cluster."""
    folder = tmp_path_factory.mktemp("slurm")
    env = dict(os.environ, NETCOOK_SLURM_PORT=str(free_port_pair()))
    started = subprocess.run(["sh", str(SCRIPT), "start", str(folder)], env=env, capture_output=True, text=True,
                             timeout=120)
    if started.returncode == 3:
        pytest.skip("no Slurm on this machine: " + started.stderr.strip())
    if started.returncode != 0:
        logs = "".join(f"\n--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                       for p in folder.glob("*.log"))
        # The daemons that did start (munged, slurmctld) must not outlive the run.
        subprocess.run(["sh", str(SCRIPT), "stop", str(folder)], env=env, capture_output=True, timeout=60)
        pytest.fail(f"slurm-local.sh start failed:\n{started.stderr}{logs}")
    env["SLURM_CONF"] = str(folder / "slurm.conf")
    yield env
    subprocess.run(["sh", str(SCRIPT), "stop", str(folder)], env=env, capture_output=True, timeout=60)
