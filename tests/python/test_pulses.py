"""Pulse parameters: par.pulse(), pulses set by the scene or --set, value
pulses on other parameters, Parameter Execute's onPulse, and the operators
that take pulses (Cache TOP, Speed and Count CHOPs, Timer CHOP)."""
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NETCOOK = os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))
sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
import netcook  # noqa: E402


# A constant whose red is the frame number / 100.
STAMP = "stamp: {type: constantTOP, par: {colorr: {expr: 'me.time.frame / 100'}}}\n"


def scene(ops, frames="1-12", fps=60):
    if ops.startswith(STAMP):  # STAMP + an indented block: dedent the block alone
        ops = STAMP + textwrap.dedent(ops[len(STAMP):])
    return (f"netcook: 1\nfps: {fps}\nframes: {frames}\nresolution: [4, 2]\nops:\n" +
            textwrap.indent(textwrap.dedent(ops).strip("\n"), "  ") + "\n")


def run(tmp_path, text, *args):
    (tmp_path / "scene.yaml").write_text(text)
    return subprocess.run([NETCOOK, "render", "scene.yaml", "--no-write", "--quiet", *args],
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=300)


def lines_by_frame(stdout):
    return [line for line in stdout.splitlines() if line.strip()]




def cached_frame(image):
    return float(np.round(np.asarray(image)[0, 0, 0] * 100, 3))


# ---------------------------------------------------------------- the Par API

def test_pulse_reads_one_until_the_operator_cooks_then_zero(tmp_path):
    text = scene(STAMP + """
        cache1: {type: cacheTOP, inputs: stamp, par: {active: false}}
        drive:
          type: textDAT
          run: frame
          text: |
            p = op('cache1').par.activepulse
            if me.time.frame == 3:
                print('before', p.eval(), p.isPulse, p.style)
                p.pulse()
                print('armed', p.eval(), int(p))
            if me.time.frame == 4:
                print('after', p.eval())
        """, frames="1-4")
    r = run(tmp_path, text)
    assert r.returncode == 0, r.stderr
    assert lines_by_frame(r.stdout) == ["before 0 True pulse", "armed 1 1", "after 0"]


def test_cache_active_pulse_captures_one_frame_per_pulse():
    ops = STAMP + """
        cache1: {type: cacheTOP, inputs: stamp, par: {active: false, outputindex: 0}}
        drive:
          type: textDAT
          run: frame
          text: |
            if me.time.frame in (3, 7):
                op('cache1').par.activepulse.pulse()
        """
    with netcook.Session.from_string(scene(ops), "scene.yaml") as s:
        got = [cached_frame(s.cook(f)["cache1"]) for f in range(1, 11)]
    # Nothing cached before frame 3: the input comes out.
    assert got == [1, 2, 3, 3, 3, 3, 7, 7, 7, 7]


def test_cache_reset_pulse_empties_once_and_capturing_goes_on():
    ops = STAMP + """
        cache1: {type: cacheTOP, inputs: stamp, par: {outputindex: -3}}
        drive:
          type: textDAT
          run: frame
          text: |
            if me.time.frame == 6:
                op('cache1').par.resetpulse = 1   # assigning a non-zero value pulses too
        """
    with netcook.Session.from_string(scene(ops), "scene.yaml") as s:
        got = {f: cached_frame(s.cook(f)["cache1"]) for f in range(5, 11)}
    # Emptied at 6, then 6, 7, 8, ... captured: -3 is the oldest until four are held.
    assert got == {5: 2, 6: 6, 7: 6, 8: 6, 9: 6, 10: 7}


def test_pulse_from_the_scene_and_from_set_fires_on_the_first_cook(tmp_path):
    base = scene(STAMP + """
        cache1: {type: cacheTOP, inputs: stamp, par: {active: false, activepulse: %s}}
        show:
          type: textDAT
          run: frame
          text: print(int(me.time.frame), round(float(op('cache1').sample(x=0, y=0)[0]) * 100))
        """, frames="1-3")
    r = run(tmp_path, base % "true")
    assert r.returncode == 0, r.stderr
    # Captured at frame 1 only: frame 1's image stays.
    assert lines_by_frame(r.stdout) == ["1 1", "2 1", "3 1"]
    r = run(tmp_path, base % "false", "--set", "cache1.activepulse=1")
    assert r.returncode == 0, r.stderr
    assert lines_by_frame(r.stdout) == ["1 1", "2 1", "3 1"]


def test_pulse_on_other_parameters_holds_the_value_then_restores_it(tmp_path):
    text = scene("""
        c: {type: constantTOP, par: {colorr: 0.25}}
        drive:
          type: textDAT
          run: frame
          text: |
            f = int(me.time.frame)
            c = op('c')
            if f == 2:
                c.par.colorr.pulse(0.75)
            if f == 5:
                c.par.colorr.pulse(0.5, frames=3)
            if f == 10:
                c.par.colorg.pulse(1, seconds=2 / 60)
            print(f, round(float(c.sample(x=0, y=0)[0]), 3), round(float(c.sample(x=0, y=0)[1]), 3))
        """, frames="1-13")
    r = run(tmp_path, text)
    assert r.returncode == 0, r.stderr
    got = [tuple(float(v) for v in l.split()[1:]) for l in lines_by_frame(r.stdout)]
    assert got == [(0.25, 0), (0.75, 0), (0.25, 0), (0.25, 0), (0.5, 0), (0.5, 0), (0.5, 0), (0.25, 0),
                   (0.25, 0), (0.25, 1), (0.25, 1), (0.25, 0), (0.25, 0)]


def test_bad_pulses_are_clear_python_errors(tmp_path):
    cases = {
        "op('c').par.colorr.pulse()": "needs the value",
        "op('c').par.colorr.pulse('x')": "colorr",
        "op('c').par.colorr.pulse(1, frames=-1)": "cannot be negative",
    }
    for code, message in cases.items():
        text = scene(f"""
            c: {{type: constantTOP}}
            drive: {{type: textDAT, run: frame, text: "{code}"}}
            """, frames="1-1")
        r = run(tmp_path, text)
        assert r.returncode != 0 and message in r.stderr, (code, r.stderr)
        assert "Traceback" not in r.stderr or "drive" in r.stderr


def test_append_pulse_and_on_pulse_once_per_pulse(tmp_path):
    text = scene("""
        rig: {type: baseCOMP}
        setup:
          type: textDAT
          run: start
          text: |
            page = op('rig').appendCustomPage('Controls')
            page.appendPulse('Go', label='Go')
            page.appendFloat('Size')
        pe:
          type: parameterexecuteDAT
          par: {op: rig}
          text: |
            def onPulse(par):
                print(int(me.time.frame), 'onPulse', par.name, par.isPulse)
            def onValueChange(par, prev):
                print(int(me.time.frame), 'onValueChange', par.name, prev)
        drive:
          type: textDAT
          run: frame
          text: |
            f = int(me.time.frame)
            if f in (2, 5):
                op('rig').par.Go.pulse()
            if f == 3:
                op('rig').par.Size = 4
        """, frames="1-7")
    r = run(tmp_path, text)
    assert r.returncode == 0, r.stderr
    assert lines_by_frame(r.stdout) == ["2 onPulse Go True", "3 onValueChange Size 0.0", "5 onPulse Go True"]


def test_on_pulse_for_expression_pulses_and_the_toggle(tmp_path):
    text = scene(STAMP + """
        cache1: {type: cacheTOP, inputs: stamp, par: {resetpulse: {expr: "me.time.frame % 4 == 0"}}}
        pe:
          type: parameterexecuteDAT
          par: {op: cache1, pars: "*pulse", onpulse: ONPULSE}
          text: |
            def onPulse(par):
                print(int(me.time.frame), par.name)
        """, frames="1-9")
    r = run(tmp_path, text.replace("ONPULSE", "true"))
    assert r.returncode == 0, r.stderr
    assert lines_by_frame(r.stdout) == ["4 resetpulse", "8 resetpulse"]
    r = run(tmp_path, text.replace("ONPULSE", "false"))
    assert r.returncode == 0 and r.stdout.strip() == "", r.stdout + r.stderr


def test_value_change_toggles_are_separate(tmp_path):
    text = scene("""
        c: {type: constantTOP}
        pe:
          type: parameterexecuteDAT
          par: {op: c, pars: colorr, valuechange: VC, valueschanged: VSC}
          text: |
            def onValueChange(par, prev):
                print('one', par.name)
            def onValuesChanged(changes):
                print('all', len(changes))
        drive: {type: textDAT, run: frame, text: "op('c').par.colorr = me.time.frame"}
        """, frames="1-2")
    for vc, vsc, want in (("true", "false", ["one colorr"]), ("false", "true", ["all 1"])):
        r = run(tmp_path, text.replace("VSC", vsc).replace("VC", vc))
        assert r.returncode == 0, r.stderr
        assert lines_by_frame(r.stdout) == want


def test_feedback_reset_pulse_outputs_the_input_once():
    ops = STAMP + """
        fb: {type: feedbackTOP, inputs: stamp, par: {top: loop}}
        loop: {type: nullTOP, inputs: fb}
        drive:
          type: textDAT
          run: frame
          text: |
            if me.time.frame == 4:
                op('fb').par.resetpulse.pulse()
        """
    with netcook.Session.from_string(scene(ops), "scene.yaml") as s:
        got = [cached_frame(s.cook(f)["fb"]) for f in range(1, 7)]
    # Frame 1 shows the input and keeps it; frame 4 shows the input again and keeps that.
    assert got == [1, 1, 1, 4, 4, 4]


# ------------------------------------------------------------- Speed and Count

def test_speed_and_count_reset_pulses():
    ops = """
        one: {type: constantCHOP, par: {const0value: 60}}
        trig: {type: constantCHOP, par: {const0value: {expr: "1 if me.time.frame % 2 else 0"}}}
        speed1: {type: speedCHOP, inputs: [one]}
        count1: {type: countCHOP, inputs: [trig]}
        drive:
          type: textDAT
          run: frame
          text: |
            if me.time.frame == 5:
                op('speed1').par.resetpulse.pulse()
                op('count1').par.resetpulse.pulse()
        """
    with netcook.Session.from_string(scene(ops), "scene.yaml") as s:
        speed = [float(s.cook(f, ops=["speed1"])["speed1"]["chan1"]) for f in range(1, 8)]
    with netcook.Session.from_string(scene(ops), "scene.yaml") as s:
        count = [float(s.cook(f, ops=["count1"])["count1"]["chan1"]) for f in range(1, 8)]
    # Speed integrates 60/s at 60 fps: +1 per frame, back to 0 at frame 5.
    assert speed == [0, 1, 2, 3, 0, 1, 2]
    # Count counts off-to-on (odd frames); reset at frame 5, where frame 5's own trigger counts.
    assert count == [1, 1, 2, 2, 1, 1, 2]


# ------------------------------------------------------------------ the Timer

TIMER = """\
netcook: 1
fps: 10
frames: 1-{last}
ops:
  timer1: {{type: timerCHOP, par: {{length: 0.3, callbacks: tcb, cycleendalert: {alert}}}}}
  tcb:
    type: textDAT
    text: |
      def onInitialize(timerOp, callCount):
          print(int(me.time.frame), 'onInitialize', callCount)
          return 2 if callCount == 1 else 0
      def onReady(timerOp):
          print(int(me.time.frame), 'onReady')
      def onStart(timerOp):
          print(int(me.time.frame), 'onStart')
      def onCycleEndAlert(timerOp, segment, cycle, alertSegment, alertDone, interrupt):
          print(int(me.time.frame), 'onCycleEndAlert', cycle, alertDone, interrupt)
      def whileTimerActive(timerOp, segment, cycle, fraction):
          print(int(me.time.frame), 'active', round(fraction, 3))
      def onDone(timerOp, segment, interrupt):
          print(int(me.time.frame), 'onDone', interrupt)
  drive:
    type: textDAT
    run: frame
    text: |
      f = int(me.time.frame)
      t = op('timer1')
      if f == 2:
          t.par.initialize.pulse()
      if f == 7:
          t.par.start.pulse()
      if f == 8:
          print(f, 'running', t['running'].eval())
      if f == 13:
          t.par.start.pulse()
      if f == 14:
          t.par.gotodone.pulse()
"""


def test_timer_initialize_start_and_go_to_done(tmp_path):
    r = run(tmp_path, TIMER.format(last=15, alert=0))
    assert r.returncode == 0, r.stderr
    assert lines_by_frame(r.stdout) == [
        "1 onStart", "1 active 0.0",
        # Initialize: stopped at 0; onInitialize asks for 2 more frames.
        "2 onInitialize 1", "4 onInitialize 2", "4 onReady",
        "7 onStart", "7 active 0.0", "8 active 0.333", "8 running 1.0", "9 active 0.667", "10 onDone False",
        "13 onStart", "13 active 0.0", "14 onDone True",
    ]


def test_timer_cycle_end_alert_and_partial_range(tmp_path):
    text = TIMER.format(last=12, alert=0.15)
    r = run(tmp_path, text)
    assert r.returncode == 0, r.stderr
    alerts = [l for l in lines_by_frame(r.stdout) if "Alert" in l]
    # 0.15 s before the end of a 0.3 s timer at 10 fps: from fraction 0.5 on,
    # i.e. the frame where 0.667 is reached, once.
    assert alerts == ["9 onCycleEndAlert 0 True False"]
    part = run(tmp_path, text, "-f", "6-12")
    assert part.returncode == 0, part.stderr
    assert lines_by_frame(part.stdout) == [l for l in lines_by_frame(r.stdout) if int(l.split()[0]) >= 6]


# ------------------------------------------------------------------ snapshots

def test_snapshot_carries_armed_pulses_and_value_pulses():
    ops = STAMP + """
        cache1: {type: cacheTOP, inputs: stamp, par: {active: false}}
        c: {type: constantTOP, par: {colorr: 0.25}}
        drive:
          type: textDAT
          run: frame
          text: |
            if me.time.frame == 4:
                op('c').par.colorr.pulse(0.5, frames=3)
        """
    with netcook.Session.from_string(scene(ops), "scene.yaml") as a:
        a.cook(4, ops=["c"])
        snap = a.snapshot()
        want = [float(np.asarray(a.cook(f, ops=["c"])["c"])[0, 0, 0]) for f in (5, 6, 7)]
    assert want == [0.5, 0.5, 0.25]
    with netcook.Session.from_string(scene(ops), "scene.yaml") as b:
        b.restore(snap)
        got = [float(np.asarray(b.cook(f, ops=["c"])["c"])[0, 0, 0]) for f in (5, 6, 7)]
    assert got == want


def test_a_string_for_a_pulse_is_a_scene_error(tmp_path):
    r = run(tmp_path, scene("t: {type: timerCHOP, par: {start: yes please}}\n", frames="1-1"))
    assert r.returncode == 2, r.stderr
    assert "scene.yaml:" in r.stderr and "'start' is a pulse" in r.stderr
