"""Crop and Resolution TOPs exact against numpy slicing.

Arrays are in TouchDesigner's orientation via numpyArray() (row 0 at the
bottom), so slices are written bottom-up like the parameters."""
import os
import pathlib
import sys

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402

SCENE = """netcook: 1
resolution: [8, 8]
frames: 1
ops:
  src: {type: scriptTOP}
  src_callbacks:
    type: textDAT
    text: |
      import numpy as np
      def onCook(scriptOp):
          a = np.random.default_rng(5).random((37, 52, 4), dtype=np.float32)
          scriptOp.copyNumpyArray(a)
  c_px: {type: cropTOP, inputs: [src], par: {cropleft: 5, cropleftunit: pixels, cropright: 30, croprightunit: pixels, cropbottom: 3, cropbottomunit: pixels, croptop: 20, croptopunit: pixels}}
  c_frac: {type: cropTOP, inputs: [src], par: {cropleft: 0.25, cropright: 0.75, cropbottom: 0.5, croptop: 1}}
  c_out: {type: cropTOP, inputs: [src], par: {cropleft: -3, cropleftunit: pixels, cropright: 10, croprightunit: pixels, croptop: 40, croptopunit: pixels, cropbottomunit: pixels}}
  c_mirror: {type: cropTOP, inputs: [src], par: {cropleft: -3, cropleftunit: pixels, cropright: 10, croprightunit: pixels, extend: mirror}}
  r_half: {type: resolutionTOP, inputs: [src], par: {inputfiltertype: nearest}}
  r_2x: {type: resolutionTOP, inputs: [src], par: {outputresolution: 2x, inputfiltertype: nearest}}
  r_same: {type: resolutionTOP, inputs: [src], par: {outputresolution: useinput}}
check:
"""


def cooked():
    text = SCENE.replace("check:\n", "")
    with netcook.Session.from_string(text, "layout.yaml") as session:
        f = session.cook(1)
        # Session frames are top row first; flip to TouchDesigner's bottom-up rows.
        return {name: np.array(f[name])[::-1] for name in
                ("src", "c_px", "c_frac", "c_out", "c_mirror", "r_half", "r_2x", "r_same")}


def test_crop_and_resolution_equal_numpy_slicing():
    f = cooked()
    a = f["src"]
    assert a.shape == (37, 52, 4)
    assert np.array_equal(f["c_px"], a[3:20, 5:30])
    # fractions: 0.25 * 52 = 13, 0.75 * 52 = 39; 0.5 * 37 = 18.5 rounds to 19 (halves away from zero)
    assert np.array_equal(f["c_frac"], a[19:37, 13:39])
    out = f["c_out"]                                # 3 columns left of the image, 3 rows above: zero
    assert out.shape == (40, 13, 4)
    assert np.array_equal(out[:37, 3:], a[:, :10]) and not out[:, :3].any() and not out[37:].any()
    mirror = f["c_mirror"]
    assert np.array_equal(mirror[:, 3:], a[:, :10]) and np.array_equal(mirror[:, :3], a[:, 2::-1])
    # nearest half keeps every second pixel (the one whose area holds the sample), 2x repeats each
    assert np.array_equal(f["r_half"], a[1::2, 1::2][: 37 // 2, : 52 // 2])
    assert np.array_equal(f["r_2x"], a.repeat(2, axis=0).repeat(2, axis=1))
    assert np.array_equal(f["r_same"], a)
