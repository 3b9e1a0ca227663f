"""Generator TOPs (ramp, circle, rectangle, text) against independent
references: numpy interpolation of the ramp's keys, analytic areas for the
shapes. Each scene saves the operator's numpyArray() (row 0 = bottom) from a
frame script, so these also check that the operators behave as TOPs in
Python."""
import math
import pathlib

import numpy as np
import pytest


def render_array(netcook, tmp_path, ops, top, res=(64, 48), extra_args=()):
    """Renders one frame of OPS (YAML text, indented under ops:) and returns
    op(TOP).numpyArray() as saved by a frame script."""
    out = tmp_path / "a.npy"
    text = (
        f"netcook: 1\nframes: 1\nresolution: [{res[0]}, {res[1]}]\nops:\n{ops}"
        "  save:\n    type: textDAT\n    run: frame\n    text: |\n"
        "      import numpy as np\n"
        f"      t = op('{top}')\n"
        "      assert (t.width, t.height) == (t.numpyArray().shape[1], t.numpyArray().shape[0])\n"
        f"      np.save({str(out)!r}, t.numpyArray())\n"
    )
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    r = netcook("render", "s.yaml", "--quiet", "--no-write", *extra_args)
    assert r.returncode == 0, r
    return np.load(out).astype(np.float64)


def uv(w, h):
    """Pixel centres in TouchDesigner's frame, row 0 = bottom (numpyArray's)."""
    u = (np.arange(w) + 0.5) / w
    v = (np.arange(h) + 0.5) / h
    return np.meshgrid(u, v)


KEYS = [(0.1, 1.0, 0.0, 0.0, 0.5), (0.45, 0.0, 1.0, 0.25, 1.0), (0.9, 0.0, 0.0, 1.0, 0.75)]


def key_dat(keys, header=True):
    rows = (["pos r g b a"] if header else []) + [" ".join(str(c) for c in k) for k in keys]
    return "  keys:\n    type: textDAT\n    text: |\n" + "".join(f"      {r}\n" for r in rows)


def ramp_numpy(t, keys, interp, tension=0.0):
    """Independent reference: RGBA (unpremultiplied) of ramp parameter t."""
    k = np.array(sorted(keys, key=lambda r: r[0]), np.float64)
    pos, col = k[:, 0], k[:, 1:]
    if interp == "linear":
        return np.stack([np.interp(t, pos, col[:, c]) for c in range(4)], -1)
    i = np.clip(np.searchsorted(pos, t, side="right") - 1, 0, len(pos) - 2)
    p0, p1 = pos[i], pos[i + 1]
    s = np.clip((t - p0) / (p1 - p0), 0, 1)[..., None]
    before, after = (t < pos[0])[..., None], (t >= pos[-1])[..., None]
    v0, v1 = col[i], col[i + 1]
    if interp == "step":
        out = v0
    elif interp == "easeineaseout":
        out = v0 + (v1 - v0) * (3 * s * s - 2 * s ** 3)
    else:  # hermite, Catmull-Rom scaled by (1 - tension), one-sided at the ends
        n = len(pos)

        def tangent(j):
            lo, hi = np.maximum(j - 1, 0), np.minimum(j + 1, n - 1)
            return (1 - tension) * (col[hi] - col[lo]) / (pos[hi] - pos[lo])[..., None]

        h = (p1 - p0)[..., None]
        m0, m1 = tangent(i) * h, tangent(i + 1) * h
        out = ((2 * s ** 3 - 3 * s ** 2 + 1) * v0 + (s ** 3 - 2 * s ** 2 + s) * m0
               + (-2 * s ** 3 + 3 * s ** 2) * v1 + (s ** 3 - s ** 2) * m1)
    out = np.where(before, col[0], out)
    return np.where(after, col[-1], out)


def premultiply(c):
    c = c.copy()
    c[..., :3] *= c[..., 3:4]
    return c


@pytest.mark.parametrize("interp", ["step", "linear", "easeineaseout", "hermite"])
@pytest.mark.parametrize("kind", ["horizontal", "vertical"])
def test_ramp_matches_numpy_interpolation(netcook, tmp_path, interp, kind):
    a = render_array(netcook, tmp_path,
                     key_dat(KEYS) + f"  r:\n    type: rampTOP\n    par: {{dat: keys, type: {kind}, "
                     f"interp: {interp}, tension: 0.3}}\n", "r", res=(70, 50))
    u, v = uv(70, 50)
    t = u if kind == "horizontal" else v
    want = premultiply(ramp_numpy(t, KEYS, interp, 0.3))
    if interp == "step":  # a pixel centre exactly on a key may round to either side
        assert np.mean(np.abs(a - want).max(-1) < 1e-5) > 0.97
    else:
        np.testing.assert_allclose(a, want, atol=2e-5)


def test_ramp_radial_circular_phase_period_extend(netcook, tmp_path):
    ops = key_dat(KEYS, header=False) + (
        "  r:\n    type: rampTOP\n    par: {dat: keys, type: radial, phase: 0.1, period: 0.5, "
        "extendleft: hold, extendright: mirror, position: [0.1, -0.05], fitaspect: fitvert}\n"
        "  c:\n    type: rampTOP\n    par: {dat: keys, type: circular, extendleft: repeat, "
        "multrgbbyalpha: 0}\n")
    w, h = 80, 40
    u, v = uv(w, h)
    du, dv = (u - 0.6) * 2 * (w / h), (v - 0.45) * 2
    t = (np.hypot(du, dv) - 0.1) / 0.5
    m = np.mod(t, 2)
    t = np.where(t > 1, np.where(m > 1, 2 - m, m), t)
    a = render_array(netcook, tmp_path, ops, "r", res=(w, h))
    np.testing.assert_allclose(a, premultiply(ramp_numpy(t, KEYS, "linear")), atol=5e-5)
    b = render_array(netcook, tmp_path, ops, "c", res=(w, h))
    turns = np.mod(np.arctan2((v - 0.5) * 2, (u - 0.5) * 2) / (2 * np.pi), 1)
    want = ramp_numpy(turns, KEYS, "linear")
    # The seam at angle 0 may fall on either side for a pixel on the axis.
    close = np.abs(b - want).max(-1) < 5e-5
    assert close.mean() > 0.99


def test_ramp_default_keys_and_black_zero_extends(netcook, tmp_path):
    a = render_array(netcook, tmp_path,
                     "  r:\n    type: rampTOP\n    par: {type: horizontal, phase: 0.25, period: 0.5, "
                     "extendleft: blockclamptoblack, extendright: zero}\n", "r", res=(40, 2))
    u, _ = uv(40, 2)
    t = (u - 0.25) / 0.5
    want = np.stack([np.clip(t, 0, 1)] * 3 + [np.ones_like(t)], -1)
    want[t < 0] = [0, 0, 0, 1]
    want[t > 1] = [0, 0, 0, 0]
    np.testing.assert_allclose(a, want, atol=1e-6)


def test_ramp_threads_give_identical_bytes(netcook, tmp_path):
    ops = key_dat(KEYS) + "  r:\n    type: rampTOP\n    par: {dat: keys, type: circular, interp: hermite}\n"
    one = render_array(netcook, tmp_path, ops, "r", res=(300, 200), extra_args=("--threads", "1"))
    two = render_array(netcook, tmp_path, ops, "r", res=(300, 200), extra_args=("--threads", "2"))
    assert np.array_equal(one, two)


@pytest.mark.parametrize("text,message", [
    ("0.5 1 1 1\n", "expected 5 cells"),
    ("0 1 x 1 1\n", "'x' is not a number"),
    ("pos r g b a\n", "holds no keys"),
])
def test_ramp_bad_keys_are_errors(netcook, tmp_path, text, message):
    body = "".join(f"      {line}\n" for line in text.splitlines())
    (tmp_path / "s.yaml").write_text(
        "netcook: 1\nframes: 1\nops:\n  keys:\n    type: textDAT\n    text: |\n" + body +
        "  r:\n    type: rampTOP\n    par: {dat: keys}\noutputs:\n  - {op: r, path: r.png}\n")
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode != 0
    assert message in r.stderr, r
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "r.png").exists()


def test_ramp_bad_menu_and_period_are_errors(netcook, tmp_path):
    (tmp_path / "s.yaml").write_text(
        "netcook: 1\nframes: 1\nops:\n  r:\n    type: rampTOP\n    par: {type: radiall}\n")
    r = netcook("render", "s.yaml", "--quiet", "--no-write")
    assert r.returncode == 2 and "s.yaml:6:17: error:" in r.stderr and "radial" in r.stderr, r
    (tmp_path / "s.yaml").write_text(
        "netcook: 1\nframes: 1\nops:\n  r:\n    type: rampTOP\n    par: {period: 0}\n"
        "outputs:\n  - {op: r, path: r.png}\n")
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode != 0 and "period" in r.stderr, r


@pytest.mark.parametrize("shape,par,area", [
    # 200 x 120 image; fractionaspect lengths are in heights (120 px).
    ("circleTOP", "{radius: [0.3, 0.2], rotate: 30, fillalpha: 1}", math.pi * 36 * 24),
    ("circleTOP", "{radius: [25, 25], radiusunit: pixels, softness: 3.5, center: [0.1, -0.1]}", math.pi * 625),
    ("rectangleTOP", "{size: [0.5, 0.25], rotate: 37}", 60 * 30),
    ("rectangleTOP", "{size: [40, 20], sizeunit: pixels, softness: 0.05, softnessunit: fraction}", 800),
])
def test_shape_coverage_sums_to_analytic_area(netcook, tmp_path, shape, par, area):
    a = render_array(netcook, tmp_path, f"  s:\n    type: {shape}\n    par: {par}\n", "s", res=(200, 120))
    assert abs(a[..., 3].sum() - area) < 0.005 * area
    # Opaque white fill, premultiplied: RGB equals alpha.
    np.testing.assert_allclose(a[..., 0], a[..., 3], atol=1e-6)


def test_shape_border_and_premultiplied_colours(netcook, tmp_path):
    ops = ("  s:\n    type: circleTOP\n    par: {radius: [30, 30], radiusunit: pixels, borderwidth: 8, "
           "borderoffset: 0, border: [1, 0, 0], borderalpha: 1, fillcolor: [0, 1, 0], fillalpha: 0.5, "
           "bgcolor: [0, 0, 1], bgalpha: 0.25}\n")
    a = render_array(netcook, tmp_path, ops, "s", res=(100, 100))
    np.testing.assert_allclose(a[50, 50], [0, 0.5, 0, 0.5], atol=1e-6)       # fill, premultiplied
    np.testing.assert_allclose(a[50, 50 + 26], [1, 0, 0, 1], atol=1e-6)      # inside the 22..30 border
    np.testing.assert_allclose(a[2, 2], [0, 0, 0.25, 0.25], atol=1e-6)        # background
    red = a[..., 0].sum()  # the border band's area: outline 30, all inside (offset 0)
    assert abs(red - math.pi * (30 ** 2 - 22 ** 2)) < 0.005 * math.pi * (30 ** 2 - 22 ** 2)


def test_shape_justify_and_python_parameters(netcook, tmp_path):
    ops = ("  s:\n    type: rectangleTOP\n    par: {size: [20, 10], sizeunit: pixels, justifyh: right, "
           "justifyv: bottom}\n"
           "  move:\n    type: textDAT\n    run: frame\n    text: |\n"
           "      op('s').par.centerx = -5\n      op('s').par.centerunit = 'pixels'\n")
    a = render_array(netcook, tmp_path, ops, "s", res=(64, 32))
    cols = np.nonzero(a[..., 3].max(0) > 0.5)[0]
    rows = np.nonzero(a[..., 3].max(1) > 0.5)[0]
    assert (cols.min(), cols.max()) == (64 - 5 - 20, 64 - 5 - 1)
    assert (rows.min(), rows.max()) == (0, 9)  # row 0 = bottom


def test_shapes_threads_give_identical_bytes(netcook, tmp_path):
    ops = ("  s:\n    type: circleTOP\n    par: {radius: [0.4, 0.3], rotate: 12, borderwidth: 5, softness: 2}\n")
    one = render_array(netcook, tmp_path, ops, "s", res=(400, 300), extra_args=("--threads", "1"))
    two = render_array(netcook, tmp_path, ops, "s", res=(400, 300), extra_args=("--threads", "2"))
    assert np.array_equal(one, two)


def test_shape_bad_parameters_are_scene_errors(netcook, tmp_path):
    (tmp_path / "s.yaml").write_text(
        "netcook: 1\nframes: 1\nops:\n  s:\n    type: circleTOP\n    par: {radiusunit: pixel}\n")
    r = netcook("render", "s.yaml", "--quiet", "--no-write")
    assert r.returncode == 2 and "s.yaml:6:" in r.stderr and "did you mean 'pixels'" in r.stderr, r
    (tmp_path / "s.yaml").write_text(
        "netcook: 1\nframes: 1\nops:\n  s:\n    type: rectangleTOP\n    par: {sizee: [1, 2]}\n")
    r = netcook("render", "s.yaml", "--quiet", "--no-write")
    assert r.returncode == 2 and "s.yaml:6:" in r.stderr and "size" in r.stderr, r


def test_text_par_set_every_frame_from_python(netcook, tmp_path):
    """op('text1').par.text = f"frame {me.time.frame}" every frame: each
    frame's image differs and matches a render of that text set directly."""
    drive = ("  text1:\n    type: textTOP\n    par: {fontsizex: 20}\n"
             "  drive:\n    type: textDAT\n    run: frame\n    text: |\n"
             "      op('text1').par.text = f\"frame {me.time.frame}\"\n"
             "      import numpy as np\n"
             f"      np.save({str(tmp_path)!r} + f'/f{{int(me.time.frame)}}.npy', op('text1').numpyArray())\n")
    (tmp_path / "s.yaml").write_text("netcook: 1\nframes: 1-3\nresolution: [160, 40]\nops:\n" + drive)
    r = netcook("render", "s.yaml", "--quiet", "--no-write")
    assert r.returncode == 0, r
    frames = [np.load(tmp_path / f"f{f}.npy") for f in (1, 2, 3)]
    assert not np.array_equal(frames[0], frames[1]) and not np.array_equal(frames[1], frames[2])
    # numpyArray() inside the frame script cooks text1 with the new text.
    direct = render_array(netcook, tmp_path, "  text1:\n    type: textTOP\n    par: {fontsizex: 20, "
                          "text: \"frame 2.0\"}\n", "text1", res=(160, 40))
    assert np.array_equal(frames[1], direct)


def ink_box(a):
    ys, xs = np.nonzero(a[..., 3] > 0)
    return xs.min(), xs.max(), ys.min(), ys.max()


@pytest.mark.parametrize("alignx", ["left", "center", "right"])
@pytest.mark.parametrize("aligny", ["bottom", "center", "top"])
def test_text_alignment_places_the_ink(netcook, tmp_path, alignx, aligny):
    a = render_array(netcook, tmp_path,
                     f"  t:\n    type: textTOP\n    par: {{text: \"Hxh\", fontsizex: 30, alignx: {alignx}, "
                     f"aligny: {aligny}}}\n", "t", res=(120, 80))
    x0, x1, y0, y1 = ink_box(a)
    if alignx == "left":
        assert 0 <= x0 <= 4
    elif alignx == "right":
        assert 115 <= x1 <= 119
    else:
        assert abs((x0 + x1) / 2 - 59.5) <= 3
    # DejaVu Sans: ascender 0.928 em, descender -0.236 em; 'H' and 'h' reach
    # the cap / ascender height (~0.73-0.76 em) and sit on the baseline.
    if aligny == "bottom":
        assert abs(y0 - round(0.236 * 30)) <= 1
    elif aligny == "top":
        assert abs((79 - y1) - (0.928 - 0.76) * 30) <= 2
    else:
        block_bottom = 40 - (0.928 + 0.236) * 30 / 2
        assert abs(y0 - (block_bottom + 0.236 * 30)) <= 1.5


def test_text_from_dat_multiline_and_wrap(netcook, tmp_path):
    ops = ("  words:\n    type: textDAT\n    text: |\n      one two three four\n      five\n"
           "  t:\n    type: textTOP\n    par: {dat: words, fontsizex: 16, wordwrap: 1, alignx: left, aligny: top}\n")
    a = render_array(netcook, tmp_path, ops, "t", res=(90, 120))
    rows = np.nonzero(a[..., 3].max(1) > 0)[0]
    # Lines of ink separated by empty rows: at least three (wrapped + "five").
    bands = np.count_nonzero(np.diff(rows) > 1) + 1
    assert bands >= 3
    cols = np.nonzero(a[..., 3].max(0) > 0)[0]
    assert cols.max() < 90


def test_text_premultiplied_colour_and_background(netcook, tmp_path):
    a = render_array(netcook, tmp_path,
                     "  t:\n    type: textTOP\n    par: {text: \"I\", fontsizex: 60, fontcolor: [1, 0.5, 0], "
                     "fontalpha: 0.5, bgcolor: [0, 0, 1], bgalpha: 1}\n", "t", res=(60, 60))
    np.testing.assert_allclose(a[30, 30], [0.5, 0.25, 0, 0.5], atol=1e-6)  # inside the stem
    np.testing.assert_allclose(a[2, 2], [0, 0, 1, 1], atol=1e-6)


def test_text_threads_give_identical_bytes(netcook, tmp_path):
    ops = "  t:\n    type: textTOP\n    par: {text: \"Threads 1 == 2\", fontsizex: 48}\n"
    one = render_array(netcook, tmp_path, ops, "t", res=(400, 300), extra_args=("--threads", "1"))
    two = render_array(netcook, tmp_path, ops, "t", res=(400, 300), extra_args=("--threads", "2"))
    assert np.array_equal(one, two)


@pytest.mark.parametrize("par,message", [
    ("{text: hi, font: DejaVu Sanz}", "did you mean 'DejaVu Sans'"),
    ("{text: hi, fontfile: no_such_font.ttf}", "cannot open font file 'no_such_font.ttf'"),
    ("{text: hi, dat: nothing}", "no such operator"),
])
def test_text_bad_fonts_are_errors(netcook, tmp_path, par, message):
    (tmp_path / "s.yaml").write_text(
        f"netcook: 1\nframes: 1\nops:\n  t:\n    type: textTOP\n    par: {par}\noutputs:\n  - {{op: t, path: t.png}}\n")
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode != 0 and message in r.stderr, r
    assert "Traceback" not in r.stderr and not (tmp_path / "t.png").exists()


def test_text_bad_menu_is_scene_error(netcook, tmp_path):
    (tmp_path / "s.yaml").write_text(
        "netcook: 1\nframes: 1\nops:\n  t:\n    type: textTOP\n    par: {alignx: centre}\n")
    r = netcook("render", "s.yaml", "--quiet", "--no-write")
    assert r.returncode == 2 and "s.yaml:6:" in r.stderr and "did you mean 'center'" in r.stderr, r


def test_ramp_follows_keys_changed_by_a_script(netcook, tmp_path):
    (tmp_path / "s.yaml").write_text(
        "netcook: 1\nframes: 1-2\nresolution: [8, 2]\nops:\n"
        "  keys:\n    type: textDAT\n    text: |\n      0 0 0 0 1\n      1 1 1 1 1\n"
        "  r:\n    type: rampTOP\n    par: {dat: keys, type: horizontal}\n"
        "  drive:\n    type: textDAT\n    run: frame\n    text: |\n"
        "      if me.time.frame == 2:\n"
        "          op('keys').text = '0 1 0 0 1\\n1 1 0 0 1\\n'\n"
        "      print(op('r').numpyArray()[0, 0].tolist())\n")
    r = netcook("render", "s.yaml", "--quiet", "--no-write")
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["[0.0625, 0.0625, 0.0625, 1.0]", "[1.0, 0.0, 0.0, 1.0]"]


def test_rounded_rectangle_area(netcook, tmp_path):
    a = render_array(netcook, tmp_path,
                     "  s:\n    type: rectangleTOP\n    par: {size: [80, 50], sizeunit: pixels, cornerradius: 12, "
                     "rotate: 15}\n", "s", res=(160, 100))
    area = 80 * 50 - (4 - math.pi) * 144
    assert abs(a[..., 3].sum() - area) < 0.005 * area


def test_circle_polygon_area(netcook, tmp_path):
    a = render_array(netcook, tmp_path,
                     "  s:\n    type: circleTOP\n    par: {radius: [40, 10], radiusunit: pixels, ispolygon: 1, "
                     "sides: 5, rotate: 7}\n", "s", res=(120, 100))
    area = 0.5 * 5 * 40 ** 2 * math.sin(2 * math.pi / 5)
    assert abs(a[..., 3].sum() - area) < 0.005 * area
