"""Python API test fixtures (netcook itself comes from tests/conftest.py)."""
import pytest


@pytest.fixture
def render(netcook, tmp_path):
    """Writes TEXT to tmp_path/scene.yaml and runs
    `netcook render scene.yaml --quiet --no-write ARGS...` in tmp_path."""

    def run(text, *args, name="scene.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        return netcook("render", name, "--quiet", "--no-write", *args)

    return run
