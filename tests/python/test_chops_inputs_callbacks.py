"""LFO octave and reset inputs, CHOP Execute's freq menu and Parameter
Execute's onValuesChanged, through the CLI."""
import math
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NETCOOK = os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))


def run(tmp_path, text, *args):
    (tmp_path / "scene.yaml").write_text(text)
    return subprocess.run([NETCOOK, "render", "scene.yaml", "--no-write", "--quiet", *args],
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=300)


OCTAVE = "((me.time.frame // 17) % 4) - 1.5"
RESET = "1.0 if me.time.frame % 37 < 4 else 0.0"


def lfo_scene(condition):
    return f"""\
netcook: 1
fps: 60
frames: 1-120
ops:
  oct: {{type: constantCHOP, par: {{const0value: {{expr: "{OCTAVE}"}}}}}}
  rst: {{type: constantCHOP, par: {{const0value: {{expr: "{RESET}"}}}}}}
  lfo1: {{type: lfoCHOP, inputs: [oct, rst], par: {{wavetype: ramp, frequency: 0.9, resetcondition: {condition}}}}}
  pulse1: {{type: lfoCHOP, inputs: [oct, rst], par: {{wavetype: pulse, frequency: 0.9, resetcondition: {condition}}}}}
  p:
    type: textDAT
    run: frame
    text: print(int(me.time.frame), repr(op('lfo1')[0].eval()), repr(op('pulse1')[0].eval()))
"""


@pytest.mark.parametrize("condition", ["offtoon", "whileon"])
def test_lfo_octave_and_reset_inputs(tmp_path, condition):
    r = run(tmp_path, lfo_scene(condition))
    assert r.returncode == 0, r.stderr
    got = {int(l.split()[0]): (float(l.split()[1]), float(l.split()[2])) for l in r.stdout.splitlines()}
    # phi starts at 0 at frame 1, grows by frequency * 2^octave / rate per
    # frame, and restarts at 0 on reset frames.
    phi, was_on = 0.0, False
    for f in range(1, 121):
        octave = ((f // 17) % 4) - 1.5
        on = f % 37 < 4
        reset = on and (condition == "whileon" or not was_on)
        if reset or f == 1:
            phi = 0.0
        else:
            phi += 0.9 * 2 ** octave / 60
        want = phi - math.floor(phi + 1e-9)
        diff = abs(got[f][0] - want)
        assert min(diff, 1 - diff) < 1e-4, (f, got[f][0], want)
        if on and not was_on:
            assert got[f][1] == 1.0, f  # the pulse fires on a reset's first frame
        was_on = on
    # while on, the ramp is held at 0 for the whole reset
    held = [got[f][0] for f in (37, 38, 39)]
    assert (held == [0.0, 0.0, 0.0]) == (condition == "whileon")


def test_lfo_inputs_partial_range_equals_full(tmp_path):
    full = run(tmp_path, lfo_scene("offtoon"))
    part = run(tmp_path, lfo_scene("offtoon"), "-f", "70-80")
    assert full.returncode == 0 and part.returncode == 0, part.stderr
    assert part.stdout.splitlines() == full.stdout.splitlines()[69:80]


CHOPEXEC = """\
netcook: 1
fps: 60
frames: 1-6
ops:
  sig: {{type: constantCHOP, par: {{const0name: x, const0value: {{expr: "[0, 1, 1, 0, 2, 2][int(me.time.frame) - 1]"}}}}}}
  tr: {{type: trailCHOP, inputs: [sig], par: {{wlength: 0.05}}}}
  ce:
    type: chopexecuteDAT
    par: {{chop: tr, freq: {freq}, offtoon: true, ontooff: true}}
    text: |
      def onOffToOn(channel, sampleIndex, val, prev):
          print(int(me.time.frame), 'on', sampleIndex, val, prev)
      def onOnToOff(channel, sampleIndex, val, prev):
          print(int(me.time.frame), 'off', sampleIndex, val, prev)
      def onValueChange(channel, sampleIndex, val, prev):
          print(int(me.time.frame), 'change', sampleIndex, val, prev)
"""


def test_chop_execute_once_per_frame(tmp_path):
    r = run(tmp_path, CHOPEXEC.format(freq="frame"))
    assert r.returncode == 0, r.stderr
    # the trail's window is 3 samples; per frame only its last sample counts
    assert r.stdout.splitlines() == [
        "2 on 2 1.0 0.0", "2 change 2 1.0 0.0",
        "4 off 2 0.0 1.0", "4 change 2 0.0 1.0",
        "5 on 2 2.0 0.0", "5 change 2 2.0 0.0",
    ]


def test_chop_execute_every_sample(tmp_path):
    r = run(tmp_path, CHOPEXEC.format(freq="sample"))
    assert r.returncode == 0, r.stderr
    # frame 1 records [0 0 0]; frame 2 walks [0 0 1]: 0 -> 0 -> 0 -> 1;
    # frame 3 walks [0 1 1] from the previous frame's last (1): 1 -> 0 -> 1 -> 1
    lines = r.stdout.splitlines()
    assert lines[:2] == ["2 on 2 1.0 0.0", "2 change 2 1.0 0.0"]
    assert lines[2:6] == ["3 off 0 0.0 1.0", "3 change 0 0.0 1.0", "3 on 1 1.0 0.0", "3 change 1 1.0 0.0"]
    assert "freq" in subprocess.run([NETCOOK, "ops", "chopexecuteDAT"], capture_output=True, text=True).stdout


def test_chop_execute_bad_freq_is_a_scene_error(tmp_path):
    r = run(tmp_path, CHOPEXEC.format(freq="frames"))
    assert r.returncode == 2
    assert "scene.yaml:9:27: error:" in r.stderr and "did you mean 'frame'" in r.stderr, r.stderr


def test_parameter_execute_on_values_changed(tmp_path):
    text = """\
netcook: 1
fps: 60
frames: 1-4
ops:
  c: {type: constantTOP}
  pe:
    type: parameterexecuteDAT
    par: {op: c, pars: "color*"}
    text: |
      def onValueChange(par, prev):
          print('one', par.name, prev)
      def onValuesChanged(changes):
          print('all', [(c.par.name, c.par.eval(), c.prev) for c in changes], type(changes[0]).__name__)
          print('tuple', changes[0][1] == changes[0].prev)
  drive:
    type: textDAT
    run: frame
    text: |
      f = me.time.frame
      op('c').par.colorr = f
      if f == 3:
          op('c').par.colorb = 0.5
"""
    r = run(tmp_path, text)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "one colorr 1.0",
        "all [('colorr', 2.0, 1.0)] ParChange",
        "tuple True",
        "one colorr 2.0",
        "one colorb 0.0",
        "all [('colorr', 3.0, 2.0), ('colorb', 0.5, 0.0)] ParChange",
        "tuple True",
        "one colorr 3.0",
        "all [('colorr', 4.0, 3.0)] ParChange",
        "tuple True",
    ]


TIMER = """\
netcook: 1
fps: 10
frames: 1-{last}
ops:
  timer1: {{type: timerCHOP, par: {{length: 0.3, cycle: {cycle}, callbacks: tcb}}}}
  tcb:
    type: textDAT
    text: |
      def onStart(timerOp):
          print(int(me.time.frame), 'onStart', timerOp.name)
      def onSegmentEnter(timerOp, segment, interrupt):
          print(int(me.time.frame), 'onSegmentEnter', segment, interrupt)
      def onCycleStart(timerOp, segment, cycle):
          print(int(me.time.frame), 'onCycleStart', segment, cycle)
      def onCycle(timerOp, segment, cycle):
          print(int(me.time.frame), 'onCycle', segment, cycle)
      def whileTimerActive(timerOp, segment, cycle, fraction):
          print(int(me.time.frame), 'whileTimerActive', segment, cycle, round(fraction, 6))
      def onSegmentExit(timerOp, segment, interrupt):
          print(int(me.time.frame), 'onSegmentExit', segment, interrupt)
      def onDone(timerOp, segment, interrupt):
          print(int(me.time.frame), 'onDone', segment, interrupt)
  out: {{type: constantTOP, par: {{colorr: {{expr: "op('timer1')['timer_fraction']"}}}}}}
outputs:
  - {{op: out, path: o.####.png}}
"""


def test_timer_callbacks_in_order(tmp_path):
    r = run(tmp_path, TIMER.format(last=6, cycle="false"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "1 onStart timer1", "1 onSegmentEnter 0 False", "1 onCycleStart 0 0", "1 whileTimerActive 0 0 0.0",
        "2 whileTimerActive 0 0 0.333333", "3 whileTimerActive 0 0 0.666667",
        "4 onSegmentExit 0 False", "4 onDone 0 False",
    ]


def test_timer_cycle_callbacks_and_partial_range(tmp_path):
    r = run(tmp_path, TIMER.format(last=8, cycle="true"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:4] == ["1 onStart timer1", "1 onSegmentEnter 0 False", "1 onCycleStart 0 0",
                         "1 whileTimerActive 0 0 0.0"]
    assert lines[6:9] == ["4 onCycle 0 0", "4 onCycleStart 0 1", "4 whileTimerActive 0 1 0.0"]
    assert "7 onCycle 0 1" in lines and "onDone" not in r.stdout
    part = run(tmp_path, TIMER.format(last=8, cycle="true"), "-f", "5-8")
    assert part.returncode == 0, part.stderr
    assert part.stdout.splitlines() == [l for l in lines if int(l.split()[0]) >= 5]


def test_timer_callbacks_dat_missing_is_an_error(tmp_path):
    r = run(tmp_path, TIMER.format(last=2, cycle="false").replace("callbacks: tcb", "callbacks: nosuch"))
    assert r.returncode != 0 and "timer1" in r.stderr and "nosuch" in r.stderr, r.stderr
