"""Golden frames: renders compared with the references in golden/.

A mismatch writes reference | result | difference pictures to
build/golden-report/ and names the command that blesses new references:
    NETCOOK_BLESS=1 make cli-test   (or: make bless)
"""
import os
import pathlib
import shutil

import numpy as np
import OpenImageIO as oiio
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = REPO / "golden"
REPORT = REPO / "build" / "golden-report"
BLESS = os.environ.get("NETCOOK_BLESS") == "1"

CASES = [
    # (scene, frames, output file names relative to the render folder)
    ("tests/data/golden/filters.yaml", "1-3",
     [f"{name}.{f:04d}.png" for name in ("level1", "box", "zero", "const1") for f in (1, 3)]),
    ("tests/data/golden/generators.yaml", "1-3",
     [f"{name}.{f:04d}.png" for name in ("rampv", "ramph", "rampr", "rampc", "circle1", "circle2", "poly1", "rect1",
                                                  "rect2")
      for f in (1, 3)]),
    ("tests/data/golden/text.yaml", "1-3",
     [f"{name}.{f:04d}.png" for name in ("left_top", "center_center", "right_bottom", "wrapped", "counter")
      for f in (1, 3)]),
    ("scenes/quickstart.yaml", "1-61x30", [f"quickstart/frame.{f:04d}.png" for f in (1, 31, 61)]),
]


def read_u8(path):
    inp = oiio.ImageInput.open(str(path))
    assert inp, oiio.geterror()
    pixels = inp.read_image(oiio.UINT8)
    inp.close()
    return np.asarray(pixels)


def write_report(name, reference, result):
    REPORT.mkdir(parents=True, exist_ok=True)
    diff = np.abs(reference.astype(np.int16) - result.astype(np.int16))
    diff = np.clip(diff * 16, 0, 255).astype(np.uint8)
    diff[..., 3:] = 255
    strip = np.concatenate([reference, result, diff], axis=1)
    out = oiio.ImageOutput.create(str(REPORT / name.replace("/", "_")))
    spec = oiio.ImageSpec(strip.shape[1], strip.shape[0], strip.shape[2], oiio.UINT8)
    out.open(str(REPORT / name.replace("/", "_")), spec)
    out.write_image(strip)
    out.close()


@pytest.mark.parametrize("scene,frames,files", CASES, ids=[c[0] for c in CASES])
def test_golden_frames(netcook, tmp_path, scene, frames, files):
    stem = pathlib.Path(scene).stem
    if scene.startswith("scenes/"):
        out = f"{stem}/frame.####.png"
        r = netcook("render", REPO / scene, "--frames", frames, "--out", out, "--quiet")
    else:
        r = netcook("render", REPO / scene, "--frames", frames, "--quiet")
    assert r.returncode == 0, r
    failures = []
    for name in files:
        result_path = tmp_path / name
        golden_path = GOLDEN / stem / pathlib.Path(name).name
        assert result_path.exists(), f"{name} was not written"
        if BLESS:
            golden_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(result_path, golden_path)
            continue
        assert golden_path.exists(), f"no golden {golden_path}; bless with: NETCOOK_BLESS=1 make cli-test"
        reference, result = read_u8(golden_path), read_u8(result_path)
        if reference.shape != result.shape or np.abs(reference.astype(int) - result.astype(int)).max() > 1:
            write_report(f"{stem}_{pathlib.Path(name).name}", reference, result)
            failures.append(name)
    assert not failures, (
        f"{failures} differ from golden/{stem}/ (more than 1/255); pictures (reference | result | diff) in "
        f"{REPORT}; if the change is intended, bless with: NETCOOK_BLESS=1 make cli-test")
