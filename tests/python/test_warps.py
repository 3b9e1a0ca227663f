"""Tile, Mirror, Displace and Edge TOPs against independent numpy
references of their documented behaviour (src/netcook/kernels/warp.h,
edge.h). Arrays are numpyArray()'s (row 0 = bottom, TouchDesigner's
orientation), saved by a frame script, so the operators are also checked to
behave as TOPs in Python."""
import numpy as np

SOURCE = """  src: {type: scriptTOP}
  src_callbacks:
    type: textDAT
    text: |
      import numpy as np
      def onCook(scriptOp):
          a = np.random.default_rng(11).random((SH, SW, 4), dtype=np.float32)
          scriptOp.copyNumpyArray(a)
"""


def render(netcook, tmp_path, ops, names, size=(52, 37), extra_args=()):
    out = tmp_path / "a.npz"
    text = (
        "netcook: 1\nframes: 1\nresolution: [8, 8]\nops:\n"
        + SOURCE.replace("SH", str(size[1])).replace("SW", str(size[0]))
        + ops
        + "  save:\n    type: textDAT\n    run: frame\n    text: |\n"
        "      import numpy as np\n"
        f"      np.savez({str(out)!r}, **{{n: op(n).numpyArray() for n in {['src'] + list(names)!r}}})\n"
    )
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    r = netcook("render", "s.yaml", "--quiet", "--no-write", *extra_args)
    assert r.returncode == 0, r
    with np.load(out) as z:
        return {k: z[k] for k in z.files}


def test_tile_exact_against_numpy_tiling(netcook, tmp_path):
    ops = """  t2: {type: tileTOP, inputs: [src], par: {outputresolution: 2x, repeatx: 2, repeaty: 2}}
  t_flip: {type: tileTOP, inputs: [src], par: {outputresolution: 2x, repeatx: 2, repeaty: 2, flipx: 1}}
  t_reflect: {type: tileTOP, inputs: [src], par: {outputresolution: 2x, repeatx: 2, repeaty: 2, reflectx: 1, reflecty: 1}}
  t_crop: {type: tileTOP, inputs: [src], par: {cropleft: 5, cropleftunit: pixels, cropright: 30, croprightunit: pixels, cropbottom: 3, cropbottomunit: pixels, croptop: 20, croptopunit: pixels, outputresolution: custom, resolutionw: 75, resolutionh: 34, repeatx: 3, repeaty: 2}}
  t_flop: {type: tileTOP, inputs: [src], par: {cropright: 37, croprightunit: pixels, flop: 1, outputresolution: custom, resolutionw: 74, resolutionh: 74, repeatx: 2, repeaty: 2}}
  t_one: {type: tileTOP, inputs: [src]}
"""
    f = render(netcook, tmp_path, ops, ["t2", "t_flip", "t_reflect", "t_crop", "t_flop", "t_one"])
    a = f["src"]
    assert np.array_equal(f["t_one"], a)
    assert np.array_equal(f["t2"], np.tile(a, (2, 2, 1)))
    assert np.array_equal(f["t_flip"], np.tile(a[:, ::-1], (2, 2, 1)))
    row = np.concatenate([a, a[:, ::-1]], axis=1)
    assert np.array_equal(f["t_reflect"], np.concatenate([row, row[::-1]], axis=0))
    assert np.array_equal(f["t_crop"], np.tile(a[3:20, 5:30], (2, 3, 1)))
    assert np.array_equal(f["t_flop"], np.tile(a[:, :37].transpose(1, 0, 2), (2, 2, 1)))


def test_tile_shrinks_tiles_bilinearly(netcook, tmp_path):
    # Two tiles in an output of the input's size: each output pixel of a tile
    # samples half-way between two input pixels on both axes.
    f = render(netcook, tmp_path, "  t: {type: tileTOP, inputs: [src], par: {repeatx: 2, repeaty: 2}}\n", ["t"],
               size=(52, 36))
    a = f["src"].astype(np.float64)
    half = (a[0::2, 0::2] + a[0::2, 1::2] + a[1::2, 0::2] + a[1::2, 1::2]) / 4
    assert np.allclose(f["t"], np.tile(half, (2, 2, 1)), atol=1e-6)


def test_mirror_exact_against_numpy_flips(netcook, tmp_path):
    ops = """  m_x: {type: mirrorTOP, inputs: [src]}
  m_xy: {type: mirrorTOP, inputs: [src], par: {flipy: 1}}
  m_y: {type: mirrorTOP, inputs: [src], par: {flipx: 0, flipy: 1}}
  m_r90: {type: mirrorTOP, inputs: [src], par: {rotate: 90}}
  m_px: {type: mirrorTOP, inputs: [src], par: {pivotx: 10, pivotunit: pixels}}
"""
    f = render(netcook, tmp_path, ops, ["m_x", "m_xy", "m_y", "m_r90", "m_px"])
    a = f["src"]  # 37 rows, 52 columns: the pivot is on a column edge and a row centre
    mx = a.copy()
    mx[:, 26:] = a[:, 25::-1]
    assert np.array_equal(f["m_x"], mx)
    my = a.copy()
    my[19:] = a[17::-1]
    assert np.array_equal(f["m_y"], my)
    mxy = mx.copy()
    mxy[19:] = mx[17::-1]
    assert np.array_equal(f["m_xy"], mxy)
    # A quarter turn makes flipx's line horizontal (the lower half kept).
    assert np.array_equal(f["m_r90"], my)
    # Pivot at x = 10 px: columns right of it read 19 - x, past the left edge held.
    px = a.copy()
    for x in range(10, 52):
        px[:, x] = a[:, max(19 - x, 0)]
    assert np.array_equal(f["m_px"], px)


def test_displace_of_a_constant_map_is_a_shift(netcook, tmp_path):
    # Map (0.75, 0.375): (0.25 * 0.25 * 64, -0.125 * 0.5 * 48) = 4 px right, 3 px down.
    ops = """  map: {type: constantTOP, par: {colorr: 0.75, colorg: 0.375, colorb: 0}}
  d: {type: displaceTOP, inputs: [src, map], par: {displaceweightx: 0.25, displaceweighty: 0.5}}
  d_zero: {type: displaceTOP, inputs: [src, map], par: {displaceweightx: 0.25, displaceweighty: 0.5, extend: zero}}
  d_off: {type: displaceTOP, inputs: [src, map], par: {displaceweightx: 0, displaceweighty: 0, offsetx: 0.125, offsetweight: 0.5}}
"""
    f = render(netcook, tmp_path, ops, ["d", "d_zero", "d_off"], size=(64, 48))
    a = f["src"]
    j, i = np.meshgrid(np.arange(48), np.arange(64), indexing="ij")
    assert np.array_equal(f["d"], a[np.clip(j - 3, 0, 47), np.clip(i + 4, 0, 63)])
    z = np.zeros_like(a)
    z[3:, :60] = a[:45, 4:]
    assert np.array_equal(f["d_zero"], z)
    # offset * offsetweight = 1/16 of the width: 4 px right
    assert np.array_equal(f["d_off"], a[:, np.clip(i[0] + 4, 0, 63)])


def edge_numpy(a, strength=1.0, step=(1, 1), black=0.0):
    s = 0.2126 * a[..., 0] + 0.7152 * a[..., 1] + 0.0722 * a[..., 2]
    s = np.maximum(s - black, 0) / (1 - black)
    h, w = s.shape
    ox, oy = step
    x = np.arange(w)
    y = np.arange(h)
    gx = s[:, np.minimum(x + ox, w - 1)] - s[:, np.maximum(x - ox, 0)]
    gy = s[np.minimum(y + oy, h - 1)] - s[np.maximum(y - oy, 0)]
    return np.minimum(strength * np.sqrt(gx * gx + gy * gy), 1.0)


def test_edge_against_numpy_gradient(netcook, tmp_path):
    ops = """  e: {type: edgeTOP, inputs: [src]}
  e_step: {type: edgeTOP, inputs: [src], par: {strength: 0.5, offset1: 2, offset2: 3, blacklevel: 0.2, edgecolorr: 1, edgecolorg: 0.5, edgecolorb: 0.25, edgecolora: 0.5, alphaoutputmenu: edge}}
  e_comp: {type: edgeTOP, inputs: [src], par: {strength: 0.7, compinput: 1, edgecolorg: 0}}
"""
    f = render(netcook, tmp_path, ops, ["e", "e_step", "e_comp"])
    a = f["src"].astype(np.float64)
    e = edge_numpy(a)
    want = np.stack([e, e, e, np.ones_like(e)], -1)
    assert np.allclose(f["e"], want, atol=2e-6)
    e2 = edge_numpy(a, 0.5, (2, 3), 0.2)[..., None]
    colour = np.array([1, 0.5, 0.25, 1]) * 0.5  # premultiplied by its alpha; alpha = e * 0.5
    assert np.allclose(f["e_step"], e2 * colour, atol=2e-6)
    e3 = edge_numpy(a, 0.7)[..., None]
    assert np.allclose(f["e_comp"], e3 * np.array([1, 0, 1, 1]) + a * (1 - e3), atol=2e-6)


def test_threads_give_identical_bytes(netcook, tmp_path):
    ops = """  map: {type: noiseTOP, par: {resolutionw: 300, resolutionh: 200}}
  t: {type: tileTOP, inputs: [src], par: {repeatx: 3.3, repeaty: 2.5, reflectx: 1, flop: 1}}
  m: {type: mirrorTOP, inputs: [src], par: {rotate: 30, flipy: 1}}
  d: {type: displaceTOP, inputs: [src, map], par: {displaceweightx: 0.1, displaceweighty: 0.05}}
  e: {type: edgeTOP, inputs: [src], par: {compinput: 1}}
"""
    names = ["t", "m", "d", "e"]
    one = render(netcook, tmp_path, ops, names, size=(300, 200), extra_args=("--threads", "1"))
    two = render(netcook, tmp_path, ops, names, size=(300, 200), extra_args=("--threads", "2"))
    for n in names:
        assert one[n].tobytes() == two[n].tobytes(), n


def test_bad_parameters_and_missing_inputs_are_scene_errors(netcook, tmp_path):
    cases = {
        "  d: {type: displaceTOP, inputs: [src]}\n": "input",
        "  m: {type: mirrorTOP, inputs: [src], par: {flipz: 1}}\n": "did you mean",
        "  e: {type: edgeTOP, inputs: [src], par: {select: lumi}}\n": "did you mean",
        "  t: {type: tileTOP}\n": "input",
    }
    for ops, needle in cases.items():
        text = "netcook: 1\nframes: 1\nops:\n" + SOURCE.replace("SH", "8").replace("SW", "8") + ops
        (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
        r = netcook("render", "bad.yaml", "--quiet", "--no-write")
        assert r.returncode == 2, (ops, r)
        assert "bad.yaml:" in r.stderr and needle in r.stderr, (ops, r.stderr)
