"""What the write-reliability tests share: the formats netcook writes, a
scene that makes incompressible frames, and how to tell a complete file."""
import OpenImageIO as oiio

# Every extension netcook writes (src/netcook/io/output_spec.cpp).
IMAGE_FORMATS = ["png", "exr", "tif", "jpg", "bmp", "tga", "hdr", "webp"]
VIDEO_FORMATS = ["mp4", "mov", "mkv", "webm", "gif"]


def noise_scene(path, frames, size):
    """A scene whose frames are per-pixel colour noise, new every frame, so
    no encoder can shrink them much: file sizes are predictable."""
    return f"""\
netcook: 1
frames: {frames}
resolution: [{size}, {size}]
ops:
  noise1:
    type: noiseTOP
    par: {{type: random, period: 1, mono: false, seed: {{expr: "me.time.frame"}}}}
outputs:
  - {{op: noise1, path: {path}}}
"""


def decodes_completely(path):
    """True when OpenImageIO reads every pixel of `path` without an error."""
    inp = oiio.ImageInput.open(str(path))
    if inp is None:
        oiio.geterror()  # clear the message so it does not leak into the next open
        return False
    try:
        spec = inp.spec()
        pixels = inp.read_image(0, 0, 0, spec.nchannels, "float")
        return pixels is not None and not inp.has_error and pixels.size == spec.width * spec.height * spec.nchannels
    finally:
        inp.close()


def is_temporary(path):
    """The writers' temporary names: .NAME.tmp-PID-N.EXT."""
    return path.name.startswith(".") and ".tmp-" in path.name
