"""Issue 14, item 11: TouchDesigner's operator shortcuts from a COMP's
Shortcuts page: op.NAME (opshortcut), parent.NAME (parentshortcut),
iop.NAME and ipar.NAME (iop0shortcut/iop0op ...), global and as members."""
import textwrap

RIG = """
netcook: 1
fps: 60
frames: 1-2
resolution: [8, 8]
ops:
  rig:
    type: containerCOMP
    par:
      parentshortcut: Rig
      opshortcut: TheRig
      iop0shortcut: Settings
      iop0op: ./settings
      iop1shortcut: Blur
      iop1op: inner/blur1
    ops:
      settings:
        type: baseCOMP
      inner:
        type: containerCOMP
        par: {iop0shortcut: Blur, iop0op: noise1, parentshortcut: Inner}
        ops:
          noise1: {type: noiseTOP}
          blur1: {type: blurTOP, inputs: [noise1]}
          script1:
            type: textDAT
            run: frame
            text: |
%s
  outside:
    type: textDAT
    run: frame
    text: |
      print('outside', op.TheRig.path, op('rig/inner/blur1').par.size.eval())
"""


def rig(code):
    return RIG % textwrap.indent(textwrap.dedent(code).strip("\n"), " " * 14)


def test_shortcuts_resolve_as_touchdesigner_searches(render):
    r = render(rig("""
        print(op.TheRig.path, parent.Rig.path, parent.Inner.path, parent().path, parent(2).path)
        print(iop.Blur.path, me.iop.Settings.path, op('/project1/rig').iop.Blur.path)
        print(me.parent.Rig.path, me.parent().path, me.parent(2).name)
    """), "--frames", "1")
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == [
        # The nearest component declaring Blur is inner: its Blur is noise1.
        "/project1/rig /project1/rig /project1/rig/inner /project1/rig/inner /project1/rig",
        "/project1/rig/inner/noise1 /project1/rig/settings /project1/rig/inner/blur1",
        "/project1/rig /project1/rig/inner rig",
        "outside /project1/rig 10.0",
    ]


def test_ipar_reads_and_writes_the_internal_operators_parameters(render):
    r = render(rig("""
        print(ipar.Blur.seed.eval(), op('/project1/rig').ipar.Blur.size.eval())
        op('/project1/rig').ipar.Blur.size = 3 + absTime.frame
    """))
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == ["1.0 10.0", "outside /project1/rig 4.0", "1.0 4.0", "outside /project1/rig 5.0"]


def test_an_unknown_shortcut_says_what_exists_and_where_it_looked(render):
    r = render(rig("print(iop.Setings)"), "--frames", "1")
    assert r.returncode == 1
    assert "no component around /project1/rig/inner/script1 declares an internal OP shortcut 'Setings'" in r.stderr
    assert "did you mean 'Settings'?" in r.stderr
    r = render(rig("print(parent.rig)"), "--frames", "1")
    assert "no component above /project1/rig/inner/script1 has parentshortcut 'rig'" in r.stderr
    assert "did you mean 'Rig'?" in r.stderr
    r = render(rig("print(op.Rig)"), "--frames", "1")
    assert "no component has opshortcut 'Rig'" in r.stderr
    assert "known here: TheRig" in r.stderr


def test_an_internal_op_whose_path_names_nothing_is_none_with_a_hint(render):
    text = rig("print(iop.Settings)").replace("iop0op: ./settings", "iop0op: ./setings")
    r = render(text, "--frames", "1")
    assert r.returncode == 0, r
    assert r.stdout.splitlines()[0] == "None"
    r = render(rig("print(iop.Settings.path)").replace("iop0op: ./settings", "iop0op: ./setings"), "--frames", "1")
    assert r.returncode == 1
    assert "op('./setings') found no operator and returned None" in r.stderr


def test_bad_shortcut_names_are_scene_errors(render):
    cases = {
        "iop0shortcut: Settings": ("iop0shortcut: my settings", "iop0shortcut 'my settings' is not a name"),
        "parentshortcut: Rig": ("parentshortcut: 1rig", "parentshortcut '1rig' is not a name"),
        "iop1shortcut: Blur": ("iop1shortcut: Settings", "internal OP shortcut 'Settings' is declared twice"),
        "iop1op: inner/blur1": ("iop1op: ''", "iop1shortcut 'Blur' has no operator: set iop1op"),
    }
    for good, (bad, message) in cases.items():
        text = rig("print(1)").replace(good, bad)
        r = render(text)
        assert r.returncode == 2, (bad, r)
        # The error points at the shortcut of the block at fault.
        at = bad if "shortcut" in bad else "iop1shortcut: Blur"
        line = text.splitlines().index("      " + at) + 1
        assert f"scene.yaml:{line}:" in r.stderr and message in r.stderr, (bad, r.stderr)
