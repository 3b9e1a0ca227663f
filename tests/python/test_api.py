"""The td API beyond the tutorial: Par semantics, paths, mod, callbacks and
their order within a frame, Script TOP numpy round trip, tracebacks."""
import math
import textwrap

import numpy as np
import OpenImageIO as oiio


def scene(ops, frames="1-3", fps=60, resolution="[16, 8]"):
    return f"netcook: 1\nfps: {fps}\nframes: {frames}\nresolution: {resolution}\nops:\n" + textwrap.indent(
        textwrap.dedent(ops).strip("\n"), "  ") + "\n"


def dat(name, code, run="frame", extra=""):
    """A textDAT entry whose text is `code`."""
    body = textwrap.indent(textwrap.dedent(code).strip("\n"), "    ")
    return f"{name}:\n  type: textDAT\n  run: {run}\n{extra}  text: |\n{body}\n"


NETWORK = """
noise1: {type: noiseTOP, par: {period: 20}}
blur1: {type: blurTOP, inputs: [noise1], par: {size: 2}}
level1: {type: levelTOP, inputs: [blur1]}
container1:
  type: containerCOMP
  ops:
    noise1: {type: noiseTOP}
    inner: {type: textDAT}
container2:
  type: containerCOMP
  ops:
    op: {type: nullTOP, inputs: [../noise1]}
"""


def test_par_modes_and_expression_switching(render):
    r = render(scene(NETWORK + dat("script1", """
        b = op('blur1').par.size
        if me.time.frame == 1:
            print(b.mode == ParMode.CONSTANT, b.eval(), b.val, b.default)
            b.expr = "me.time.frame * 2"
            print(b.mode == ParMode.EXPRESSION, b.expr, b.eval())
        elif me.time.frame == 2:
            print(b.mode == ParMode.EXPRESSION, b.eval(), b.val)
            b.val = 7
            print(b.mode == ParMode.CONSTANT, b.eval(), b.expr)
        else:
            b.mode = ParMode.EXPRESSION
            print(b.eval())
            op('blur1').par.size = 3
            print(b.mode == ParMode.CONSTANT, b.eval(), b.reset(), b.eval())
    """)))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == [
        "True 2.0 2.0 10.0",
        "True me.time.frame * 2 2.0",
        "True 4.0 2.0",
        "True 7.0 me.time.frame * 2",
        "6.0",
        "True 3.0 True 10.0",
    ]


def test_par_acts_as_a_number_and_string(render):
    r = render(scene(NETWORK + dat("script1", """
        s = op('blur1').par.size
        n = op('noise1').par.type
        print(s + 1, 1 + s, s * 2, s / 4, -s, abs(s), s ** 2, 10 - s, s // 3, s % 3)
        print(s == 2, s > 1, s < 1, s != 2, f"{s:.2f}", str(s), int(s), float(s), round(s))
        print(n == 'harmonic', n + '!', f"{n}", n.menuNames, n.menuIndex)
        print(op('noise1').par.mono == True, bool(op('noise1').par.mono))
    """, extra=""), frames="1"))
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    assert lines[0] == "3.0 3.0 4.0 0.5 -2.0 2.0 4.0 8.0 0.0 2.0"
    assert lines[1] == "True True False False 2.00 2.0 2 2.0 2"
    assert lines[2] == "True harmonic! harmonic ['harmonic', 'sparse', 'random'] 0"
    assert lines[3] == "True True"


def test_menus_take_names_aliases_and_indices(render):
    r = render(scene(NETWORK + dat("script1", """
        b = op('blur1')
        b.par.filtertype = 'gauss'
        print(b.par.filter.eval(), b.par.filtertype.eval())
        b.par.filter = 1
        print(b.par.filter, b.par.filter.menuIndex)
        b.par.filter.menuIndex = 0
        print(b.par.filter)
    """), frames="1"))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["gaussian gaussian", "box 1", "gaussian"]


def test_bad_values_raise_named_errors(render):
    r = render(scene(NETWORK + dat("script1", """
        b = op('blur1')
        for value in ['big', None]:
            try:
                b.par.size = value
            except (TypeError, ValueError) as e:
                print(type(e).__name__, e)
        try:
            b.par.filter = 'gaussain'
        except ValueError as e:
            print('ValueError', e)
        try:
            b.par.filter = 9
        except ValueError as e:
            print('ValueError', e)
        try:
            b.par.siz
        except AttributeError as e:
            print('AttributeError', e)
        try:
            b.widht
        except AttributeError as e:
            print('AttributeError', e)
    """), frames="1"))
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    assert lines[0].startswith("TypeError") and "'size'" in lines[0]
    assert lines[1].startswith("TypeError") and "'size'" in lines[1]
    assert lines[2].startswith("ValueError") and "did you mean 'gaussian'" in lines[2] and "'box'" in lines[2]
    assert lines[3].startswith("ValueError") and "out of range" in lines[3]
    assert lines[4].startswith("AttributeError") and "blurTOP has no parameter 'siz'" in lines[4]
    assert "did you mean 'size'" in lines[4]
    assert lines[5].startswith("AttributeError") and "did you mean 'width'" in lines[5]


def test_script_set_parameter_is_what_this_frame_cooks(netcook, tmp_path):
    text = scene(NETWORK + dat("script1", """
        op('level1').par.brightness1 = me.time.frame / 10
    """), frames="1-3") + "outputs:\n  - {op: level1, path: out/f.####.exr, bits: 32f}\n"
    (tmp_path / "s.yaml").write_text(text)
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode == 0, r
    base = (tmp_path / "base.yaml")
    base.write_text(text.replace("me.time.frame / 10", "0").replace("out/f.", "base/f."))
    assert netcook("render", "base.yaml", "--quiet").returncode == 0
    for f in (1, 2, 3):
        a = oiio.ImageBuf(str(tmp_path / f"out/f.{f:04d}.exr")).get_pixels(oiio.FLOAT)
        b = oiio.ImageBuf(str(tmp_path / f"base/f.{f:04d}.exr")).get_pixels(oiio.FLOAT)
        assert np.allclose(a[..., :3] - b[..., :3], f / 10, atol=1e-6)


def test_paths_and_operator_members(render):
    r = render(scene(NETWORK + """
container3:
  type: containerCOMP
  ops:
""" + textwrap.indent(dat("script1", """
    print(op('..').path, op('/').path, op('../noise1').path, op('nosuch'))
    print(op('../container2/op').path, op('/project1/container1/noise1').path)
    print(me.parent().path, me.parent(2).path, me.parent(3).path, me.parent(4))
    c1 = op('../container1')
    print(c1.op('noise1').path, [c.name for c in c1.children], c1.type, c1.family)
    n = op('../noise1')
    print(n.type, n.OPType, n.family, n.id == op(n.id).id, n.isCooking, n.width, n.height)
    print([o.name for o in n.outputs], [i.name for i in op('../blur1').inputs])
    print([c.name for c in op('/project1').findChildren(type='noiseTOP')])
    print(op('../noise1').numpyArray().shape, op('../noise1').numpyArray().dtype)
""", run="start"), "    "), frames="1"))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == [
        "/project1 / /project1/noise1 None",
        "/project1/container2/op /project1/container1/noise1",
        "/project1/container3 /project1 / None",
        "/project1/container1/noise1 ['noise1', 'inner'] containerCOMP COMP",
        "noiseTOP noiseTOP TOP True False 16 8",
        "['blur1', 'op'] ['noise1']",
        "['noise1', 'noise1']",
        "(8, 16, 4) float32",
    ]


def test_numpy_array_row_zero_is_the_bottom(netcook, tmp_path):
    (tmp_path / "s.yaml").write_text(scene("""
ramp:
  type: scriptTOP
ramp_callbacks:
  type: textDAT
  text: |
    import numpy as np
    def onCook(scriptOp):
        a = np.zeros((4, 3, 4), np.float32)
        a[0, :, 0] = 1.0        # row 0: red, the bottom row
        a[..., 3] = 1.0
        scriptOp.copyNumpyArray(a)
check:
  type: textDAT
  run: frame
  text: |
    a = op('ramp').numpyArray()
    print(a.shape, a[0, 0].tolist(), a[3, 0].tolist(), a.flags.writeable)
""", frames="1") + "outputs:\n  - {op: ramp, path: ramp.png}\n")
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["(4, 3, 4) [1.0, 0.0, 0.0, 1.0] [0.0, 0.0, 0.0, 1.0] False"]
    pixels = oiio.ImageBuf(str(tmp_path / "ramp.png")).get_pixels(oiio.UINT8)
    assert pixels[3, 0].tolist() == [255, 0, 0, 255]  # files are top row first: bottom row is last
    assert pixels[0, 0].tolist() == [0, 0, 0, 255]


def test_script_top_round_trip_and_dtypes(render):
    r = render(scene("""
src: {type: noiseTOP, par: {mono: false, resolutionw: 5, resolutionh: 3}}
s8:
  type: scriptTOP
  inputs: [src]
  par: {callbacks: cb}
cb:
  type: textDAT
  text: |
    import numpy as np
    def onCook(scriptOp):
        a = scriptOp.inputs[0].numpyArray()
        mode = int(me.time.frame)
        if mode == 1:
            scriptOp.copyNumpyArray(a.copy())
        elif mode == 2:
            scriptOp.copyNumpyArray(np.round(np.clip(a, 0, 1) * 255).astype(np.uint8))
        else:
            scriptOp.copyNumpyArray(a[..., :3].copy())
check:
  type: textDAT
  run: frame
  text: |
    import numpy as np
    a = op('src').numpyArray()
    b = op('s8').numpyArray()
    f = me.time.frame
    if f == 1:
        print(np.array_equal(a, b), b.shape)
    elif f == 2:
        print(np.abs(np.clip(a, 0, 1) - b).max() <= 0.5 / 255 + 1e-6)
    else:
        print(np.array_equal(a[..., :3], b[..., :3]), float(b[..., 3].min()))
"""))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["True (3, 5, 4)", "True", "True 1.0"]


def test_copy_numpy_array_rejects_bad_input(render):
    r = render(scene("""
s: {type: scriptTOP, par: {callbacks: cb}}
cb:
  type: textDAT
  text: |
    import numpy as np
    def onCook(scriptOp):
        scriptOp.copyNumpyArray(np.zeros((2, 2, 4), np.float64))
use: {type: textDAT, run: frame, text: "op('s').width"}
""", frames="1"))
    assert r.returncode == 1
    assert "onCook" in r.stderr and "float64" in r.stderr and "TypeError" in r.stderr


def test_mod_values_persist_across_frames(render):
    r = render(scene(dat("counter", """
        count = 0
        def bump():
            global count
            count += 1
            return count
    """, run="never") + dat("script1", """
        print(mod.counter.bump(), mod('counter').count, mod.counter is mod('/project1/counter'))
    """)))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["1 1 True", "2 2 True", "3 3 True"]


def test_partial_render_replays_frame_scripts(render):
    code = scene(dat("counter", """
        count = 0
    """, run="never") + dat("script1", """
        mod.counter.count += 1
        print(me.time.frame, mod.counter.count, absTime.frame)
    """), frames="1-6")
    full = render(code)
    part = render(code, "--frames", "4-6")
    assert full.returncode == 0 and part.returncode == 0, (full, part)
    assert full.stdout.splitlines()[3:] == part.stdout.splitlines()
    assert part.stdout.splitlines()[0] == "4.0 4 4.0"


def test_callback_order_within_a_frame(render):
    r = render(scene("""
lfo1: {type: lfoCHOP, par: {wavetype: square, frequency: 15}}
target: {type: constantTOP}
""" + dat("first", "print('script first', me.time.frame)") + """
ex1:
  type: executeDAT
  par: {start: true, framestart: true, frameend: true}
  text: |
    def onStart():
        print('onStart')
    def onFrameStart(frame):
        print('onFrameStart', frame)
    def onFrameEnd(frame):
        print('onFrameEnd', frame)
chopex1:
  type: chopexecuteDAT
  par: {chop: lfo1, offtoon: true, ontooff: true, valuechange: true}
  text: |
    def onOffToOn(channel, sampleIndex, val, prev):
        print('onOffToOn', channel.name, val, prev)
    def onOnToOff(channel, sampleIndex, val, prev):
        print('onOnToOff', channel.name, val, prev)
    def onValueChange(channel, sampleIndex, val, prev):
        print('onValueChange', val, prev)
parex1:
  type: parameterexecuteDAT
  par: {op: target, pars: "colorr alpha"}
  text: |
    def onValueChange(par, prev):
        print('par', par.name, prev, par.eval())
""" + dat("last", """
    op('target').par.colorr = me.time.frame
    print('script last', me.time.frame)
""") + """
start1:
  type: textDAT
  run: start
  text: print('start script')
""", frames="1-4", fps=60) + "outputs:\n  - {op: target, path: t.####.png}\n".replace("t.####.png", "t.####.png"),
        "--out", "o.####.png")
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    # start: document order (executeDAT before the start script that follows it)
    assert lines[:2] == ["onStart", "start script"]
    frame2 = lines[lines.index("script first 2.0"):lines.index("onFrameEnd 2") + 1]
    assert frame2[:2] == ["script first 2.0", "onFrameStart 2"]
    assert frame2[2] == "script last 2.0"
    assert "par colorr 1.0 2.0" in frame2
    assert frame2[-1] == "onFrameEnd 2"
    assert frame2.index("script last 2.0") < frame2.index("par colorr 1.0 2.0")
    # square LFO at 15 Hz, 60 fps: 1 at frames 1-2, -1 at 3-4
    assert "onOnToOff chan1 -1.0 1.0" in lines
    assert "onValueChange -1.0 1.0" in lines


def test_parameter_execute_arity(render):
    r = render(scene("""
c: {type: constantTOP}
pe:
  type: parameterexecuteDAT
  par: {op: c, pars: colorg}
  text: |
    def onValueChange(par, val, prev):
        print(par.name, val, prev)
""" + dat("drive", "op('c').par.colorg = me.time.frame"), frames="1-3"))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["colorg 2.0 1.0", "colorg 3.0 2.0"]


def test_script_chop_and_script_dat(render):
    r = render(scene("""
sc: {type: scriptCHOP, par: {callbacks: chopcb}}
chopcb:
  type: textDAT
  text: |
    def onCook(scriptOp):
        scriptOp.clear()
        scriptOp.numSamples = 1
        c = scriptOp.appendChan('value')
        c.vals = [me.time.frame * 2]
        d = scriptOp.appendChan('other')
        d.vals = [0.5]
sd: {type: scriptDAT, par: {callbacks: datcb}}
datcb:
  type: textDAT
  text: |
    def onCook(scriptOp):
        scriptOp.clear()
        scriptOp.appendRow(['name', 'value'])
        scriptOp.appendRow(['frame', int(me.time.frame)])
        scriptOp[1, 'value'] = scriptOp[1, 'value'].val + '!'
""" + dat("show", """
    c = op('sc')
    print(c.numChans, c['value'].eval(), c[1].name, c['value'] + 1)
    t = op('sd')
    print(t.numRows, t.numCols, t[0, 0].val, t[1, 'value'].val)
"""), frames="1-2"))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["2 2.0 other 3.0", "2 2 name 1!", "2 4.0 other 5.0", "2 2 name 2!"]


def test_traceback_points_at_the_scene_line(netcook, tmp_path):
    text = scene(NETWORK + dat("script1", """
        x = 1
        if me.time.frame == 3:
            op('blur1').par.size = undefined_name
    """), frames="1-5") + "outputs:\n  - {op: level1, path: out/f.####.png}\n"
    (tmp_path / "s.yaml").write_text(text)
    lines = text.splitlines()
    expected_line = next(i for i, l in enumerate(lines, 1) if "undefined_name" in l)
    r = netcook("render", "s.yaml", "--quiet")
    assert r.returncode == 1
    assert f'File "s.yaml", line {expected_line}' in r.stderr
    assert "NameError" in r.stderr and "undefined_name" in r.stderr
    assert "frame 3" in r.stderr
    # the carets sit under the failing name in the scene file's own line
    err = r.stderr.splitlines()
    source = next(i for i, l in enumerate(err) if l.strip() == lines[expected_line - 1].strip())
    assert err[source + 1].index("^") == err[source].index("undefined_name")
    # frames before the failure are kept, complete; nothing after
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["f.0001.png", "f.0002.png"]


def test_text_override_swaps_a_dat(render, tmp_path):
    (tmp_path / "other.py").write_text("print('from file', me.name)\nraise RuntimeError('boom')\n")
    code = scene(dat("script1", "print('inline')"), frames="1")
    assert render(code).stdout == "inline\n"
    r = render(code, "--text", "script1=other.py")
    assert r.returncode == 1
    assert r.stdout == "from file script1\n"
    assert 'File "other.py", line 2' in r.stderr


def test_debug_names_the_dat_and_line(render):
    r = render(scene(dat("script1", """
        x = 41
        debug('value', x + 1)
    """), frames="1"))
    assert r.returncode == 0, r
    line = r.stdout.strip()
    assert line.startswith("value 42") and "/project1/script1" in line and "line:" in line


def test_absolute_and_timeline_time(render):
    r = render(scene(dat("script1", """
        t = me.time
        print(t.frame, t.seconds, t.rate, t.start, t.end, absTime.frame, project.cookRate, root.path)
    """), frames="3-4", fps=30))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == [
        f"3.0 {2/30!r} 30.0 1.0 4.0 3.0 30.0 /",
        f"4.0 {3/30!r} 30.0 1.0 4.0 4.0 30.0 /",
    ]


def test_stateful_operator_read_only_by_expression_is_pre_rolled(render):
    code = scene("""
lfo1: {type: lfoCHOP, par: {frequency: {expr: "0.5 + me.time.frame * 0.3"}}}
c: {type: constantTOP, par: {colorr: {expr: "op('lfo1')[0].eval()"}}}
""" + dat("show", "print(me.time.frame, op('c').par.colorr.eval())"), frames="1-8")
    full = render(code)
    part = render(code, "--frames", "5-8")
    assert full.returncode == 0 and part.returncode == 0, (full, part)
    assert full.stdout.splitlines()[4:] == part.stdout.splitlines()


def test_is_cooking_and_forced_cook(render):
    r = render(scene("""
s: {type: scriptTOP, par: {callbacks: cb}}
cb:
  type: textDAT
  text: |
    def onCook(scriptOp):
        print('cooking', scriptOp.isCooking)
""" + dat("show", """
    s = op('s')
    print('before', s.isCooking, s.totalCooks)
    s.cook()
    s.cook()
    s.cook(force=True)
    print('after', s.isCooking, s.totalCooks)
"""), frames="1"))
    assert r.returncode == 0, r
    # a Script TOP recooks every frame: the first cook() cooks, the second is
    # current, force=True cooks again
    assert r.stdout.splitlines() == ["before False 0", "cooking True", "cooking True", "after False 2"]


def test_op_patterns_and_ops(render):
    r = render(scene(NETWORK + dat("script1", """
        print(op('noise*').name, op('nois?1').path, op('zz*'))
        print([o.path for o in ops('noise1 blur*', 'level1')])
        print([o.name for o in ops('container1/noi*', '/project1/container?')])
        print([o.name for o in op('container1').ops('*')])
    """), frames="1"))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == [
        "noise1 /project1/noise1 None",
        "['/project1/noise1', '/project1/blur1', '/project1/level1']",
        "['noise1', 'container1', 'container2']",
        "['noise1', 'inner']",
    ]
