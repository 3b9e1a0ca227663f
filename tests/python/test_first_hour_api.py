"""Issue 14, what TouchDesigner users reach for: tdu, run() with delays,
operator storage, app, me.digits, TOP.sample, inputs/outputs, errors(),
and Script TOP's size inside onCook."""
import os
import pathlib
import sys
import textwrap

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def scene(ops, frames="1-3", resolution="[8, 4]"):
    body = textwrap.indent(textwrap.dedent(ops).strip("\n"), "  ")
    return f"netcook: 1\nfps: 60\nframes: {frames}\nresolution: {resolution}\nops:\n{body}\n"


def script(name, code, run="frame"):
    body = textwrap.indent(textwrap.dedent(code).strip("\n"), "    ")
    return f"{name}:\n  type: textDAT\n  run: {run}\n  text: |\n{body}\n"


def ok(r):
    assert r.returncode == 0, r
    return r.stdout.splitlines()


def test_tdu_functions_and_classes(render):
    lines = ok(render(scene(script("s", """
        import tdu as imported
        print(tdu.remap(5, 0, 10, 100, 200), tdu.remap(0.5, 0, 1, 1, 0), tdu.clamp(3, 0, 2), tdu.clamp(-1, 0, 2),
              tdu.clamp(1.5, 0, 2))
        r = [tdu.rand(s) for s in (1, 1.0, 'noise', 2)]
        print(r[0] == r[1], all(0 <= x < 1 for x in r), len(set(r[1:])) == 3, imported is tdu)
        print(tdu.digits('noise12'), tdu.digits('noise'), tdu.base('noise12'))
        d = tdu.Dependency(3)
        seen = []
        d.callbacks.append(lambda dep: seen.append(dep.val))
        d.val = 4
        print(d.val, seen)
        v = tdu.Vector(3, 4, 0)
        print(v.length(), v.dot((1, 0, 0)), v.cross(tdu.Vector(0, 0, 1)), v * 2, v + (1, 1, 1))
        n = v.copy(); n.normalize()
        print(n, tdu.Position(1, 2, 3) - tdu.Position(1, 1, 1), tdu.Position(0, 0, 0) + tdu.Vector(1, 2, 3))
        print(tdu.Position(0, 0, 0).distance(tdu.Position(0, 3, 4)), list(tdu.Vector(1, 2, 3)))
    """), frames="1")))
    assert lines == [
        "150.0 0.5 2 0 1.5",
        "True True True True",
        "12 None noise",
        "4 [4]",
        "5.0 3.0 Vector(4.0, -3.0, 0.0) Vector(6.0, 8.0, 0.0) Vector(4.0, 5.0, 1.0)",
        "Vector(0.6, 0.8, 0.0) Vector(0.0, 1.0, 2.0) Position(1.0, 2.0, 3.0)",
        "5.0 [1.0, 2.0, 3.0]",
    ]


def test_tdu_rand_is_the_same_in_every_run(render):
    code = scene(script("s", "print(tdu.rand(absTime.frame), tdu.rand('x'))"), frames="1-2")
    assert ok(render(code)) == ok(render(code))


def test_run_with_delay_frames_end_frame_and_callables(render):
    lines = ok(render(scene(script("s", """
        f = int(absTime.frame)
        print('frame', f)
        if f == 1:
            run("print('string, 2 frames later', args, int(absTime.frame), me.name)", 7, delayFrames=2)
            run(lambda a, b: print('callable at the end of frame', int(absTime.frame), a, b), 'x', 'y')
            r = run("print('killed')", delayFrames=1)
            print(r.remainingFrames, r.isString)
            r.kill()
            run("print('end of frame 2')", delayFrames=1, endFrame=True)
    """), frames="1-4")))
    assert lines == [
        "frame 1", "1 True", "callable at the end of frame 1 x y",
        "frame 2", "end of frame 2",
        "string, 2 frames later (7,) 3 s", "frame 3",
        "frame 4",
    ]


STORAGE = script("s", """
    if absTime.frame == 1:
        me.store('count', 0)
        parent().store('shared', 'from the parent')
    me.store('count', me.fetch('count') + 1)
    print(int(absTime.frame), me.fetch('count'), me.storage['count'], me.fetch('shared'),
          me.fetch('shared', search=False, default='no'), me.fetch('nothing', 5))
    if absTime.frame == 3:
        me.store('tmp1', 1); me.store('tmp2', 2)
        me.unstore('tmp*')
        print(sorted(me.storage))
""")


def test_storage_persists_across_frames_and_pre_roll(render):
    full = ok(render(scene(STORAGE, frames="1-4")))
    assert full == [
        "1 1 1 from the parent no 5", "2 2 2 from the parent no 5",
        "3 3 3 from the parent no 5", "['count']", "4 4 4 from the parent no 5",
    ]
    assert ok(render(scene(STORAGE, frames="1-4"), "--frames", "3-4")) == full[2:]


def test_fetch_without_default_raises_key_error(render):
    r = render(scene(script("s", "me.fetch('missing')"), frames="1"))
    assert r.returncode == 1 and "KeyError" in r.stderr and "fetch: no 'missing'" in r.stderr


def test_app_digits_inputs_outputs_and_sample(render):
    lines = ok(render(scene(textwrap.dedent("""
        noise12: {type: noiseTOP}
        c: {type: constantTOP, par: {colorr: 0.25, colorg: 0.5, colorb: 0.75}}
        level1: {type: levelTOP, inputs: [c]}
        grad:
          type: scriptTOP
          par: {resolutionw: 4, resolutionh: 2}
        grad_callbacks:
          type: textDAT
          text: |
            import numpy as np
            def onCook(scriptOp):
                a = np.zeros((2, 4, 4), dtype=np.float32)
                a[..., 0] = np.arange(4) / 4      # red grows to the right
                a[1, :, 1] = 1                    # green on numpy row 1 = the top row
                a[..., 3] = 1
                scriptOp.copyNumpyArray(a)
        """).strip("\n") + "\n" + script("s", """
        print(app.product, app.version == app.build, isinstance(app.osName, str))
        print(op('noise12').digits, op('noise12').base, op('c').digits)
        print([o.name for o in op('level1').inputs], [o.name for o in op('c').outputs])
        print(op('c').sample(x=0, y=0), op('c').sample(u=0.99, v=0.99))
        g = op('grad')
        print(g.sample(x=0, y=0), g.sample(x=3, y=1), g.sample(u=0.5, y=0), g.sample(x=100, y=-5))
        """), frames="1")))
    assert lines[0].startswith("netcook True True")
    assert lines[1:] == [
        "12 noise None",
        "['c'] ['level1']",
        "(0.25, 0.5, 0.75, 1.0) (0.25, 0.5, 0.75, 1.0)",
        "(0.0, 0.0, 0.0, 1.0) (0.75, 1.0, 0.0, 1.0) (0.5, 0.0, 0.0, 1.0) (0.75, 0.0, 0.0, 1.0)",
    ]


def test_add_error_and_errors_report_the_last_cook(render):
    r = render(scene(textwrap.dedent("""
        t1: {type: scriptTOP}
        t1_callbacks:
          type: textDAT
          text: |
            def onCook(scriptOp):
                if absTime.frame == 2:
                    scriptOp.addError('too dark')
                    scriptOp.addWarning('a little')
        """).strip("\n") + "\n" + script("s", """
        t = op('t1')
        t.cook()
        print(int(absTime.frame), repr(t.errors()), repr(t.warnings()), repr(parent().errors(recurse=True)))
        """), frames="1-3"))
    assert ok(r) == [
        "1 '' '' ''",
        "2 'too dark' 'a little' 'too dark'",
        "3 '' '' ''",
    ]
    assert "/project1/t1: error at frame 2: too dark" in r.stderr


def test_add_error_outside_a_cook_is_refused(render):
    r = render(scene(script("s", "me.addError('x')"), frames="1"))
    assert r.returncode == 1 and "only while the operator cooks" in r.stderr


def test_script_top_size_inside_on_cook_is_its_resolution(render):
    lines = ok(render(scene(textwrap.dedent("""
        t1:
          type: scriptTOP
          par: {resolutionw: 32, resolutionh: 16}
        t1_callbacks:
          type: textDAT
          text: |
            import numpy as np
            def onCook(scriptOp):
                print('onCook', scriptOp.width, scriptOp.height, scriptOp.aspect)
                scriptOp.copyNumpyArray(np.zeros((scriptOp.height, scriptOp.width, 4), dtype=np.float32))
        n: {type: noiseTOP, par: {resolutionw: 12, resolutionh: 6}}
        t2: {type: scriptTOP, inputs: [n]}
        t2_callbacks:
          type: textDAT
          text: |
            def onCook(scriptOp):
                print('filter', scriptOp.width, scriptOp.height)
        """).strip("\n") + "\n" + script("s", "print('after', op('t1').width, op('t1').height, op('t2').width)"), frames="1-2")))
    assert lines == ["onCook 32 16 2.0", "filter 12 6", "after 32 16 12"] * 2


def test_storage_and_runs_are_part_of_a_snapshot(tmp_path):
    sys.path.insert(0, os.environ.get("NETCOOK_PYTHONPATH", str(REPO / "build" / "python")))
    import netcook
    path = tmp_path / "s.yaml"
    path.write_text(scene(script("s", """
        if absTime.frame == 1:
            me.store('log', [])
            run("me.fetch('log').append(int(absTime.frame))", delayFrames=3)
        me.fetch('log').append(-int(absTime.frame))
    """), frames="1-6"))
    a = netcook.Session(str(path))
    a.cook(2)
    snap = a.snapshot()
    b = netcook.Session(str(path))
    b.restore(snap)
    for s in (a, b):
        s.cook(5)
    logs = [s.op("s").fetch("log") for s in (a, b)]
    assert logs[0] == logs[1] == [-1, -2, -3, 4, -4, -5]

    lam = tmp_path / "l.yaml"
    lam.write_text(scene(script("s", "run(lambda: None, delayFrames=5)"), frames="1-6"))
    c = netcook.Session(str(lam))
    c.cook(1)
    with pytest.raises(Exception, match="cannot snapshot the scripts' Python state"):
        c.snapshot()


def test_menu_labels_and_label_suggestions_from_python(render):
    r = render(scene(textwrap.dedent("""
        lfo1: {type: lfoCHOP}
        """).strip("\n") + "\n" + script("s", """
        l = op('lfo1')
        l.par.wavetype = 'Triangle'
        print(l.par.wavetype.eval())
        try:
            l.par.wavetype = 'gausian'
        except ValueError as e:
            print('ValueError', 'did you mean' in str(e), "'normal' (Gaussian)" in str(e))
        l.par.type = 1
    """), frames="1"))
    lines = r.stdout.splitlines()
    assert lines == ["tri", "ValueError True True"], r
    assert r.returncode == 1 and "did you mean 'wavetype' (Type)?" in r.stderr
