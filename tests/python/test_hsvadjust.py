"""HSV Adjust TOP against OpenCV's cvtColor HSV round trip (float32: H in
degrees, S and V in 0..1), with every colour selected (the defaults)."""
import os
import pathlib
import sys

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402

cv2 = pytest.importorskip("cv2")

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
          a = np.random.default_rng(11).random((24, 40, 4), dtype=np.float32)
          a[..., 3] = 1
          a[0, :8, :3] = 0.25          # greys: hue 0, saturation 0
          scriptOp.copyNumpyArray(a)
  hsv1: {type: hsvadjustTOP, inputs: [src], par: {hueoffset: %s, saturationmult: %s, valuemult: %s}}
"""


@pytest.mark.parametrize("hue,sat,val", [(0, 1, 1), (90, 0.5, 1.2), (250, 1.5, 0.7), (359.5, 0, 1)])
def test_matches_opencv_round_trip(hue, sat, val):
    with netcook.Session.from_string(SCENE % (hue, sat, val), "hsv.yaml") as session:
        f = session.cook(1)
        src, out = np.array(f["src"]), np.array(f["hsv1"])
    hsv = cv2.cvtColor(np.ascontiguousarray(src[..., :3]), cv2.COLOR_RGB2HSV)
    hsv[..., 0] = np.mod(hsv[..., 0] + hue, 360)
    hsv[..., 1] *= sat
    hsv[..., 2] *= val
    expected = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    assert np.abs(out[..., :3] - expected).max() < 2e-5
    assert np.array_equal(out[..., 3], src[..., 3])
