"""A frame's memory is estimated when the scene loads: a scene that cannot
fit is refused before anything cooks (exit 2, nothing written)."""
import pytest

BIG = """netcook: 1
frames: 1-3
resolution: [8192, 8192]
ops:
  noise1: {type: noiseTOP}
  grow: {type: transformTOP, inputs: noise1, par: {outputresolution: 4x}}
outputs:
  - {op: grow, path: out/f.####.exr}
"""


def test_a_frame_too_big_for_the_machine_is_refused_before_cooking(netcook, tmp_path):
    (tmp_path / "big.yaml").write_text(BIG, encoding="utf-8")
    r = netcook("render", "big.yaml")
    assert r.returncode == 2, r
    assert "big.yaml:6:3: error: a frame of this scene needs about" in r.stderr
    assert "/project1/grow at 32768x32768" in r.stderr
    assert not (tmp_path / "out").exists()


def test_max_memory_sets_the_limit(netcook, tmp_path):
    (tmp_path / "small.yaml").write_text(BIG.replace("8192, 8192", "64, 64"), encoding="utf-8")
    refused = netcook("render", "small.yaml", "--max-memory", "100k")
    assert refused.returncode == 2 and "more than the limit of 0.1 MiB" in refused.stderr, refused
    assert not (tmp_path / "out").exists()
    assert netcook("render", "small.yaml", "--max-memory", "64M", "--quiet").returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"f.{f:04d}.exr" for f in (1, 2, 3)]


@pytest.mark.parametrize("bad", ["12x", "-5G", "G", "0"])
def test_a_bad_max_memory_is_a_clear_error(netcook, tmp_path, bad):
    (tmp_path / "small.yaml").write_text(BIG.replace("8192, 8192", "64, 64"), encoding="utf-8")
    r = netcook("render", "small.yaml", f"--max-memory={bad}")
    assert r.returncode == 2 and "--max-memory: error: expected a size" in r.stderr, r
