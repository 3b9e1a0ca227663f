"""The stream CHOPs (lag, speed, count, trigger, filter, trail) against
independent numpy implementations of the formulas in docs/chops.md, over
120 frames of a varying input; partial ranges and chunks against the full
render; bad parameters as scene errors."""
import math
import os
import pathlib
import subprocess

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NETCOOK = os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))
FPS = 60

# A wiggle plus a square pulse train: crosses 0 and 0.5 both ways, jumps.
SIGNAL = "math.sin(me.time.frame * 0.21) * 0.8 + (1.0 if me.time.frame % 29 < 9 else 0.0)"
RESET = "1.0 if me.time.frame % 40 < 3 else 0.0"


def run(tmp_path, text, *args):
    scene = tmp_path / "scene.yaml"
    scene.write_text(text)
    return subprocess.run([NETCOOK, "render", str(scene), "--no-write", "--quiet", *args],
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=300)


def scene(ops, printed, frames="1-120"):
    """`ops`: YAML lines of extra operators; `printed`: operator names whose
    first channel's vals are printed every frame after the input's value."""
    names = ", ".join(repr(n) for n in printed)
    return f"""\
netcook: 1
fps: {FPS}
frames: {frames}
ops:
  sig:
    type: constantCHOP
    par: {{const0name: x, const0value: {{expr: "{SIGNAL}"}}}}
  rst:
    type: constantCHOP
    par: {{const0name: r, const0value: {{expr: "{RESET}"}}}}
{ops}
  printer:
    type: textDAT
    run: frame
    text: |
      vals = [op('sig')[0].eval()]
      for n in [{names}]:
          vals.append(repr(op(n)[0].vals))
      print(int(me.time.frame), repr(vals[0]), ' '.join(vals[1:]))
"""


def parse(stdout, count):
    rows = {}
    for line in stdout.splitlines():
        head, _, rest = line.partition(" [")
        frame, x = head.split()[:2]
        lists = ("[" + rest).split(" [") if rest else []
        rows[int(frame)] = (float(x), [np.array(eval(l if l.startswith("[") else "[" + l)) for l in lists])
    assert len(rows) == count, rows.keys()
    return rows


def render_rows(tmp_path, ops, printed, frames="1-120"):
    r = run(tmp_path, scene(ops, printed, frames))
    assert r.returncode == 0, r.stderr
    first, last = (int(v) for v in frames.split("-"))
    rows = parse(r.stdout, last - first + 1)
    x = np.array([rows[f][0] for f in sorted(rows)], dtype=np.float64)
    outs = [np.array([rows[f][1][i][-1] for f in sorted(rows)]) for i in range(len(printed))]
    return x, outs, rows


def reset_signal(n):
    return np.array([1.0 if f % 40 < 3 else 0.0 for f in range(1, n + 1)])


# ---------------------------------------------------------------- lag

def lag_ref(x, lag1, lag2, over1=0.0, over2=0.0, method="value"):
    alpha = [1 - 0.1 ** (1 / (l * FPS)) if l > 0 else 1.0 for l in (lag1, lag2)]
    over = [over1, over2]
    y, v, out = x[0], 0.0, [x[0]]
    for xi in x[1:]:
        up = xi > y if method == "value" else abs(xi) > abs(y)
        k = 0 if up else 1
        v = alpha[k] * (xi - y) + over[k] * v
        y = y + v
        out.append(y)
    return np.array(out)


def test_lag_against_reference(tmp_path):
    ops = """\
  lag1: {type: lagCHOP, inputs: [sig], par: {lag1: 0.3, lag2: 0.1, overshoot1: 0.3}}
  lag2: {type: lagCHOP, inputs: [sig], par: {lagmethod: amp, lag1: 0.05, lag2: 0.4, overshoot2: 0.5}}
  lag3: {type: lagCHOP, inputs: [sig], par: {lag1: 0, lag2: 0}}"""
    x, (a, b, c), _ = render_rows(tmp_path, ops, ["lag1", "lag2", "lag3"])
    assert np.allclose(a, lag_ref(x, 0.3, 0.1, 0.3, 0), atol=1e-5)
    assert np.allclose(b, lag_ref(x, 0.05, 0.4, 0, 0.5, method="amp"), atol=1e-5)
    assert np.array_equal(c.astype(np.float32), x.astype(np.float32))  # no lag: the input
    assert not np.allclose(a, x, atol=1e-2)  # it did lag


# ---------------------------------------------------------------- speed

def limit(kind, v, lo, hi, period):
    if kind == "off":
        return v
    if hi <= lo:
        return lo
    if kind == "clamp":
        return min(max(v, lo), hi)
    if kind == "loop":
        return lo + math.fmod(math.fmod(v - lo, period) + period, period)
    m = math.fmod(math.fmod(v - lo, 2 * period) + 2 * period, 2 * period)
    return lo + (m if m <= period else 2 * period - m)


def speed_ref(x, kind="off", lo=0.0, hi=1.0, reset=None, condition="offtoon"):
    acc, out, was = limit(kind, 0.0, lo, hi, hi - lo), [], False
    for i, xi in enumerate(x):
        if reset is not None:
            on = reset[i] > 0
            fire = {"offtoon": on and not was, "whileon": on, "ontooff": was and not on, "whileoff": not on}[condition]
            was = on
            if fire:
                acc = limit(kind, 0.0, lo, hi, hi - lo)
        out.append(acc)
        acc = limit(kind, acc + xi / FPS, lo, hi, hi - lo)
    return np.array(out)


def test_speed_against_reference(tmp_path):
    ops = """\
  sp1: {type: speedCHOP, inputs: [sig]}
  sp2: {type: speedCHOP, inputs: [sig, rst], par: {limittype: loop, min: -0.2, max: 0.7}}
  sp3: {type: speedCHOP, inputs: [sig, rst], par: {limittype: zigzag, min: 0, max: 0.3, resetcondition: ontooff}}
  sp4: {type: speedCHOP, inputs: [sig], par: {limittype: clamp, min: 0, max: 0.5}}"""
    x, (a, b, c, d), _ = render_rows(tmp_path, ops, ["sp1", "sp2", "sp3", "sp4"])
    r = reset_signal(len(x))
    assert a[0] == 0 and np.allclose(a, speed_ref(x), atol=1e-5)
    assert np.allclose(b, speed_ref(x, "loop", -0.2, 0.7, r), atol=1e-5)
    assert np.allclose(c, speed_ref(x, "zigzag", 0, 0.3, r, "ontooff"), atol=1e-5)
    assert np.allclose(d, speed_ref(x, "clamp", 0, 0.5), atol=1e-5)
    assert d.max() == pytest.approx(0.5) and b.min() >= -0.2 - 1e-6


# ---------------------------------------------------------------- count

def count_ref(x, up=0.0, down=None, increase=True, ops=("inc", "none", "none", "none"), kind="off", lo=0.0,
              hi=10.0, reset=None, condition="offtoon", output="count"):
    down = up if down is None else down
    per = hi - lo + 1
    count, on, was_r, out = limit(kind, 0.0, lo, hi, per), False, False, []
    for i, xi in enumerate(x):
        if reset is not None:
            ron = reset[i] > 0
            fire = {"offtoon": ron and not was_r, "whileon": ron, "ontooff": was_r and not ron, "whileoff": not ron}[condition]
            was_r = ron
            if fire:
                count = 0.0
        was = on
        if was:
            on = not (xi <= down if increase else xi >= down)
        else:
            on = xi > up if increase else xi < up
        op = (ops[1] if was else ops[0]) if on else (ops[2] if was else ops[3])
        count = {"none": count, "inc": count + 1, "dec": count - 1, "inctime": count + 1 / FPS,
                 "dectime": count - 1 / FPS, "reset": 0.0}[op]
        count = limit(kind, count, lo, hi, per)
        out.append(count if output == "count" else float(on))
    return np.array(out)


def test_count_against_reference(tmp_path):
    ops = """\
  c1: {type: countCHOP, inputs: [sig]}
  c2: {type: countCHOP, inputs: [sig], par: {limittype: loop, limitmin: 1, limitmax: 4}}
  c3: {type: countCHOP, inputs: [sig, rst], par: {threshold: false, threshup: 0.9, threshdown: 0.2,
       whileon: inctime, ontooff: dec, resetcondition: whileon}}
  c4: {type: countCHOP, inputs: [sig], par: {triggeron: decrease, threshup: 0.1, limittype: zigzag,
       limitmin: 0, limitmax: 2}}
  c5: {type: countCHOP, inputs: [sig], par: {threshold: false, threshup: 0.9, threshdown: 0.2, output: onoff}}"""
    x, (a, b, c, d, e), _ = render_rows(tmp_path, ops, ["c1", "c2", "c3", "c4", "c5"])
    r = reset_signal(len(x))
    assert np.allclose(a, count_ref(x), atol=1e-6)
    assert a[-1] >= 5  # counted several crossings
    assert np.allclose(b, count_ref(x, kind="loop", lo=1, hi=4), atol=1e-6)
    assert np.allclose(c, count_ref(x, 0.9, 0.2, ops=("inc", "inctime", "dec", "none"), reset=r,
                                    condition="whileon"), atol=1e-5)
    assert np.allclose(d, count_ref(x, 0.1, increase=False, kind="zigzag", lo=0, hi=2), atol=1e-6)
    assert np.array_equal(e, count_ref(x, 0.9, 0.2, output="onoff"))


# ---------------------------------------------------------------- trigger

def shape(kind, u):
    return {"linear": u, "easein": u * u, "easeout": 1 - (1 - u) ** 2, "easeinout": u * u * (3 - 2 * u)}[kind]


def trigger_ref(x, up=0.5, down=None, retrigger=0.0, minlength=0.0, delay=0.0, attack=0.1, peak=1.0,
                peaklen=0.0, decay=0.1, sustain=0.5, release=0.1, ashape="linear", dshape="linear",
                rshape="linear"):
    down = up if down is None else down
    peak = max(peak, sustain)

    def on_level(tau, start):
        if tau < delay:
            return start
        tau -= delay
        if tau < attack:
            return start + (peak - start) * shape(ashape, tau / attack)
        tau -= attack
        if tau < peaklen:
            return peak
        tau -= peaklen
        if tau < decay:
            return peak + (sustain - peak) * shape(dshape, tau / decay)
        return sustain

    on, phase, once, pending = False, "idle", False, False
    n_trig = n_rel = 0
    start = rel_level = value = 0.0
    out = []
    for xi in x:
        was = on
        on = (not xi <= down) if was else xi > up
        if on and not was and (not once or n_trig / FPS >= retrigger):
            phase, once, pending, n_trig, start = "on", True, False, 0, value
        if not on and was and phase == "on":
            pending = True
        if pending and phase == "on" and n_trig / FPS >= minlength:
            phase, pending, n_rel = "release", False, 0
            rel_level = on_level(n_trig / FPS, start)
        v = 0.0
        if phase == "on":
            v = on_level(n_trig / FPS, start)
        elif phase == "release":
            tau = n_rel / FPS
            if tau < release:
                v = rel_level * (1 - shape(rshape, tau / release))
            else:
                phase = "idle"
        value = v
        n_trig += 1
        n_rel += 1
        out.append(v)
    return np.array(out)


def test_trigger_against_reference(tmp_path):
    ops = """\
  t1: {type: triggerCHOP, inputs: [sig]}
  t2: {type: triggerCHOP, inputs: [sig], par: {delay: 0.05, attack: 0.1, attackshape: easeout, peak: 1.2,
       peaklen: 0.05, decay: 0.2, decayshape: easein, sustain: 0.4, release: 0.3, releaseshape: easeinout,
       minlength: 0.2, retrigger: 0.5}}
  t3: {type: triggerCHOP, inputs: [sig], par: {threshold: false, threshup: 1.2, threshdown: 0.3, attack: 0,
       decay: 0, sustain: 0.8, release: 0.5}}"""
    x, (a, b, c), _ = render_rows(tmp_path, ops, ["t1", "t2", "t3"])
    assert np.allclose(a, trigger_ref(x), atol=1e-5)
    assert np.allclose(b, trigger_ref(x, delay=0.05, attack=0.1, ashape="easeout", peak=1.2, peaklen=0.05,
                                      decay=0.2, dshape="easein", sustain=0.4, release=0.3,
                                      rshape="easeinout", minlength=0.2, retrigger=0.5), atol=1e-5)
    assert np.allclose(c, trigger_ref(x, 1.2, 0.3, attack=0, decay=0, sustain=0.8, release=0.5), atol=1e-5)
    assert a.max() == pytest.approx(1.0) and b.max() > 1.0 and 0 < c.max() <= 0.8 + 1e-6


# ---------------------------------------------------------------- filter

def filter_ref(x, kind, width, effect=1.0, passes=1, spike=0.1):
    k = max(1, int(round(width * FPS)))
    centred = kind not in ("lhgauss", "lhbox")
    if centred and k % 2 == 0:
        k += 1
    r = (k - 1) // 2
    j = np.arange(k, dtype=np.float64)
    if kind == "lhgauss":
        w = np.exp(-((k - 1 - j) ** 2) / (2 * (k / 3) ** 2))
    elif kind in ("box", "lhbox"):
        w = np.ones(k)
    else:
        w = np.exp(-((j - r) ** 2) / (2 * (k / 6) ** 2))
    w = w / w.sum()
    stream = np.asarray(x, dtype=np.float32)
    for _ in range(passes):
        padded = np.concatenate([np.full(k - 1, stream[0]), stream]).astype(np.float64)
        out = []
        for i in range(len(stream)):
            win = padded[i:i + k]
            smooth = float(np.dot(w, win))
            mid = win[r]
            if kind == "edge":
                v = mid - smooth
            elif kind == "sharpen":
                v = 2 * mid - smooth
            elif kind == "despike":
                med = np.sort(win)[k // 2]
                v = med if abs(mid - med) > spike else mid
            else:
                v = smooth
            out.append(v)
        stream = np.array(out, dtype=np.float32)  # each pass's window holds float samples
    return x + effect * (stream.astype(np.float64) - x)


FILTERS = [("gauss", 0.2, 1.0, 1), ("lhgauss", 0.15, 1.0, 1), ("box", 0.1, 0.6, 1), ("lhbox", 0.1, 1.0, 2),
           ("edge", 0.2, 1.0, 1), ("sharpen", 0.1, 0.5, 1), ("despike", 0.1, 1.0, 1)]


def test_filter_against_reference(tmp_path):
    ops = "\n".join(f"  f{i}: {{type: filterCHOP, inputs: [sig], par: {{type: {k}, width: {w}, effect: {e}, passes: {p}}}}}"
                    for i, (k, w, e, p) in enumerate(FILTERS))
    x, outs, _ = render_rows(tmp_path, ops, [f"f{i}" for i in range(len(FILTERS))])
    for (kind, width, effect, passes), got in zip(FILTERS, outs):
        want = filter_ref(x, kind, width, effect, passes)
        assert np.allclose(got, want, atol=2e-5), (kind, np.abs(got - want).max())
    assert np.abs(outs[0] - x).max() > 0.05  # gauss smoothed
    assert outs[6].shape == x.shape


def test_despike_removes_a_one_frame_spike(tmp_path):
    ops = """\
  spiky: {type: constantCHOP, par: {const0value: {expr: "5.0 if me.time.frame == 30 else me.time.frame * 0.01"}}}
  ds: {type: filterCHOP, inputs: [spiky], par: {type: despike, width: 0.05, spike: 0.5}}"""
    r = run(tmp_path, scene(ops, ["spiky", "ds"], "1-40"))
    assert r.returncode == 0, r.stderr
    rows = parse(r.stdout, 40)
    ds = [rows[f][1][1][-1] for f in range(1, 41)]
    assert max(ds) < 0.5  # the spike never reaches the output


# ---------------------------------------------------------------- trail

def test_trail_holds_the_last_n_values(tmp_path):
    ops = "  tr: {type: trailCHOP, inputs: [sig], par: {wlength: 0.25}}"
    r = run(tmp_path, scene(ops, ["tr"]))
    assert r.returncode == 0, r.stderr
    rows = parse(r.stdout, 120)
    x = np.array([rows[f][0] for f in range(1, 121)], dtype=np.float32)
    n = 15
    for f in range(1, 121):
        got = rows[f][1][0]
        hist = x[max(0, f - n):f]
        want = np.concatenate([np.full(n - len(hist), x[0]), hist])
        assert got.shape == (n,) and np.array_equal(got.astype(np.float32), want), f


def test_trail_is_multi_sample(tmp_path):
    ops = "  tr: {type: trailCHOP, inputs: [sig], par: {wlength: 0.5}}"
    text = scene(ops, []).replace("print(int(me.time.frame)", "t = op('tr')\n      print(int(me.time.frame), t.numSamples, t.start, t.end, t.rate, t[0].eval() == op('sig')[0].eval(), len(t['x'].vals)); (int(me.time.frame)")
    r = run(tmp_path, text, "-f", "1-3")
    assert r.returncode == 0, r.stderr
    lines = [l.split() for l in r.stdout.splitlines()]
    assert lines[0][1:] == ["30", "-29.0", "0.0", "60.0", "True", "30"]
    assert lines[2][1:] == ["30", "-27.0", "2.0", "60.0", "True", "30"]


# ---------------------------------------------------------------- partial ranges

ALL_OPS = """\
  lag1: {type: lagCHOP, inputs: [sig], par: {lag1: 0.3, lag2: 0.1, overshoot1: 0.3}}
  sp1: {type: speedCHOP, inputs: [sig, rst], par: {limittype: loop, min: -0.2, max: 0.7}}
  c1: {type: countCHOP, inputs: [sig, rst], par: {limittype: loop, limitmax: 3}}
  t1: {type: triggerCHOP, inputs: [sig], par: {release: 0.3, minlength: 0.2}}
  f1: {type: filterCHOP, inputs: [sig], par: {type: gauss, width: 0.3, passes: 2}}
  f2: {type: filterCHOP, inputs: [sig], par: {type: despike, width: 0.2}}
  tr: {type: trailCHOP, inputs: [sig], par: {wlength: 0.2}}
  lfo1: {type: lfoCHOP, inputs: [sig, rst], par: {wavetype: ramp, frequency: 0.7}}"""
ALL_NAMES = ["lag1", "sp1", "c1", "t1", "f1", "f2", "tr", "lfo1"]


def test_partial_ranges_and_chunks_equal_the_full_render(tmp_path):
    full = run(tmp_path, scene(ALL_OPS, ALL_NAMES, "1-100"))
    assert full.returncode == 0, full.stderr
    lines = {int(l.split()[0]): l for l in full.stdout.splitlines()}
    assert len(lines) == 100
    part = run(tmp_path, scene(ALL_OPS, ALL_NAMES, "1-100"), "-f", "50-60")
    assert part.returncode == 0, part.stderr
    assert part.stdout.splitlines() == [lines[f] for f in range(50, 61)]
    seen = []
    for k in (1, 2, 3):
        chunk = run(tmp_path, scene(ALL_OPS, ALL_NAMES, "1-100"), "--chunk", f"{k}/3", "--threads", "2")
        assert chunk.returncode == 0, chunk.stderr
        for l in chunk.stdout.splitlines():
            assert l == lines[int(l.split()[0])]
            seen.append(int(l.split()[0]))
    assert sorted(seen) == list(range(1, 101))


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("par, needle", [
    ("{type: gaus}", "did you mean 'gauss'"),
    ("{wdth: 0.5}", "did you mean 'width'"),
    ("{passes: two}", "expects an integer"),
])
def test_bad_filter_parameters_are_scene_errors(tmp_path, par, needle):
    text = f"""\
netcook: 1
ops:
  sig: {{type: constantCHOP}}
  f1: {{type: filterCHOP, inputs: [sig], par: {par}}}
"""
    r = run(tmp_path, text)
    assert r.returncode == 2
    assert "scene.yaml:4:" in r.stderr and "error:" in r.stderr and needle in r.stderr, r.stderr


def test_bad_limit_menu_is_a_scene_error(tmp_path):
    text = """\
netcook: 1
ops:
  sig: {type: constantCHOP}
  s1:
    type: speedCHOP
    inputs: [sig]
    par: {limittype: wrap}
"""
    r = run(tmp_path, text)
    assert r.returncode == 2 and "scene.yaml:7:" in r.stderr and "'wrap' is not an entry" in r.stderr, r.stderr


# ---------------------------------------------------------------- snapshots

SNAPSHOT_SCENE = f"""\
netcook: 1
fps: 60
resolution: [4, 2]
frames: 1-60
ops:
  sig: {{type: constantCHOP, par: {{const0value: {{expr: "{SIGNAL}"}}}}}}
  rst: {{type: constantCHOP, par: {{const0value: {{expr: "{RESET}"}}}}}}
{ALL_OPS}
  c:
    type: constantTOP
    par:
      colorr: {{expr: "op('lag1')[0] + op('sp1')[0] + op('c1')[0] + op('lfo1')[0]"}}
      colorg: {{expr: "op('t1')[0] + op('f1')[0] + op('f2')[0]"}}
      colorb: {{expr: "sum(op('tr')[0].vals)"}}
outputs:
  - {{op: c, path: c.####.exr, bits: 32}}
"""


def test_snapshot_resume_equals_uninterrupted(tmp_path):
    import sys
    sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
    import netcook
    scene = tmp_path / "snap.yaml"
    scene.write_text(SNAPSHOT_SCENE)
    through = netcook.Session(str(scene))
    expected = {f: np.array(through.cook(f)["c"]) for f in range(1, 61)}
    assert len({expected[f][0, 0, 0] for f in range(20, 61)}) > 20  # the values move
    first = netcook.Session(str(scene))
    first.cook(33)
    snapshot = first.snapshot()
    first.close()
    resumed = netcook.Session(str(scene))
    resumed.restore(snapshot)
    for f in range(34, 61):
        np.testing.assert_array_equal(np.array(resumed.cook(f)["c"]), expected[f])


def test_multi_sample_input_is_one_stream(tmp_path):
    """A multi-sample input (a Trail CHOP's window of 4 samples) is processed
    as one stream: every sample of every frame's slice, in order."""
    ops = """\
  tr: {type: trailCHOP, inputs: [sig], par: {wlength: 0.0667}}
  lagm: {type: lagCHOP, inputs: [tr], par: {lag1: 0.2, lag2: 0.05, overshoot1: 0.2}}
  spm: {type: speedCHOP, inputs: [tr], par: {limittype: zigzag, min: -1, max: 1}}
  fm: {type: filterCHOP, inputs: [tr], par: {type: lhgauss, width: 0.1}}"""
    r = run(tmp_path, scene(ops, ["tr", "lagm", "spm", "fm"], "1-40"))
    assert r.returncode == 0, r.stderr
    rows = parse(r.stdout, 40)
    stream = np.concatenate([rows[f][1][0] for f in range(1, 41)]).astype(np.float64)
    assert len(rows[1][1][0]) == 4 and all(len(rows[f][1][i]) == 4 for f in rows for i in (1, 2, 3))
    lag = np.concatenate([rows[f][1][1] for f in range(1, 41)])
    spd = np.concatenate([rows[f][1][2] for f in range(1, 41)])
    flt = np.concatenate([rows[f][1][3] for f in range(1, 41)])
    assert np.allclose(lag, lag_ref(stream, 0.2, 0.05, 0.2), atol=1e-5)
    assert np.allclose(spd, speed_ref(stream, "zigzag", -1, 1), atol=1e-5)
    assert np.allclose(flt, filter_ref(stream, "lhgauss", 0.1), atol=2e-5)
