"""The tutorial "10.1.2 - Python Integration Basics", block by block.

Every Python code block of the tutorial is kept below as a string constant,
copied exactly (at import time each is checked against the tutorial's text
when the shared seed directory is present). Each test puts one block,
unchanged, into a Text DAT of a test scene built from the network the block
talks about (tests/python/scenes/*.yaml), renders it with netcook and
checks what it printed, or, for blocks that only set parameters, what a
second Text DAT after it prints, against values computed here independently.
The last tests render the exercise scenes in scenes/.
"""
import math
import pathlib
import re
import struct

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SCENES = pathlib.Path(__file__).resolve().parent / "scenes"
SEED = REPO.parent / "shared" / "seed" / "000_08d351add21dfda4.txt"
FPS = 60

# ---------------------------------------------------------------------------
# The tutorial's code blocks, verbatim (in the tutorial's order).
# BASIC_OP's comment "noisetoÐ¿" is the tutorial's typo, kept as it is.
# ---------------------------------------------------------------------------

HELLO = r"""print("Hello from TouchDesigner!")
"""

BASIC_OP = r"""# Reference an operator by name
noise_operator = op('noise1')

# Print information about it
print(noise_operator.name)     # Output: noise1
print(noise_operator.type)     # Output: noisetoÐ¿
print(noise_operator.family)   # Output: TOP
"""

ME_SELF = r"""# Inside a Script DAT called "script1"
print(me.name)        # Output: script1
print(me.type)        # Output: textDAT
print(me.path)        # Output: /project1/script1

# Access the parent container
parent_op = me.parent()
print(parent_op.name)  # Output: project1
"""

OP_PROPERTIES = r"""# Get a reference to a TOP
blur = op('blur1')

# Read image dimensions (TOP-specific)
print(blur.width)      # Image width in pixels
print(blur.height)     # Image height in pixels

# Check if the operator is cooking
print(blur.isCooking)  # True/False

# Get the operator's path
print(blur.path)       # Full path like /project1/blur1
"""

PATHS = r"""# Absolute path - always works, starts with /
noise = op('/project1/container1/noise1')

# Relative path - from current location
sibling = op('blur1')           # Same container
parent_container = op('..')      # Go up one level
cousin = op('../container2/op')  # Sibling container's child

# Using parent() to navigate
parent = me.parent()
grandparent = me.parent().parent()
"""

ACCESS_PARS = r"""# Get a reference to Blur TOP
blur = op('blur1')

# Read the current size parameter value
current_size = blur.par.size.eval()
print(f"Current blur size: {current_size}")

# Read the filtertype parameter
filter_type = blur.par.filtertype.eval()
print(f"Filter type: {filter_type}")
"""

READ_PARS = r"""# .eval() returns the current computed value
blur = op('blur1')
size = blur.par.size.eval()      # Returns a number
name = blur.par.name.eval()      # Returns a string
"""

WRITE_PARS = r"""# Direct assignment sets the parameter
blur = op('blur1')
blur.par.size = 10              # Set blur size to 10
blur.par.filtertype = 'gauss'   # Set filter type
"""

EXPR_PARS = r"""# Set a parameter to a Python expression
blur = op('blur1')
blur.par.size.expr = "me.time.seconds * 5"  # Animates over time
"""

NOISE_PARS = r"""noise = op('noise1')

# Adjust noise characteristics
noise.par.type = 'random'     # Type: random, sparse, harmonic, etc.
noise.par.period = 100        # Size of noise pattern
noise.par.amp = 1.5           # Amplitude multiplier

# Animate the offset
noise.par.tx = me.time.seconds * 10  # Pan noise over time
"""

LEVEL_PARS = r"""level = op('level1')

# Adjust brightness and contrast
level.par.brightness = 0.2    # -1 to 1 range
level.par.contrast = 1.5      # 0 to 2+ range
level.par.opacity = 0.8       # 0 to 1 range
"""

CONDITIONAL = r"""# Read a value from a CHOP and use it to control a TOP
lfo_value = op('lfo1')[0].eval()  # Get first channel value

blur = op('blur1')
if lfo_value > 0:
    blur.par.size = lfo_value * 20
else:
    blur.par.size = 0
"""

ANIMATE = r"""import math

# Get current time
t = me.time.seconds

# Create pulsing blur effect
pulse = abs(math.sin(t * 2))  # Oscillates 0 to 1
blur_size = pulse * 20

# Apply to Blur TOP
blur = op('blur1')
blur.par.size = blur_size

# Also control Noise period inversely
noise = op('noise1')
noise.par.period = 100 - (pulse * 50)  # Smaller when blur is larger
"""

EXERCISE1 = r"""# Explore operators in our network
noise = op('noise1')
blur = op('blur1')

print("=== Noise TOP Info ===")
print(f"Name: {noise.name}")
print(f"Type: {noise.type}")
print(f"Dimensions: {noise.width} x {noise.height}")

print("\n=== Blur TOP Info ===")
print(f"Name: {blur.name}")
print(f"Current size: {blur.par.size.eval()}")
"""

EXERCISE2_STARTER = r"""import math

# Get current time in seconds
current_time = me.time.seconds

# Calculate a sine wave value (oscillates between -1 and 1)
sine_value = math.sin(current_time)

# Map the sine value to blur size (0 to 20)
blur_size = (sine_value + 1) * 10  # Now ranges from 0 to 20

# Apply to the blur operator
blur = op('blur1')
blur.par.size = blur_size

print(f"Time: {current_time:.2f}, Blur: {blur_size:.2f}")
"""

EXERCISE2_HINT_SPEED = r"""sine_value = math.sin(current_time * 2)  # Twice as fast
"""

EXERCISE2_HINT_PERIOD = r"""noise = op('noise1')
noise.par.period = 50 + (sine_value + 1) * 50  # Range 50-150
"""

EXERCISE2_SOLUTION = r"""import math

current_time = me.time.seconds

# Faster oscillation
sine_value = math.sin(current_time * 2)

# Control blur size
blur = op('blur1')
blur.par.size = (sine_value + 1) * 10

# Control noise period
noise = op('noise1')
noise.par.period = 50 + (sine_value + 1) * 50

print(f"Blur: {blur.par.size.eval():.1f}, Noise Period: {noise.par.period.eval():.1f}")
"""

EXERCISE3_STARTER = r"""# Read value from Math CHOP
chop_value = op('math1')[0].eval()

# TODO: Use chop_value to control Blur size (0-20 range)
blur = op('blur1')
# Your code here

# TODO: Use chop_value to control Level brightness (-0.5 to 0.5 range)
level = op('level1')
# Your code here

print(f"CHOP value: {chop_value:.3f}")
"""

EXERCISE3_SOLUTION = r"""# Read value from Math CHOP (0 to 1 range)
chop_value = op('math1')[0].eval()

# Control Blur size (0-20 range)
blur = op('blur1')
blur.par.size = chop_value * 20

# Control Level brightness (-0.5 to 0.5 range)
level = op('level1')
level.par.brightness = chop_value - 0.5

print(f"CHOP: {chop_value:.3f}, Blur: {blur.par.size.eval():.1f}, Brightness: {level.par.brightness.eval():.2f}")
"""

EXERCISE3_CHALLENGE = r"""noise = op('noise1')
if chop_value > 0.7:
    noise.par.type = 'sparse'
else:
    noise.par.type = 'random'
"""

BLOCKS = {name: value for name, value in dict(globals()).items()
          if name.isupper() and isinstance(value, str) and name not in ("FPS",)}


def _indent(code, spaces):
    return "".join(" " * spaces + line if line.strip() else line for line in code.splitlines(True))


def _check_verbatim():
    """Each block, indented as the tutorial's reStructuredText indents it
    (3 spaces, 6 inside a dropdown), is a piece of the tutorial's text."""
    if not SEED.is_file():  # a fresh clone has no ../shared
        return
    text = SEED.read_text(encoding="utf-8")
    for name, code in BLOCKS.items():
        assert any(_indent(code, n) in text for n in (3, 6)), f"{name} is not verbatim in {SEED}"


_check_verbatim()


# ---------------------------------------------------------------------------
# Scene building
# ---------------------------------------------------------------------------

def indent_block(code, indent):
    """`code` as the body of a YAML block scalar indented by `indent`
    (a string of spaces); blank lines stay empty."""
    lines = code.rstrip("\n").split("\n")
    return "\n".join(indent + line if line.strip() else "" for line in lines)


def fill(template, **values):
    """Replaces @NAME@ in a template. A line holding only @NAME@ becomes the
    value as a block indented like the placeholder; elsewhere the value is
    put in place as it is. Comment lines are left alone."""
    out = []
    for line in template.split("\n"):
        m = re.fullmatch(r"( *)@([A-Z0-9_]+)@", line)
        if m and m.group(2) in values:
            out.append(indent_block(values[m.group(2)], m.group(1)))
            continue
        if line.lstrip().startswith("#"):  # the template's own comments
            out.append(line)
            continue
        for key, value in values.items():
            line = line.replace(f"@{key}@", str(value))
        out.append(line)
    text = "\n".join(out)
    assert "@" not in re.sub(r"#.*", "", text), "unfilled placeholder"
    return text


def network_scene(script, *, run="frame", frames="1-1", check="pass"):
    template = (SCENES / "tutorial_network.yaml").read_text(encoding="utf-8")
    return fill(template, SCRIPT=script, RUN=run, FRAMES=frames, CHECK=check)


def seconds(frame):
    return (frame - 1) / FPS


def f32(x):
    """x rounded to float32, as a CHOP stores its samples."""
    return struct.unpack("f", struct.pack("f", x))[0]


def lfo(frame, frequency=0.5):
    return f32(math.sin(2 * math.pi * frequency * seconds(frame)))


def math_chop(frame):
    """math1: lfo1 mapped from -1..1 to 0..1."""
    return f32((lfo(frame) + 1) / 2)


def close(printed, expected, decimals=None, tol=1e-6):
    """A printed number against the expected value: within rounding to
    `decimals` places when the block formats it so."""
    slack = tol + (0.5 * 10 ** -decimals if decimals is not None else 0)
    return abs(float(printed) - expected) <= slack


def check_lines(stdout):
    """{frame: [fields]} from the check DAT's 'CHECK frame field ...' lines."""
    out = {}
    for line in stdout.splitlines():
        if line.startswith("CHECK "):
            fields = line.split()[1:]
            out[int(float(fields[0]))] = fields[1:]
    return out


CHECK_FRAME = "print('CHECK', int(me.time.frame), "


def render_ok(render, text, *args):
    r = render(text, *args)
    assert r.returncode == 0, r
    return r


# ---------------------------------------------------------------------------
# Core Concept 1: the Textport
# ---------------------------------------------------------------------------

def test_hello_from_the_textport(render):
    r = render_ok(render, network_scene(HELLO, run="start", frames="1-3"))
    assert r.stdout == "Hello from TouchDesigner!\n"


# ---------------------------------------------------------------------------
# Core Concept 2: op()
# ---------------------------------------------------------------------------

def test_basic_op_reference(render):
    # The tutorial's comment says "noisetoп" (a typo); netcook prints the
    # family-suffixed type, td-reference.md section 0.
    r = render_ok(render, network_scene(BASIC_OP, run="start"))
    assert r.stdout.splitlines() == ["noise1", "noiseTOP", "TOP"]


def test_me_self_reference(render):
    r = render_ok(render, network_scene(ME_SELF, run="start"))
    assert r.stdout.splitlines() == ["script1", "textDAT", "/project1/script1", "project1"]


def test_operator_properties(render):
    r = render_ok(render, network_scene(OP_PROPERTIES, run="start"))
    # blur1 follows noise1, which follows the scene's resolution [64, 36];
    # a script is not the blur's cook, so isCooking is False.
    assert r.stdout.splitlines() == ["64", "36", "False", "/project1/blur1"]


def test_operator_properties_every_frame(render):
    r = render_ok(render, network_scene(OP_PROPERTIES, frames="1-3"))
    assert r.stdout.splitlines() == ["64", "36", "False", "/project1/blur1"] * 3


def test_path_references(render):
    template = (SCENES / "tutorial_paths.yaml").read_text(encoding="utf-8")
    # The block only assigns names; this line after it (same DAT, so the
    # names are in scope) shows what each resolved to.
    show = "print([x.path for x in (noise, sibling, parent_container, cousin, parent, grandparent)])\n"
    r = render_ok(render, fill(template, SCRIPT=PATHS + show))
    assert r.stdout.splitlines() == [str([
        "/project1/container1/noise1",  # absolute
        "/project1/container1/blur1",   # sibling
        "/project1",                    # '..' from /project1/container1/script1
        "/project1/container2/op",      # cousin
        "/project1/container1",         # me.parent()
        "/project1",                    # me.parent().parent()
    ])]


# ---------------------------------------------------------------------------
# Core Concept 3: parameters
# ---------------------------------------------------------------------------

def test_accessing_parameters(render):
    # The scene sets blur1 size 4, filter box; filtertype is the tutorial's
    # name for the Blur TOP's filter menu.
    r = render_ok(render, network_scene(ACCESS_PARS, run="start"))
    assert r.stdout.splitlines() == ["Current blur size: 4.0", "Filter type: box"]


def test_reading_an_unknown_parameter_raises(render):
    # TouchDesigner's Blur TOP has no parameter 'name': like TouchDesigner,
    # the script stops with an AttributeError; netcook exits 1 and the
    # traceback points at the line in the scene file.
    text = network_scene(READ_PARS, frames="1-3")
    r = render(text)
    assert r.returncode == 1, r
    assert r.stdout == ""
    lines = text.split("\n")
    line_no = next(i + 1 for i, line in enumerate(lines) if "name = blur.par.name.eval()" in line)
    assert f'File "scene.yaml", line {line_no}, in <module>' in r.stderr, r.stderr
    tb = r.stderr.splitlines()
    at = next(i for i, line in enumerate(tb) if f"line {line_no}" in line)
    assert "name = blur.par.name.eval()" in tb[at + 1]
    error = next(line for line in tb if line.startswith("AttributeError"))
    assert "'name'" in error and "blurTOP" in error
    assert "size" in error  # names the parameters the Blur TOP does have
    assert "/project1/script1" in r.stderr and "frame 1" in r.stderr


def test_reading_the_size_alone_works(render):
    # The block's first two lines (without the 'name' line) run fine.
    first = READ_PARS.split("name = ")[0]
    r = render_ok(render, network_scene(first + "print('CHECK', 1, size)\n", run="start"))
    assert check_lines(r.stdout) == {1: ["4.0"]}


def test_writing_parameter_values(render):
    check = CHECK_FRAME + "op('blur1').par.size.eval(), op('blur1').par.filter.eval(), op('blur1').par.filtertype.eval())"
    r = render_ok(render, network_scene(WRITE_PARS, frames="1-3", check=check))
    # 'gauss' is accepted for the menu entry 'gaussian'.
    assert check_lines(r.stdout) == {f: ["10.0", "gaussian", "gaussian"] for f in (1, 2, 3)}


@pytest.mark.parametrize("run", ["start", "frame"])
def test_setting_parameter_expressions(render, run):
    # Set once (run: start) the expression keeps animating the size.
    check = CHECK_FRAME + "repr(op('blur1').par.size.eval()), op('blur1').par.size.expr == 'me.time.seconds * 5')"
    r = render_ok(render, network_scene(EXPR_PARS, run=run, frames="1-90", check=check))
    got = check_lines(r.stdout)
    assert sorted(got) == list(range(1, 91))
    for frame, (size, expr) in got.items():
        assert close(size, seconds(frame) * 5, tol=1e-9), (frame, size)
        assert expr == "True"  # still in expression mode
    assert got[61][0] == "5.0"


def test_noise_parameters(render):
    check = CHECK_FRAME + ("op('noise1').par.type.eval(), op('noise1').par.period.eval(), "
                           "op('noise1').par.amp.eval(), repr(op('noise1').par.tx.eval()))")
    r = render_ok(render, network_scene(NOISE_PARS, frames="1-70", check=check))
    got = check_lines(r.stdout)
    assert sorted(got) == list(range(1, 71))
    for frame, (kind, period, amp, tx) in got.items():
        assert (kind, period, amp) == ("random", "100.0", "1.5")
        assert close(tx, seconds(frame) * 10, tol=1e-9), (frame, tx)
    assert got[61][3] == "10.0"


def test_level_parameters(render):
    check = CHECK_FRAME + ("op('level1').par.brightness1.eval(), op('level1').par.brightness.eval(), "
                           "op('level1').par.contrast.eval(), op('level1').par.opacity.eval())")
    r = render_ok(render, network_scene(LEVEL_PARS, frames="1-2", check=check))
    # 'brightness' is the tutorial's spelling of the Level TOP's brightness1.
    assert check_lines(r.stdout) == {f: ["0.2", "0.2", "1.5", "0.8"] for f in (1, 2)}


def test_conditional_parameter_control(render):
    check = CHECK_FRAME + "repr(op('blur1').par.size.eval()))"
    r = render_ok(render, network_scene(CONDITIONAL, frames="1-150", check=check))
    got = check_lines(r.stdout)
    assert sorted(got) == list(range(1, 151))
    zero = 0
    for frame, (size,) in got.items():
        value = lfo(frame)
        expected = value * 20 if value > 0 else 0
        assert close(size, expected, tol=1e-5), (frame, size, expected)
        zero += float(size) == 0
    assert zero > 50  # the LFO's negative half cycle (1 s < t < 2 s) sets 0


def test_animating_parameters(render):
    check = CHECK_FRAME + "repr(op('blur1').par.size.eval()), repr(op('noise1').par.period.eval()))"
    r = render_ok(render, network_scene(ANIMATE, frames="1-200", check=check))
    got = check_lines(r.stdout)
    assert sorted(got) == list(range(1, 201))
    for frame, (size, period) in got.items():
        pulse = abs(math.sin(seconds(frame) * 2))
        assert close(size, pulse * 20, tol=1e-9), (frame, size)
        assert close(period, 100 - pulse * 50, tol=1e-9), (frame, period)


# ---------------------------------------------------------------------------
# Hands-on exercises
# ---------------------------------------------------------------------------

def test_exercise1(render):
    r = render_ok(render, network_scene(EXERCISE1, run="start", frames="1-5"))
    assert r.stdout.splitlines() == [
        "=== Noise TOP Info ===",
        "Name: noise1",
        "Type: noiseTOP",
        "Dimensions: 64 x 36",
        "",
        "=== Blur TOP Info ===",
        "Name: blur1",
        "Current size: 4.0",
    ]


def test_exercise2_starter(render):
    check = CHECK_FRAME + "repr(op('blur1').par.size.eval()))"
    r = render_ok(render, network_scene(EXERCISE2_STARTER, frames="1-400", check=check))
    printed = [line for line in r.stdout.splitlines() if not line.startswith("CHECK")]
    expected = []
    for frame in range(1, 401):
        t = seconds(frame)
        blur = (math.sin(t) + 1) * 10
        expected.append(f"Time: {t:.2f}, Blur: {blur:.2f}")
    assert printed == expected
    for frame, (size,) in check_lines(r.stdout).items():
        assert close(size, (math.sin(seconds(frame)) + 1) * 10, tol=1e-9)


def test_exercise2_hints(render):
    # The hints are lines of the Exercise 2 script: they run after the
    # starter's first lines (import math, current_time), given here.
    prelude = "import math\ncurrent_time = me.time.seconds\n"
    script = prelude + EXERCISE2_HINT_SPEED + EXERCISE2_HINT_PERIOD
    check = CHECK_FRAME + "repr(op('noise1').par.period.eval()))"
    r = render_ok(render, network_scene(script, frames="1-200", check=check))
    got = check_lines(r.stdout)
    assert sorted(got) == list(range(1, 201))
    periods = []
    for frame, (period,) in got.items():
        sine = math.sin(seconds(frame) * 2)
        assert close(period, 50 + (sine + 1) * 50, tol=1e-9), (frame, period)
        periods.append(float(period))
    assert min(periods) < 55 and max(periods) > 145  # the range 50-150


def test_exercise2_solution(render):
    check = CHECK_FRAME + "repr(op('blur1').par.size.eval()), repr(op('noise1').par.period.eval()))"
    r = render_ok(render, network_scene(EXERCISE2_SOLUTION, frames="1-200", check=check))
    printed = [line for line in r.stdout.splitlines() if not line.startswith("CHECK")]
    expected = []
    for frame in range(1, 201):
        sine = math.sin(seconds(frame) * 2)
        expected.append(f"Blur: {(sine + 1) * 10:.1f}, Noise Period: {50 + (sine + 1) * 50:.1f}")
    assert printed == expected
    for frame, (size, period) in check_lines(r.stdout).items():
        sine = math.sin(seconds(frame) * 2)
        assert close(size, (sine + 1) * 10, tol=1e-9)
        assert close(period, 50 + (sine + 1) * 50, tol=1e-9)


def test_exercise3_starter(render):
    r = render_ok(render, network_scene(EXERCISE3_STARTER, frames="1-130"))
    lines = r.stdout.splitlines()
    assert len(lines) == 130
    for frame, line in enumerate(lines, start=1):
        m = re.fullmatch(r"CHOP value: (-?\d+\.\d{3})", line)
        assert m, line
        assert close(m.group(1), math_chop(frame), decimals=3), (frame, line)


EX3_LINE = re.compile(r"CHOP: (-?\d+\.\d{3}), Blur: (-?\d+\.\d), Brightness: (-?\d+\.\d{2})")


def check_exercise3_line(frame, line):
    m = EX3_LINE.fullmatch(line)
    assert m, line
    chop = math_chop(frame)
    assert close(m.group(1), chop, decimals=3), (frame, line)
    assert close(m.group(2), chop * 20, decimals=1), (frame, line)
    assert close(m.group(3), chop - 0.5, decimals=2), (frame, line)


def test_exercise3_solution(render):
    check = CHECK_FRAME + "repr(op('blur1').par.size.eval()), repr(op('level1').par.brightness1.eval()))"
    r = render_ok(render, network_scene(EXERCISE3_SOLUTION, frames="1-250", check=check))
    printed = [line for line in r.stdout.splitlines() if not line.startswith("CHECK")]
    assert len(printed) == 250
    for frame, line in enumerate(printed, start=1):
        check_exercise3_line(frame, line)
    got = check_lines(r.stdout)
    sizes = []
    for frame, (size, brightness) in got.items():
        chop = math_chop(frame)
        assert close(size, chop * 20, tol=1e-9), (frame, size)
        assert close(brightness, chop - 0.5, tol=1e-9), (frame, brightness)
        sizes.append(float(size))
    assert min(sizes) < 0.01 and max(sizes) > 19.99  # a full 0..20 swing


def test_exercise3_challenge(render):
    check = CHECK_FRAME + "op('noise1').par.type.eval())"
    script = EXERCISE3_SOLUTION + "\n" + EXERCISE3_CHALLENGE
    r = render_ok(render, network_scene(script, frames="1-250", check=check))
    printed = [line for line in r.stdout.splitlines() if not line.startswith("CHECK")]
    for frame, line in enumerate(printed, start=1):
        check_exercise3_line(frame, line)
    got = check_lines(r.stdout)
    assert sorted(got) == list(range(1, 251))
    kinds = set()
    for frame, (kind,) in got.items():
        chop = math_chop(frame)
        if abs(chop - 0.7) < 1e-5:
            continue
        assert kind == ("sparse" if chop > 0.7 else "random"), (frame, chop, kind)
        kinds.add(kind)
    assert kinds == {"sparse", "random"}


# ---------------------------------------------------------------------------
# The exercise scenes in scenes/
# ---------------------------------------------------------------------------

def scene_path(name):
    return REPO / "scenes" / f"{name}.yaml"


SCENE_LINES = {
    "exercise2": re.compile(r"Time: \d+\.\d\d, Blur: \d+\.\d\d"),
    "exercise2_solution": re.compile(r"Blur: \d+\.\d, Noise Period: \d+\.\d"),
    "exercise3": EX3_LINE,
    "exercise3_challenge": EX3_LINE,
}


def test_scene_exercise1(netcook):
    r = netcook("render", scene_path("exercise1"), "--quiet", "--no-write")
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == [
        "=== Noise TOP Info ===", "Name: noise1", "Type: noiseTOP", "Dimensions: 320 x 180", "",
        "=== Blur TOP Info ===", "Name: blur1", "Current size: 10.0",
    ]


@pytest.mark.parametrize("name", sorted(SCENE_LINES))
def test_scene_frame_scripts(netcook, name):
    r = netcook("render", scene_path(name), "--quiet", "--no-write")
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    assert len(lines) == 120  # frames 1-120, one line each
    for frame, line in enumerate(lines, start=1):
        assert SCENE_LINES[name].fullmatch(line), (frame, line)
        t = seconds(frame)
        if name == "exercise2":
            assert line == f"Time: {t:.2f}, Blur: {(math.sin(t) + 1) * 10:.2f}"
        elif name == "exercise2_solution":
            sine = math.sin(t * 2)
            assert line == f"Blur: {(sine + 1) * 10:.1f}, Noise Period: {50 + (sine + 1) * 50:.1f}"
        else:
            check_exercise3_line(frame, line)


def test_scene_writes_its_frames(netcook, tmp_path):
    for name in ["exercise1", *sorted(SCENE_LINES)]:
        r = netcook("render", scene_path(name), "--quiet", "--frames", "1-3")
        assert r.returncode == 0, r
        written = sorted(p.name for p in (tmp_path / "out" / name).iterdir())
        assert written == ["frame.0001.png", "frame.0002.png", "frame.0003.png"], name


def test_scene_exercise3_partial_range_matches_full(netcook):
    full = netcook("render", scene_path("exercise3"), "--quiet", "--no-write")
    part = netcook("render", scene_path("exercise3"), "--quiet", "--no-write", "--frames", "5-8")
    assert full.returncode == 0 and part.returncode == 0, (full, part)
    assert part.stdout.splitlines() == full.stdout.splitlines()[4:8]


@pytest.mark.parametrize("name", ["exercise2_solution", "exercise3_challenge"])
def test_scene_is_deterministic(netcook, name):
    first = netcook("render", scene_path(name), "--quiet", "--no-write")
    second = netcook("render", scene_path(name), "--quiet", "--no-write")
    assert first.returncode == 0, first
    assert first.stdout == second.stdout
