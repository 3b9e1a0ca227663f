"""Parameters issue 11 had left out of the landed TOPs: the generators'
Comp Over Input (Constant, Ramp, Circle, Rectangle, Text: the generated
image composited with the wired input by `operand`, against numpy's formulas
on pre-multiplied pixels; a wired input sets the size), the compositing
TOPs' overlay transform, and the Text TOP's tracking."""
import numpy as np

from test_warps import render


def test_generators_composite_over_their_input(netcook, tmp_path):
    ops = """  c_plain: {type: circleTOP, inputs: [src], par: {radius: [0.3, 0.3], fillalpha: 0.6}}
  c_over: {type: circleTOP, inputs: [src], par: {radius: [0.3, 0.3], fillalpha: 0.6, compoverinput: 1}}
  c_add: {type: circleTOP, inputs: [src], par: {radius: [0.3, 0.3], compoverinput: 1, operand: add}}
  c_swap: {type: circleTOP, inputs: [src], par: {radius: [0.3, 0.3], compoverinput: 1, swaporder: 1}}
  r_over: {type: rampTOP, inputs: [src], par: {compoverinput: 1, operand: multiply}}
  k_over: {type: constantTOP, inputs: [src], par: {colorr: 1, alpha: 0.25, multrgbbyalpha: 1, compoverinput: 1}}
  x_over: {type: rectangleTOP, inputs: [src], par: {compoverinput: 1, operand: maximum}}
  t_over: {type: textTOP, inputs: [src], par: {text: netcook, compoverinput: 1}}
  t_plain: {type: textTOP, inputs: [src], par: {text: netcook}}
  r_plain: {type: rampTOP, inputs: [src]}
  x_plain: {type: rectangleTOP, inputs: [src]}
"""
    names = ["c_plain", "c_over", "c_add", "c_swap", "r_over", "k_over", "x_over", "t_over", "t_plain", "r_plain",
             "x_plain"]
    f = render(netcook, tmp_path, ops, names)
    b = f["src"].astype(np.float64)
    for n in names:
        assert f[n].shape == b.shape, n  # the input sets the size
    a = f["c_plain"].astype(np.float64)

    def over(top, below):
        return top + below * (1 - top[..., 3:4])

    assert np.allclose(f["c_over"], over(a, b), atol=1e-6)
    full = f["c_add"].astype(np.float64) - b  # add: A + B, A a white circle of alpha 1 on transparent black
    assert np.allclose(full[..., :3], full[..., 3:4], atol=1e-6)
    assert abs(full[..., 3].max() - 1) < 1e-6 and abs(full[..., 3].min()) < 1e-6
    assert np.allclose(full[..., 3], a[..., 3] / 0.6, atol=1e-5)
    assert np.allclose(f["c_swap"], over(b, f["c_add"] - b), atol=1e-6)  # input over the circle
    assert np.allclose(f["r_over"], f["r_plain"] * b, atol=1e-6)
    assert np.allclose(f["k_over"], over(np.array([0.25, 0, 0, 0.25]), b), atol=1e-6)
    assert np.allclose(f["x_over"], np.maximum(f["x_plain"], b), atol=1e-6)
    assert np.allclose(f["t_over"], over(f["t_plain"].astype(np.float64), b), atol=1e-6)



def test_composite_overlay_transform(netcook, tmp_path):
    """The Composite/Over TOPs' overlay transform (r t s p): a whole-pixel
    translate shifts the overlay exactly; r = 90 turns it clockwise."""
    ops = """  bg: {type: constantTOP, par: {colorg: 1, alpha: 1, resolutionw: 40, resolutionh: 40}}
  sq: {type: scriptTOP}
  sq_callbacks:
    type: textDAT
    text: |
      import numpy as np
      def onCook(scriptOp):
          a = np.random.default_rng(3).random((40, 40, 4), dtype=np.float32) * 0.5
          scriptOp.copyNumpyArray(a)
  moved: {type: compositeTOP, inputs: [sq, bg], par: {size: input2, tx: 4, tunit: pixels, ty: -2}}
  turned: {type: overTOP, inputs: [sq, bg], par: {size: input2, r: 90}}
"""
    f = render(netcook, tmp_path, ops, ["bg", "sq", "moved", "turned"])
    bg, sq = f["bg"].astype(np.float64), f["sq"].astype(np.float64)

    def over(top, below):
        return top + below * (1 - top[..., 3:4])

    shifted = np.zeros_like(sq)
    shifted[:38, 4:] = sq[2:, :36]  # 4 px right, 2 px down; transparent outside
    assert np.allclose(f["moved"], over(shifted, bg), atol=1e-6)
    y, x = np.meshgrid(np.arange(40), np.arange(40), indexing="ij")
    turned = sq[x, 39 - y]  # output (x, y) shows the source at (39 - y, x): a clockwise quarter turn
    assert np.allclose(f["turned"], over(turned, bg), atol=1e-6)


def test_text_tracking_spaces_characters(netcook, tmp_path):
    """Text TOP `tracking`: whole-pixel tracking moves every later character
    by that many pixels, so the inked width of n characters grows by
    (n - 1) * tracking and each glyph's pixels are unchanged."""
    ops = """  t0: {type: textTOP, par: {text: HIHI, alignx: left, fontsizex: 20, resolutionw: 160, resolutionh: 40}}
  t5: {type: textTOP, par: {text: HIHI, alignx: left, fontsizex: 20, tracking: 5, resolutionw: 160, resolutionh: 40}}
"""
    f = render(netcook, tmp_path, ops, ["t0", "t5"])

    def columns(a):
        return np.nonzero(a[..., 3].max(axis=0) > 0)[0]

    c0, c5 = columns(f["t0"]), columns(f["t5"])
    assert c0[0] == c5[0]
    assert c5[-1] - c0[-1] == 15
    assert np.array_equal(f["t0"][:, c0[0]:c0[0] + 6], f["t5"][:, c5[0]:c5[0] + 6])  # the first H is untouched
