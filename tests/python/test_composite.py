"""Compositing TOPs against their formulas in numpy (docs/compositing.md).

Two Script TOPs make random pre-multiplied images (rgb <= a, with some
pixels at exactly 0, 0.5 and 1 where formulas branch); one compositeTOP per
operand combines them; each result is compared with an independent numpy
implementation of the operand's formula. Over/Add/Multiply TOPs equal their
operands; swaporder swaps the inputs; three inputs fold from the left.
"""
import os
import pathlib
import sys

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402

W, H = 33, 17

OPERANDS = [
    "add", "atop", "average", "brightest", "burncolor", "burnlinear", "chromadifference", "color",
    "darkercolor", "difference", "dimmest", "divide", "dodge", "exclude", "freeze", "glow", "hardlight",
    "hardmix", "heat", "hue", "inside", "insideluminance", "inverse", "lightercolor", "luminancedifference",
    "maximum", "minimum", "multiply", "negate", "outside", "outsideluminance", "over", "overlay", "pinlight",
    "reflect", "screen", "softlight", "linearlight", "stencilluminance", "subtract", "subtractive", "under",
    "vividlight", "xor",
]

SOURCE = """
    import numpy as np
    def onCook(scriptOp):
        rng = np.random.default_rng({seed})
        a = rng.random(({h}, {w}, 4), dtype=np.float32)
        k = (np.arange({w})[None, :] + 3 * np.arange({h})[:, None]) % 11
        a[k == 0] = 1.0
        a[k == 1] = 0.0
        a[k == 2, 0] = 0.5
        a[k == 2, 3] = 1.0
        a[..., :3] *= a[..., 3:4]
        scriptOp.copyNumpyArray(a)
"""


def scene():
    ops = []
    for name, seed in (("a", 1), ("b", 2), ("c", 3)):
        ops.append(f"  {name}: {{type: scriptTOP}}")
        ops.append(f"  {name}_callbacks:\n    type: textDAT\n    text: |"
                   + SOURCE.format(seed=seed, w=W, h=H).replace("\n    ", "\n      "))
    for op in OPERANDS:
        ops.append(f"  c_{op}: {{type: compositeTOP, inputs: [a, b], par: {{operand: {op}}}}}")
        ops.append(f"  s_{op}: {{type: compositeTOP, inputs: [a, b], par: {{operand: {op}, swaporder: 1}}}}")
    ops.append("  over1: {type: overTOP, inputs: [a, b]}")
    ops.append("  add1: {type: addTOP, inputs: [a, b]}")
    ops.append("  multiply1: {type: multiplyTOP, inputs: [a, b]}")
    ops.append("  three: {type: compositeTOP, inputs: [a, b, c], par: {operand: subtract}}")
    ops.append("  pick: {type: compositeTOP, inputs: [a, b, c], par: {selectinput: 1, inputindex: 2}}")
    return "netcook: 1\nresolution: [8, 8]\nframes: 1\nops:\n" + "\n".join(ops) + "\n"


def lum(p):
    return 0.3 * p[..., 0] + 0.59 * p[..., 1] + 0.11 * p[..., 2]


def clip_color(c):
    c = c.copy()
    l = lum(c)[..., None]
    n = c.min(axis=-1, keepdims=True)
    x = c.max(axis=-1, keepdims=True)
    with np.errstate(all="ignore"):
        c = np.where(n < 0, l + (c - l) * l / (l - n), c)
        x = c.max(axis=-1, keepdims=True)
        c = np.where(x > 1, l + (c - l) * (1 - l) / (x - l), c)
    return c


def set_lum(c, l):
    return clip_color(c + (l - lum(c))[..., None])


def set_sat(c, s):
    n = c.min(axis=-1, keepdims=True)
    x = c.max(axis=-1, keepdims=True)
    with np.errstate(all="ignore"):
        return np.where(x - n == 0, 0.0, (c - n) * s[..., None] / (x - n))


def expected(op, A, B):
    """The formula of `op` with A = input 1 (top), B = input 2, in float64."""
    A = A.astype(np.float64)
    B = B.astype(np.float64)
    x, y = A, B
    s, b = A[..., :3], B[..., :3]
    Aa, Ba = A[..., 3:4], B[..., 3:4]
    union = A[..., 3] + B[..., 3] * (1 - A[..., 3])

    def rgb(v):
        return np.concatenate([v, union[..., None]], axis=-1)

    def pick(choose_a):
        return np.where(choose_a[..., None], A, B)

    with np.errstate(all="ignore"):
        burn = lambda s, b: np.where(b == 1, 1.0, np.where(s == 0, 0.0, 1 - np.minimum(1, (1 - b) / s)))
        dodge = lambda s, b: np.where(b == 0, 0.0, np.where(s == 1, 1.0, np.minimum(1, b / (1 - s))))
        d = np.where(b <= 0.25, ((16 * b - 12) * b + 4) * b, np.sqrt(np.maximum(b, 0)))
        table = {
            "add": lambda: x + y,
            "subtract": lambda: x - y,
            "average": lambda: (x + y) / 2,
            "multiply": lambda: x * y,
            "maximum": lambda: np.maximum(x, y),
            "minimum": lambda: np.minimum(x, y),
            "divide": lambda: x / y,
            "screen": lambda: 1 - (1 - x) * (1 - y),
            "over": lambda: x + y * (1 - Aa),
            "under": lambda: x * (1 - Ba) + y,
            "atop": lambda: x * Ba + y * (1 - Aa),
            "xor": lambda: x * (1 - Ba) + y * (1 - Aa),
            "inside": lambda: x * np.clip(Ba, 0, 1),
            "outside": lambda: x * (1 - Ba),
            "insideluminance": lambda: x * np.clip(lum(B), 0, 1)[..., None],
            "outsideluminance": lambda: x * (1 - np.clip(lum(B), 0, 1))[..., None],
            "stencilluminance": lambda: y * np.clip(lum(A), 0, 1)[..., None],
            "difference": lambda: np.concatenate([np.abs(s - b), np.ones_like(Aa)], axis=-1),
            "burncolor": lambda: rgb(burn(s, b)),
            "dodge": lambda: rgb(dodge(s, b)),
            "burnlinear": lambda: rgb(np.maximum(0, s + b - 1)),
            "subtractive": lambda: rgb(s + b - 1),
            "exclude": lambda: rgb(s + b - 2 * s * b),
            "negate": lambda: rgb(1 - np.abs(1 - s - b)),
            "inverse": lambda: rgb(1 - np.abs(s - b)),
            "hardlight": lambda: rgb(np.where(s <= 0.5, 2 * s * b, 1 - 2 * (1 - s) * (1 - b))),
            "overlay": lambda: rgb(np.where(b <= 0.5, 2 * s * b, 1 - 2 * (1 - s) * (1 - b))),
            "softlight": lambda: rgb(np.where(s <= 0.5, b - (1 - 2 * s) * b * (1 - b), b + (2 * s - 1) * (d - b))),
            "hardmix": lambda: rgb(np.where(s + b >= 1, 1.0, 0.0)),
            "linearlight": lambda: rgb(b + 2 * s - 1),
            "vividlight": lambda: rgb(np.where(s <= 0.5, burn(2 * s, b), dodge(2 * s - 1, b))),
            "pinlight": lambda: rgb(np.where(s <= 0.5, np.minimum(b, 2 * s), np.maximum(b, 2 * s - 1))),
            "reflect": lambda: rgb(np.where(s == 1, 1.0, np.minimum(1, b * b / (1 - s)))),
            "glow": lambda: rgb(np.where(b == 1, 1.0, np.minimum(1, s * s / (1 - b)))),
            "freeze": lambda: rgb(np.where(s == 0, 0.0, np.maximum(0, 1 - (1 - b) ** 2 / s))),
            "heat": lambda: rgb(np.where(b == 0, 0.0, np.maximum(0, 1 - (1 - s) ** 2 / b))),
            "brightest": lambda: pick(lum(A) >= lum(B)),
            "dimmest": lambda: pick(lum(A) <= lum(B)),
            "lightercolor": lambda: pick(s.sum(-1) >= b.sum(-1)),
            "darkercolor": lambda: pick(s.sum(-1) <= b.sum(-1)),
            "hue": lambda: rgb(set_lum(set_sat(s, b.max(-1) - b.min(-1)), lum(B))),
            "color": lambda: rgb(set_lum(s, lum(B))),
            "luminancedifference": lambda: rgb(np.repeat(np.abs(lum(A) - lum(B))[..., None], 3, axis=-1)),
            "chromadifference": lambda: rgb(np.abs((s - lum(A)[..., None]) - (b - lum(B)[..., None]))),
        }
        return table[op]()


# float32 rounding against float64 formulas (relative to max(1, |value|):
# divide, glow and reflect reach large values).
TOLERANCE = 2e-5


@pytest.fixture(scope="module")
def frame(tmp_path_factory):
    path = tmp_path_factory.mktemp("composite") / "composite.yaml"
    path.write_text(scene(), encoding="utf-8")
    names = ["a", "b", "c", "over1", "add1", "multiply1", "three", "pick"]
    names += [f"{kind}_{op}" for op in OPERANDS for kind in ("c", "s")]
    with netcook.Session(str(path)) as session:
        cooked = session.cook(1)
        yield {name: np.array(cooked[name]) for name in names}


def close(result, reference):
    """Largest error relative to max(1, |reference|) where the reference is finite."""
    finite = np.isfinite(reference)
    assert np.array_equal(np.isfinite(result), finite)
    err = np.abs(result[finite] - reference[finite]) / np.maximum(1.0, np.abs(reference[finite]))
    return err.max(initial=0.0)


@pytest.mark.parametrize("op", OPERANDS)
def test_operand_matches_its_formula(frame, op):
    A, B = frame["a"], frame["b"]
    assert close(frame[f"c_{op}"], expected(op, A, B)) <= TOLERANCE
    # swaporder: B op A
    assert close(frame[f"s_{op}"], expected(op, B, A)) <= TOLERANCE


def test_two_input_tops_are_their_operands(frame):
    assert np.array_equal(frame["over1"], frame["c_over"])
    assert np.array_equal(frame["add1"], frame["c_add"])
    assert np.array_equal(frame["multiply1"], frame["c_multiply"])


def test_three_inputs_fold_from_the_left_and_select_input(frame):
    A, B, C = frame["a"], frame["b"], frame["c"]
    assert close(frame["three"], (A.astype(np.float64) - B) - C) <= TOLERANCE
    assert np.array_equal(frame["pick"], C)


def test_fixed_layer_sets_the_size_and_overlays_fit(tmp_path):
    text = """netcook: 1
resolution: [8, 8]
frames: 1
ops:
  big: {type: constantTOP, par: {colorr: 1, alpha: 1, resolution: [40, 20]}}
  small: {type: constantTOP, par: {colorb: 1, alpha: 1, resolution: [10, 10]}}
  c1: {type: overTOP, inputs: [small, big], par: {prefit: nativeres, justifyh: left}}
  c2: {type: overTOP, inputs: [small, big], par: {size: input2, prefit: nativeres, justifyh: left}}
  c3: {type: overTOP, inputs: [small, big], par: {size: input2, prefit: fitbest, justifyh: right, inputfiltertype: nearest}}
"""
    with netcook.Session.from_string(text, "fixed.yaml") as session:
        f = session.cook(1)
        assert f["c1"].shape == (10, 10, 4)          # input 1 is the fixed layer
        assert np.all(f["c1"][..., 2] == 1)           # small covers itself
        c2 = np.array(f["c2"])
        assert c2.shape == (20, 40, 4)
        # 10x10 blue at the left, vertically centred, over red
        assert np.all(c2[5:15, :10, 2] == 1) and np.all(c2[5:15, :10, 0] == 0)
        assert np.all(c2[:, 10:, 0] == 1) and np.all(c2[:5, :10, 0] == 1)
        c3 = np.array(f["c3"])
        # fit best: 20x20 blue square against the right edge
        assert np.all(c3[:, 20:, 2] == 1) and np.all(c3[:, :20, 0] == 1) and np.all(c3[:, :20, 2] == 0)


def test_missing_input_is_a_scene_error(tmp_path):
    text = "netcook: 1\nops:\n  a: {type: constantTOP}\n  o: {type: overTOP, inputs: [a]}\n"
    with pytest.raises(netcook.SceneError, match="needs 2 inputs"):
        netcook.Session.from_string(text, "bad.yaml")
    text = "netcook: 1\nops:\n  a: {type: constantTOP}\n  o: {type: compositeTOP, inputs: [a], par: {operand: ovr}}\n"
    with pytest.raises(netcook.SceneError, match="did you mean 'over'"):
        netcook.Session.from_string(text, "bad.yaml")


def test_compositing_tops_behave_as_tops_in_scripts(tmp_path):
    text = """netcook: 1
resolution: [8, 8]
frames: 1-2
ops:
  a: {type: constantTOP, par: {colorr: 0.5, alpha: 0.5, resolution: [6, 4]}}
  b: {type: constantTOP, par: {colorb: 1, resolution: [12, 8]}}
  comp1: {type: compositeTOP, inputs: [a, b], par: {operand: over}}
  check:
    type: textDAT
    run: frame
    text: |
      c = op('comp1')
      assert (c.width, c.height) == (6, 4), (c.width, c.height)
      assert c.numpyArray().shape == (4, 6, 4)
      assert c.par.operand.eval() in ('over', 'add')
      assert c.par.outputresolution.eval() == 'useinput'
      c.par.operand = 'add'
      c.par.outputresolution = 'custom'
      c.par.resolutionw = 3
"""
    with netcook.Session.from_string(text, "py.yaml") as session:
        first = np.array(session.cook(1)["comp1"])
        assert first.shape == (8, 3, 4)  # the script set custom 3 x 8 (the scene's default height)
        assert np.allclose(first[0, 0], [0.5, 0, 1, 1.5])  # add, set by the script before the cook


SWITCH = """netcook: 1
resolution: [6, 4]
frames: 1
ops:
  a: {type: constantTOP, par: {colorr: 1, alpha: 1}}
  b: {type: constantTOP, par: {colorg: 1, alpha: 1}}
  c: {type: constantTOP, par: {colorb: 1, alpha: 0.5, resolution: [3, 2]}}
  s0: {type: switchTOP, inputs: [a, b, c], par: {index: 1}}
  s_clamp: {type: switchTOP, inputs: [a, b, c], par: {index: 7}}
  s_loop: {type: switchTOP, inputs: [a, b, c], par: {index: -1, extend: loop}}
  s_zig: {type: switchTOP, inputs: [a, b, c], par: {index: 3, extend: zigzag}}
  s_blend: {type: switchTOP, inputs: [a, b, c], par: {index: 0.25, blend: 1}}
  s_blend2: {type: switchTOP, inputs: [a, b, c], par: {index: 1.5, blend: 1, inputfiltertype: nearest}}
  geo1:
    type: containerCOMP
    ops:
      inner: {type: levelTOP, inputs: [../b], par: {opacity: 0.5}}
  sel1: {type: selectTOP, par: {top: geo1/inner}}
  sel2: {type: selectTOP, par: {top: /project1/a, outputresolution: half}}
"""


def test_switch_and_select():
    with netcook.Session.from_string(SWITCH, "switch.yaml") as session:
        f = session.cook(1)
        px = lambda name: np.array(f[name])[0, 0]
        assert np.array_equal(px("s0"), [0, 1, 0, 1])
        assert np.array(f["s_clamp"]).shape == (2, 3, 4) and np.array_equal(px("s_clamp"), [0, 0, 1, 0.5])
        assert np.array_equal(px("s_loop"), [0, 0, 1, 0.5])     # -1 loops to the last input
        assert np.array_equal(px("s_zig"), [0, 1, 0, 1])          # 0 1 2 1: index 3 is input 1
        assert np.allclose(px("s_blend"), [0.75, 0.25, 0, 1])
        blend2 = np.array(f["s_blend2"])                            # b and c (fitted to b's 6x4) halfway
        assert blend2.shape == (4, 6, 4) and np.allclose(blend2, [0, 0.5, 0.5, 0.75])
        assert np.allclose(px("sel1"), [0, 0.5, 0, 0.5])
        assert np.array(f["sel2"]).shape == (2, 3, 4)


def test_select_errors_name_the_path():
    text = SWITCH.replace("top: geo1/inner", "top: geo1/nothing")
    with netcook.Session.from_string(text, "switch.yaml") as session:
        with pytest.raises(Exception, match="geo1/nothing"):
            session.cook(1)
