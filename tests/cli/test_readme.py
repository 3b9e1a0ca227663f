"""The README's 30-second tour works as printed: its scene renders."""
import re
from pathlib import Path

import numpy as np
import OpenImageIO as oiio

README = Path(__file__).resolve().parents[2] / "README.md"


def tour_scene():
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    scene = [b for b in blocks if b.startswith("# scene.yaml")]
    assert scene, "README.md has no ```yaml block starting with '# scene.yaml'"
    return scene[0]


def test_the_tour_scene_renders_its_titled_frames(netcook, tmp_path):
    (tmp_path / "scene.yaml").write_text(tour_scene(), encoding="utf-8")
    r = netcook("render", "scene.yaml", "--frames", "1,30", "--quiet")
    assert r.returncode == 0, r.stderr
    frames = sorted((tmp_path / "out").glob("frame.*.png"))
    assert [f.name for f in frames] == ["frame.0001.png", "frame.0030.png"]
    first, thirtieth = (oiio.ImageBuf(str(f)).get_pixels(oiio.FLOAT) for f in frames)
    assert first.shape == (360, 640, 4)
    # The title's white glyphs sit over the noise in the middle of the frame,
    # and the frame counter in it changes between frames.
    middle = thirtieth[150:210, 120:520]
    assert middle.max() == 1.0
    assert not np.array_equal(first[150:210, 120:520], middle)
