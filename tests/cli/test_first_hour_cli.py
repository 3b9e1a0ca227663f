"""Issue 14, the command line: `info` shows what a render sees, --set
against scripts, short options, output choices, CLI wording."""
import textwrap


def scene(ops, frames="1-10", outputs=""):
    body = textwrap.indent(textwrap.dedent(ops).strip("\n"), "  ")
    return f"netcook: 1\nfps: 60\nframes: {frames}\nresolution: [16, 8]\nops:\n{body}\n{outputs}"


# Item 7: info shows values as a render of that frame cooks with them

INFO_SCENE = scene("""
    c: {type: constantTOP}
    blur1: {type: blurTOP, inputs: [c], par: {size: {expr: "me.time.frame * 2"}}}
    counter:
      type: textDAT
      run: frame
      text: |
        print('script output is not part of the tree', me.time.frame)
        op('c').par.colorr = op('c').par.colorr + 0.125
    """)


def parameter_value(stdout, op_name, par):
    lines = stdout.splitlines()
    at = next(i for i, l in enumerate(lines) if l.strip().startswith(op_name + "  ("))
    for l in lines[at + 1:]:
        if l.strip().startswith(par + " = "):
            return l.split(" = ", 1)[1].split("    [expr")[0]
    raise AssertionError(f"{op_name}.{par} not in {stdout}")


def test_info_shows_values_as_the_render_of_that_frame_sees_them(netcook, write_scene):
    write_scene(INFO_SCENE)
    for frame, scripted, expr in ((1, "0.125", "2"), (6, "0.75", "12")):
        r = netcook("info", "scene.yaml", "--frame", frame)
        assert r.returncode == 0, r
        assert parameter_value(r.stdout, "c", "colorr") == scripted  # the script ran `frame` times
        assert parameter_value(r.stdout, "blur1", "size") == expr
        assert "script output" not in r.stdout
        assert f"values at frame {frame} as a render cooks with them" in r.stdout
    # the same values a render's own script sees when it reads them at that frame
    write_scene(INFO_SCENE.replace("print('script output is not part of the tree', me.time.frame)",
                                   "pass") + textwrap.indent(textwrap.dedent("""
        show:
          type: textDAT
          run: frame
          text: |
            print(me.time.frame, op('c').par.colorr.eval(), op('blur1').par.size.eval())
        """), "  "), name="render.yaml")
    r = netcook("render", "render.yaml", "--no-write", "--quiet", "--frames", "6")
    assert r.stdout.strip() == "6.0 0.75 12.0", r
