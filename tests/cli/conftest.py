"""CLI test fixtures (netcook itself comes from tests/conftest.py)."""
import pytest


@pytest.fixture
def write_scene(tmp_path):
    """Writes a scene file into tmp_path and returns its path."""

    def write(text, name="scene.yaml"):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
