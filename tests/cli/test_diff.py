"""`netcook diff RESULT GOLDEN`: idiff's options and report over
netcook::compare (docs/image-comparison.md); exit 0 pass or warn, 1 fail,
2 bad input; heat maps written atomically where asked."""
import subprocess

import numpy as np
import OpenImageIO as oiio
import pytest


def write(path, pixels):
    pixels = np.ascontiguousarray(pixels, dtype=np.float32)
    h, w, c = pixels.shape
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), oiio.ImageSpec(w, h, c, oiio.FLOAT))
    assert out.write_image(pixels)
    out.close()
    return path


def read(path):
    buf = oiio.ImageBuf(str(path))
    return buf.get_pixels(oiio.FLOAT)


@pytest.fixture
def pair(tmp_path):
    """A 10x10 black RGBA golden and a result with 5 pixels raised by 0.5 in G."""
    golden = np.zeros((10, 10, 4), np.float32)
    result = golden.copy()
    result[0, :5, 1] = 0.5
    return write(tmp_path / "result.exr", result), write(tmp_path / "golden.exr", golden)


def test_identical_images_pass(netcook, pair):
    r = netcook("diff", pair[1], pair[1], "--ssim", "--flip")
    assert r.returncode == 0, r
    assert r.stdout.splitlines()[-1] == "PASS"
    assert "Peak SNR = inf" in r.stdout
    assert "SSIM = 1" in r.stdout
    assert "Mean FLIP = 0" in r.stdout


def test_default_thresholds_fail_with_counts(netcook, pair):
    r = netcook("diff", *pair)
    assert r.returncode == 1, r
    assert "Max error  = 0.5 @ (0, 0, G)" in r.stdout
    assert "  5 pixels (5%) over 1e-06" in r.stdout
    assert r.stdout.splitlines()[-1] == (
        "FAILURE: 5 pixels (5%) differ by more than 1e-06 (allowed 0); largest 0.5 at (0, 0) in G")


def test_verdicts_follow_idiff(netcook, pair):
    for args, status, word in [
        (["--failpercent", "5"], 0, "WARNING"),
        (["--failpercent", "4.9"], 1, "FAILURE"),
        (["--allowfailures", "5"], 0, "PASS"),
        (["--fail", "0.6", "--warn", "0.4"], 0, "PASS"),
        (["--failpercent", "10", "--hardfail", "0.4"], 1, "FAILURE"),
    ]:
        r = netcook("diff", *pair, *args)
        assert r.returncode == status, (args, r)
        assert r.stdout.splitlines()[-1].startswith(word), (args, r)
        idiff = subprocess.run(["idiff", *[a.replace("--", "-") for a in args], *map(str, pair)],
                               capture_output=True, text=True)
        assert idiff.stdout.splitlines()[-1] == word, (args, idiff.stdout)


def test_extra_metrics_as_thresholds(netcook, pair):
    r = netcook("diff", *pair, "--allowfailures", "100", "--min-psnr", "30")
    assert r.returncode == 1, r
    assert "PSNR 25.05 dB is below the minimum 30 dB" in r.stdout
    r = netcook("diff", *pair, "--allowfailures", "100", "--min-ssim", "0.9999")
    assert r.returncode == 1 and "SSIM " in r.stdout.splitlines()[-1], r
    r = netcook("diff", *pair, "--allowfailures", "100", "--max-flip", "0.9")
    assert r.returncode == 0, r


def test_size_and_channel_mismatch(netcook, tmp_path, pair):
    small = write(tmp_path / "small.exr", np.zeros((4, 8, 4), np.float32))
    r = netcook("diff", small, pair[1])
    assert r.returncode == 1, r
    assert r.stdout.splitlines()[-1] == "FAILURE: size 8x4 differs from the golden's 10x10"
    rgb = write(tmp_path / "rgb.exr", np.zeros((10, 10, 3), np.float32))
    r = netcook("diff", rgb, pair[1])
    assert r.returncode == 1, r
    assert r.stdout.splitlines()[-1] == "FAILURE: 3 channels differ from the golden's 4"


def test_heat_maps(netcook, tmp_path, pair):
    r = netcook("diff", *pair, "-o", tmp_path / "out" / "diff.exr", "--flip-map", tmp_path / "flip.png")
    assert r.returncode == 1, r
    heat = read(tmp_path / "out" / "diff.exr")
    assert heat.shape == (10, 10, 4)
    assert np.all(heat[0, :5, :3] == 1.0)     # the largest difference is white
    assert np.all(heat[1:, :, :3] == 0.0)     # equal pixels black
    assert np.all(heat[..., 3] == 1.0)
    flip = read(tmp_path / "flip.png")
    assert flip.shape == (10, 10, 4)
    assert not list(tmp_path.glob("**/.*tmp*"))


def test_bad_input(netcook, tmp_path, pair):
    r = netcook("diff", tmp_path / "missing.exr", pair[1])
    assert r.returncode == 2, r
    assert r.stderr.startswith("netcook: error: cannot read "), r
    assert "Traceback" not in r.stderr
    r = netcook("diff", *pair, "--failpercent", "120")
    assert r.returncode == 2, r
    r = netcook("diff", pair[0])
    assert r.returncode == 2, r
