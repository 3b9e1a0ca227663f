// td.tdu: TouchDesigner's utility module (remap, clamp, rand, digits, base,
// Dependency, Vector, Position). Plain Python math with no netcook state,
// so it is written in Python and compiled into the binary.
#include <pybind11/eval.h>
#include <pybind11/pybind11.h>

#include "netcook/python/bindings.h"

namespace netcook::py_bindings {

namespace {

const char* const kTduSource = R"PY(
"""TouchDesigner's tdu utility module, as netcook provides it."""
import hashlib as _hashlib
import math as _math
import re as _re
import struct as _struct


def clamp(inputVal, min, max):
    """inputVal limited to [min, max]."""
    if inputVal < min:
        return min
    if inputVal > max:
        return max
    return inputVal


def remap(inputVal, fromMin, fromMax, toMin, toMax):
    """inputVal mapped linearly from [fromMin, fromMax] to [toMin, toMax] (not clamped)."""
    return toMin + (inputVal - fromMin) * (toMax - toMin) / (fromMax - fromMin)


def rand(seed):
    """A number in [0, 1) that depends only on `seed` (any value; a number
    and its float are the same seed). The same on every machine and run."""
    if isinstance(seed, (bool, int, float)) or hasattr(seed, '__float__') and not isinstance(seed, str):
        key = repr(float(seed))
    else:
        key = str(seed)
    digest = _hashlib.blake2b(key.encode('utf-8'), digest_size=8).digest()
    return (_struct.unpack('<Q', digest)[0] >> 11) / float(1 << 53)


_DIGITS = _re.compile(r'^(.*?)(\d+)$')


def digits(s):
    """The number at the end of `s` ('noise12' -> 12), or None."""
    m = _DIGITS.match(str(s))
    return int(m.group(2)) if m else None


def base(s):
    """`s` without the number at its end ('noise12' -> 'noise')."""
    m = _DIGITS.match(str(s))
    return m.group(1) if m else str(s)


class Dependency:
    """A value holder, as TouchDesigner's tdu.Dependency. netcook evaluates
    a parameter's expression once per frame, when first read: a value set
    before that (a frame script, onFrameStart) is what the frame cooks with."""

    def __init__(self, val=None):
        self._val = val
        self.callbacks = []

    @property
    def val(self):
        return self._val

    @val.setter
    def val(self, value):
        self._val = value
        self.modified()

    def modified(self):
        for callback in list(self.callbacks):
            callback(self)

    @property
    def peekVal(self):
        return self._val

    def __repr__(self):
        return f'tdu.Dependency({self._val!r})'


class _Triple:
    __slots__ = ('x', 'y', 'z')

    def __init__(self, *args):
        if len(args) == 1:
            args = tuple(args[0])
        if len(args) == 0:
            args = (0.0, 0.0, 0.0)
        if len(args) != 3:
            raise TypeError(f'{type(self).__name__} takes 3 values (x, y, z) or one sequence of 3, not {len(args)}')
        self.x, self.y, self.z = (float(a) for a in args)

    def __iter__(self):
        return iter((self.x, self.y, self.z))

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return (self.x, self.y, self.z)[i]

    def __setitem__(self, i, value):
        setattr(self, ('x', 'y', 'z')[i], float(value))

    def __eq__(self, other):
        try:
            return tuple(self) == tuple(other)
        except TypeError:
            return NotImplemented

    def copy(self):
        return type(self)(self.x, self.y, self.z)

    def __repr__(self):
        return f'{type(self).__name__}({self.x!r}, {self.y!r}, {self.z!r})'


class Vector(_Triple):
    """A 3D direction: arithmetic, length(), normalize(), dot(), cross()."""

    def __add__(self, o):
        return Vector(self.x + o[0], self.y + o[1], self.z + o[2])

    __radd__ = __add__

    def __sub__(self, o):
        return Vector(self.x - o[0], self.y - o[1], self.z - o[2])

    def __rsub__(self, o):
        return Vector(o[0] - self.x, o[1] - self.y, o[2] - self.z)

    def __mul__(self, s):
        return Vector(self.x * s, self.y * s, self.z * s)

    __rmul__ = __mul__

    def __truediv__(self, s):
        return Vector(self.x / s, self.y / s, self.z / s)

    def __neg__(self):
        return Vector(-self.x, -self.y, -self.z)

    def length(self):
        return _math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

    def lengthSquared(self):
        return self.x * self.x + self.y * self.y + self.z * self.z

    def normalize(self):
        """Makes the vector unit length (in place, as TouchDesigner's); returns its old length."""
        n = self.length()
        if n > 0:
            self.x, self.y, self.z = self.x / n, self.y / n, self.z / n
        return n

    def dot(self, o):
        return self.x * o[0] + self.y * o[1] + self.z * o[2]

    def cross(self, o):
        return Vector(self.y * o[2] - self.z * o[1], self.z * o[0] - self.x * o[2], self.x * o[1] - self.y * o[0])

    def distance(self, o):
        return (self - o).length()

    def angle(self, o):
        n = self.length() * Vector(o).length()
        return _math.degrees(_math.acos(max(-1.0, min(1.0, self.dot(o) / n)))) if n > 0 else 0.0


class Position(_Triple):
    """A 3D point: Position - Position is a Vector, Position + Vector a Position."""

    def __add__(self, o):
        return Position(self.x + o[0], self.y + o[1], self.z + o[2])

    __radd__ = __add__

    def __sub__(self, o):
        if isinstance(o, Position):
            return Vector(self.x - o.x, self.y - o.y, self.z - o.z)
        return Position(self.x - o[0], self.y - o[1], self.z - o[2])

    def __mul__(self, s):
        return Position(self.x * s, self.y * s, self.z * s)

    __rmul__ = __mul__

    def __truediv__(self, s):
        return Position(self.x / s, self.y / s, self.z / s)

    def __neg__(self):
        return Position(-self.x, -self.y, -self.z)

    def distance(self, o):
        return Vector(self.x - o[0], self.y - o[1], self.z - o[2]).length()
)PY";

// td.Run: one script run() delayed (TouchDesigner's Run class). The
// session's ScriptContext queues and runs them; its fields are plain values
// so a snapshot can pickle the queue.
const char* const kRunSource = R"PY(
class Run:
    """A script delayed by run(): runs at the start of absolute frame
    `frame` (or at its end when endFrame is True) unless killed."""

    def __init__(self):
        self.source = None
        self.args = ()
        self.fromOP = ''
        self.frame = 0
        self.endFrame = False
        self.group = ''
        self.active = True

    @property
    def remainingFrames(self):
        import td
        return max(0, int(self.frame - td.absTime.frame))

    @property
    def isString(self):
        return isinstance(self.source, str)

    @property
    def path(self):
        import td
        return td.op(self.fromOP) if self.fromOP else None

    def kill(self):
        self.active = False

    def __repr__(self):
        return f'<td.Run frame={self.frame} endFrame={self.endFrame} active={self.active}>'
)PY";

}  // namespace

void init_tdu(py::module_& m) {
  py::dict td_ns = m.attr("__dict__");
  py::exec(kRunSource, td_ns);
  m.attr("Run").attr("__module__") = "td";
  py::module_ tdu = m.def_submodule("tdu", "TouchDesigner's utility functions and classes");
  py::dict ns = tdu.attr("__dict__");
  ns["__builtins__"] = py::module_::import("builtins");
  py::exec(kTduSource, ns);
  // `import tdu` works as in TouchDesigner, besides td.tdu.
  py::module_::import("sys").attr("modules")["tdu"] = tdu;
}

}  // namespace netcook::py_bindings
