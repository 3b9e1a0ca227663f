"""netcook's own PNG writer (io/png_writer.h) seen from outside: a second,
independent decoder (Pillow's) reads the same pixels as OpenImageIO's
libpng reader; the chunks are the ones OpenImageIO wrote before; reruns
give the same bytes; libdeflate's levels 10..12 are accepted.
"""
import pathlib
import struct

import numpy as np
import OpenImageIO as oiio
import pytest
from PIL import Image

REPO = pathlib.Path(__file__).resolve().parents[2]


def scene(path_line, extra=""):
    text = (REPO / "scenes/quickstart.yaml").read_text()
    return text.replace("    path: out/quickstart/frame.####.png", f"    path: {path_line}{extra}")


def chunks(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    names, i = [], 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        names.append(data[i + 4:i + 8].decode())
        i += 12 + n
    return names


def read_oiio(path, fmt):
    inp = oiio.ImageInput.open(str(path))
    assert inp, oiio.geterror()
    px = inp.read_image(fmt)
    inp.close()
    return np.asarray(px)


@pytest.mark.parametrize("compression", ["", "9", "12"])
def test_pillow_and_openimageio_agree(netcook, write_scene, tmp_path, compression):
    extra = f"\n    compression: '{compression}'" if compression else ""
    s = write_scene(scene("out/f.####.png", extra))
    r = netcook("render", s, "--frames", "1", "--quiet")
    assert r.returncode == 0, r
    f = tmp_path / "out/f.0001.png"
    first = f.read_bytes()
    with Image.open(f) as im:
        assert im.mode == "RGBA"
        pil = np.asarray(im)
    np.testing.assert_array_equal(pil, read_oiio(f, oiio.UINT8))
    assert chunks(f) == ["IHDR", "oFFs", "IDAT", "IEND"]
    r = netcook("render", s, "--frames", "1", "--quiet")
    assert r.returncode == 0, r
    assert f.read_bytes() == first


def test_sixteen_bits(netcook, write_scene, tmp_path):
    s = write_scene(scene("out/f.####.png", "\n    bits: 16"))
    r = netcook("render", s, "--frames", "1", "--quiet")
    assert r.returncode == 0, r
    f = tmp_path / "out/f.0001.png"
    spec = oiio.ImageInput.open(str(f)).spec()
    assert (spec.nchannels, str(spec.format)) == (4, "uint16")
    px = read_oiio(f, oiio.UINT16)
    # Pillow reads 16-bit RGBA as 8 bits (the high byte of each sample):
    # a check of byte order and of the filters at 2 bytes per sample.
    with Image.open(f) as im:
        assert im.mode == "RGBA"
        np.testing.assert_array_equal(np.asarray(im), (px >> 8).astype(np.uint8))
    assert px.max() > 255  # really 16-bit samples, not 8-bit ones widened


def test_level_13_is_refused(netcook, write_scene):
    s = write_scene(scene("out/f.####.png", "\n    compression: '13'"))
    r = netcook("render", s, "--frames", "1", "--quiet")
    assert r.returncode == 2, r
    assert "0..12" in r.stderr
