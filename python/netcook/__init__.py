"""netcook: render TouchDesigner-style node networks offline, from Python.

    import netcook
    s = netcook.Session("scene.yaml", set={"blur1.size": 8})
    frame = s.cook(30)            # every TOP and CHOP at frame 30
    frame["level1"]               # float32 array (height, width, 4), row 0 on top
    frame["lfo1"]["chan1"]        # a CHOP: channel name -> value
    s.render(frames="1-240")      # writes the scene's outputs, as `netcook render`

A Session owns one scene: its network, caches and Python state. Several
may live side by side. Frame N is always frame N of a full render from
frame 1 (earlier frames are run as needed). Objects from a closed session
raise ReferenceError.
"""
import struct
import sys
import zlib

import numpy as np

from ._netcook import RenderError, SceneError, _Session, td  # noqa: F401

__all__ = ["Session", "Frame", "Image", "SceneError", "RenderError", "td"]


class Image(np.ndarray):
    """A TOP's pixels: a float32 array (height, width, 4), RGBA, row 0 on top.

    Shows itself as a picture in Jupyter (values clamped to [0, 1], 8 bits).
    """

    def _repr_png_(self):
        return encode_png(np.asarray(self))


def encode_png(rgba):
    """8-bit RGBA PNG bytes of a float array (height, width, 4)."""
    pixels = (np.clip(np.nan_to_num(rgba, nan=0.0), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    height, width = pixels.shape[:2]
    raw = np.zeros((height, width * 4 + 1), np.uint8)  # filter byte 0 per row
    raw[:, 1:] = pixels.reshape(height, width * 4)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)) + chunk(b"IEND", b"")


class Frame:
    """The outputs of one cooked frame, by operator name or path.

    frame["level1"] / frame["/project1/level1"]: a TOP as an Image, a CHOP as
    a dict of channel name -> value (a float for one sample, else an array).
    """

    def __init__(self, number, entries):
        self.number = number
        self._by_path = {path: value for path, _, value in entries}
        self._by_name = {}
        for path, name, _ in entries:
            self._by_name.setdefault(name, []).append(path)

    def _path(self, key):
        if key in self._by_path:
            return key
        paths = self._by_name.get(key, [])
        if len(paths) == 1:
            return paths[0]
        if len(paths) > 1:
            raise KeyError(f"{key!r} names several operators: {', '.join(paths)}; use a path")
        import difflib

        near = difflib.get_close_matches(key, list(self._by_name), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise KeyError(f"frame {self.number} has no TOP or CHOP {key!r}{hint}")

    def __getitem__(self, key):
        value = self._by_path[self._path(key)]
        if isinstance(value, np.ndarray) and value.ndim == 3:
            return value.view(Image)
        return value

    def __contains__(self, key):
        try:
            self._path(key)
            return True
        except KeyError:
            return False

    def keys(self):
        return list(self._by_path)

    def __repr__(self):
        return f"<netcook.Frame {self.number}: {', '.join(self._by_name)}>"


def _report_partial_movies(movies):
    # The words of `netcook render`'s summary.
    for path, count in movies:
        print(f"netcook: partial movie {path} holds the {count} frame{'' if count == 1 else 's'} done", file=sys.stderr)


class Session:
    """One scene, loaded and checked (SceneError on bad input).

    set:  {"blur1.size": 8, ...} as `--set`; text: {"dat": "file.py"} as `--text`;
    threads: 0 = every core.
    """

    def __init__(self, scene, set=None, text=None, threads=0):
        self._s = _Session(str(scene), set or {}, text or {}, threads)

    @classmethod
    def from_string(cls, yaml, name="<string>", set=None, text=None, threads=0):
        self = cls.__new__(cls)
        self._s = _Session.from_string(yaml, name, set or {}, text or {}, threads)
        return self

    def _session(self):
        if self._s is None:
            raise ReferenceError("this netcook session is closed")
        return self._s

    def cook(self, frame, ops=None):
        """Completes `frame` and returns its Frame (every TOP and CHOP, or `ops`)."""
        return Frame(frame, self._session().cook(int(frame), list(ops or [])))

    def render(self, frames=None, write=True, progress=None, keep=False):
        """Renders `frames` ("1-240", "1-100x2", 7; default the scene's) into the
        scene's outputs, as `netcook render`. progress(frame, done, total) is
        called after each frame; keep=True also returns the outputs' images.
        Raises RenderError on a failed cook or write.

        A movie cut short (Ctrl-C, a failed frame) is kept as NAME.partial.EXT,
        as by `netcook render`: each is reported on stderr, and listed as
        [(path, frames)] in stats["partial_movies"] or, when the render
        raises, in the exception's `partial_movies` attribute."""
        s = self._session()
        s._partial_movies = []
        try:
            stats = s.render(None if frames is None else str(frames), write, progress, keep)
        except BaseException as error:
            _report_partial_movies(s._partial_movies)
            try:
                error.partial_movies = list(s._partial_movies)
            except AttributeError:  # an exception type without a __dict__
                pass
            raise
        _report_partial_movies(stats["partial_movies"])
        stats["kept"] = [(n, {p: v.view(Image) for p, v in images.items()}) for n, images in stats["kept"]]
        if not keep:
            del stats["kept"]
        return stats

    def op(self, name):
        """The td operator `name` (a name or path), to read or set parameters."""
        return self._session().op(name)

    @property
    def frames(self):
        """The scene's frames, in order: [1, 2, ..., 240] for 1-240, the
        listed frames for a list such as 1,5,10-20."""
        return self._session().frames

    def info(self):
        """The scene's file, timeline, outputs and operators with their parameters.
        "frames" is (first, last, step), step None when the frames are a list;
        "frame_list" every frame."""
        s = self._session()
        return {
            "file": s.file,
            "fps": s.fps,
            "frames": s.frame_span,
            "frame_list": s.frames,
            "frame": s.frame,
            "outputs": [{"op": op, "path": path} for op, path in s.outputs()],
            "operators": s.operators(),
        }

    def snapshot(self):
        """The state after the last completed frame, as bytes."""
        return self._session().snapshot()

    def restore(self, snapshot):
        """Continues from a snapshot of this scene (ValueError if it does not fit)."""
        self._session().restore(bytes(snapshot))

    @property
    def frame(self):
        """The last completed frame (0 before the first)."""
        return self._session().frame

    def close(self):
        """Ends the session: its operators' Python objects raise ReferenceError."""
        self._s = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<netcook.Session {self._s.file if self._s else '(closed)'}>"
