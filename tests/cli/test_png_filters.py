"""PNG filters and levels end to end (issue 16): every filter (png_filter:)
at every kind of level, 8 and 16 bits, sizes 1x1 to 4097x3, decoded by
Pillow and by OpenImageIO's libpng reader to the same pixels; the filter
asked for is the one in the file; reruns on other thread counts give the
same bytes; bad png_filter values are refused with FILE:LINE:COL errors.
"""
import re
import struct
import zlib

import numpy as np
import OpenImageIO as oiio
import pytest
from PIL import Image

FILTERS = ["adaptive", "none", "sub", "up", "average", "paeth"]
LEVELS = ["0", "1", "6", "9", "12", "fast"]  # fast: igzip level 1


def many_outputs_scene(width, height):
    outs = []
    for bits in (8, 16):
        for f in FILTERS:
            for level in LEVELS:
                outs.append(f"  - {{op: noise1, path: out/b{bits}_{f}_{level}.png, bits: {bits}, "
                            f"png_filter: {f}, compression: '{level}'}}")
        outs.append(f"  - {{op: noise1, path: out/b{bits}_default.png, bits: {bits}}}")
        outs.append(f"  - {{op: noise1, path: out/b{bits}_fastdefault.png, bits: {bits}, compression: fast}}")
    return f"""\
netcook: 1
frames: 1
resolution: [{width}, {height}]
ops:
  noise1:
    type: noiseTOP
    par: {{period: 3, mono: false, amp: 0.8}}
outputs:
""" + "\n".join(outs) + "\n"


def png_rows(path):
    """(IHDR fields, the filter type byte of every row) from the file itself."""
    data = path.read_bytes()
    i, idat, ihdr = 8, b"", None
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", data[i + 8:i + 8 + n])
        elif kind == b"IDAT":
            idat += data[i + 8:i + 8 + n]
        i += 12 + n
    width, height, bits, colour = ihdr[:4]
    raw = zlib.decompress(idat)
    stride = 1 + width * (4 if colour == 6 else 3) * bits // 8
    assert len(raw) == stride * height
    return ihdr, [raw[y * stride] for y in range(height)]


def read_oiio(path, fmt):
    inp = oiio.ImageInput.open(str(path))
    assert inp, oiio.geterror()
    px = np.asarray(inp.read_image(fmt))
    inp.close()
    return px


@pytest.mark.parametrize("size", [(1, 1), (4097, 3), (67, 45)])
def test_every_filter_and_level_decodes_the_same(netcook, write_scene, tmp_path, size):
    s = write_scene(many_outputs_scene(*size))
    r = netcook("render", s, "--quiet", "--threads", "2")
    assert r.returncode == 0, r
    out = tmp_path / "out"
    first = {f.name: f.read_bytes() for f in out.iterdir()}
    assert len(first) == 2 * (len(FILTERS) * len(LEVELS) + 2)
    want = {}
    for name in sorted(first):
        f = out / name
        bits = int(name[1:name.index("_")])
        ihdr, filters = png_rows(f)
        assert ihdr == (size[0], size[1], bits, 6, 0, 0, 0), name
        kind = name.split("_")[1].removesuffix(".png")
        if kind in FILTERS[1:]:
            assert set(filters) == {FILTERS.index(kind) - 1}, name
        else:
            assert set(filters) <= {0, 1, 2, 3, 4}, name
        px = read_oiio(f, oiio.UINT8 if bits == 8 else oiio.UINT16)
        with Image.open(f) as im:
            assert im.mode == "RGBA", name
            pil = np.asarray(im)
        # Pillow gives 16-bit RGBA as 8 bits, the high byte of each sample.
        np.testing.assert_array_equal(pil, px if bits == 8 else (px >> 8).astype(np.uint8), err_msg=name)
        # Every filter and level stores the same samples.
        if bits in want:
            np.testing.assert_array_equal(px, want[bits], err_msg=name)
        else:
            want[bits] = px
    # The default (level 1) is the sub filter at level 1, byte for byte;
    # `compression: fast` is the up filter with igzip.
    for bits in (8, 16):
        assert first[f"b{bits}_default.png"] == first[f"b{bits}_sub_1.png"]
        assert first[f"b{bits}_fastdefault.png"] == first[f"b{bits}_up_fast.png"]
    # The same bytes on one thread as on two.
    r = netcook("render", s, "--quiet", "--threads", "1")
    assert r.returncode == 0, r
    assert {f.name: f.read_bytes() for f in out.iterdir()} == first


def small_scene(extra, path="out/f.png"):
    return f"""\
netcook: 1
frames: 1
resolution: [16, 8]
ops:
  noise1: {{type: noiseTOP}}
outputs:
  - op: noise1
    path: {path}{extra}
"""


def test_png_filter_typo_is_refused_with_a_suggestion(netcook, write_scene, tmp_path):
    s = write_scene(small_scene("\n    png_filter: paeht"))
    r = netcook("render", s, "--quiet")
    assert r.returncode == 2, r
    assert re.search(r"scene\.yaml:9:17: error: unknown png_filter 'paeht'.*did you mean 'paeth'", r.stderr), r
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value, message", [
    ("''", "png_filter must be adaptive, none, sub, up, average or paeth"),
    ("[sub]", "single value"),
    ("4", "unknown png_filter '4'"),
])
def test_png_filter_bad_values(netcook, write_scene, tmp_path, value, message):
    s = write_scene(small_scene(f"\n    png_filter: {value}"))
    r = netcook("render", s, "--quiet")
    assert r.returncode == 2, r
    assert "scene.yaml:9:17: error: " in r.stderr and message in r.stderr, r
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_png_filter_on_another_format_points_at_the_key(netcook, write_scene, tmp_path):
    s = write_scene(small_scene("\n    png_filter: up", path="out/f.exr"))
    r = netcook("render", s, "--quiet")
    assert r.returncode == 2, r
    assert "scene.yaml:9:17: error: png_filter applies to png outputs only" in r.stderr, r


def test_misspelt_key_suggests_png_filter(netcook, write_scene):
    s = write_scene(small_scene("\n    png_fliter: up"))
    r = netcook("render", s, "--quiet")
    assert r.returncode == 2, r
    assert "png_filter" in r.stderr and "scene.yaml:9:5" in r.stderr, r


def test_command_line_png_filter(netcook, write_scene, tmp_path):
    s = write_scene(small_scene(""))
    r = netcook("render", s, "--quiet", "--png-filter", "up")
    assert r.returncode == 0, r
    assert set(png_rows(tmp_path / "out/f.png")[1]) == {2}
    # After --out, on the new output.
    r = netcook("render", s, "--quiet", "--out", "out/g.png", "--png-filter", "paeth")
    assert r.returncode == 0, r
    assert set(png_rows(tmp_path / "out/g.png")[1]) == {4}


@pytest.mark.parametrize("args, message", [
    (["--png-filter", "avrage"], "--png-filter: error: unknown png_filter 'avrage'; did you mean 'average'?"),
    (["--out", "out/f.exr", "--png-filter", "up"], "--png-filter: error: no output is a PNG file"),
])
def test_command_line_png_filter_errors(netcook, write_scene, tmp_path, args, message):
    s = write_scene(small_scene(""))
    r = netcook("render", s, "--quiet", *args)
    assert r.returncode == 2, r
    assert message in r.stderr, r
    assert not (tmp_path / "out").exists()
