"""`netcook test`: manifests, verdicts, isolation, bless and the reports.

Each test builds a small project in tmp_path: a scene whose Script TOP
paints a known 16x8 picture (the callbacks DAT's text is swapped per case
with the manifest's `text:`), goldens blessed from it, then cases that
perturb it in known ways.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess

import numpy as np
import OpenImageIO as oiio
import pytest

SCENE = """\
netcook: 1
fps: 30
frames: 1-2
resolution: [16, 8]
ops:
  paint: {type: scriptTOP, par: {callbacks: cb}}
  cb:
    type: textDAT
    file: base.py
  show:
    type: textDAT
    run: frame
    text: print('frame', int(me.time.frame), 'done')
outputs:
  - {op: paint, path: out/paint.####.png}
"""

# A horizontal ramp in R, the frame number in G: every pixel known.
BASE = """\
import numpy as np
def picture():
    a = np.zeros((8, 16, 4), np.float32)
    a[..., 0] = np.linspace(0, 1, 16, dtype=np.float32)[None, :]
    a[..., 1] = me.time.frame / 10.0
    a[..., 2] = 0.5
    a[..., 3] = 1.0
    return a
def onCook(scriptOp):
    scriptOp.copyNumpyArray(picture())
"""

PERTURBED = BASE.replace("    return a\n", "    a[2, 3:10, 2] += 0.25   # 7 pixels of one row\n    return a\n")
NOISY = BASE.replace("    return a\n", "    a[..., 2] += 0.001       # every pixel, a little\n    return a\n")
RESIZED = BASE.replace("np.zeros((8, 16, 4)", "np.zeros((8, 12, 4)").replace("linspace(0, 1, 16", "linspace(0, 1, 12")
RAISES = BASE.replace("def onCook(scriptOp):\n", "def onCook(scriptOp):\n    raise ValueError('the brush broke')\n")
# abort(): a crash by a signal that AddressSanitizer builds (make asan) do
# not intercept, unlike SIGSEGV.
CRASHES = BASE.replace("def onCook(scriptOp):\n", "def onCook(scriptOp):\n    import os\n    os.abort()\n")
LOOPS = BASE.replace("def onCook(scriptOp):\n", "def onCook(scriptOp):\n    while True:\n        pass\n")
STOPS = BASE.replace("def onCook(scriptOp):\n",
                     "def onCook(scriptOp):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGSTOP)\n")

MANIFEST_HEAD = """\
netcook-tests: 1
defaults:
  frames: 1-2
cases:
"""


def write_project(root, cases, head=MANIFEST_HEAD):
    root = pathlib.Path(root)
    (root / "scene.yaml").write_text(SCENE)
    for name, text in dict(base=BASE, perturbed=PERTURBED, noisy=NOISY, resized=RESIZED, raises=RAISES,
                           crashes=CRASHES, loops=LOOPS, stops=STOPS).items():
        (root / f"{name}.py").write_text(text)
    (root / "netcook-tests.yaml").write_text(head + cases)
    return root / "netcook-tests.yaml"


BASE_CASE = """\
  base:
    scene: scene.yaml
    golden: golden/base
"""


@pytest.fixture
def blessed(tmp_path, netcook):
    """A project whose golden/base/ holds the base picture's goldens."""
    write_project(tmp_path, BASE_CASE)
    r = netcook("test", "--bless", "base")
    assert r.returncode == 0, r
    assert "golden/base/paint.0001.png: new" in r.stdout and "golden/base/paint.0002.png: new" in r.stdout
    return tmp_path


def case(name, text_file=None, extra=""):
    s = f"  {name}:\n    scene: scene.yaml\n"
    if text_file:
        s += f"    text: {{cb: {text_file}}}\n"
    if "golden:" not in extra:
        s += "    golden: golden/base\n"   # every case compares with the base picture
    return s + extra


def run_json(netcook, *args):
    r = netcook("test", *args, "--json", "result.json", "--junit", "junit.xml", "--report", "report")
    return r


def load_results(root):
    data = json.loads((pathlib.Path(root) / "result.json").read_text())
    return data, {c["name"]: c for c in data["cases"]}


def test_goldens_are_16_bit_png_and_the_base_passes(blessed, netcook):
    spec = oiio.ImageInput.open(str(blessed / "golden/base/paint.0001.png")).spec()
    assert (spec.width, spec.height, spec.format) == (16, 8, oiio.UINT16)
    r = run_json(netcook)
    assert r.returncode == 0, r
    data, cases = load_results(blessed)
    assert data["summary"] == {**data["summary"], "cases": 1, "passed": 1, "failed": 0, "errors": 0}
    assert cases["base"]["status"] == "pass"
    assert [i["max_error"] for i in cases["base"]["images"]] == [0, 0]


def test_every_failure_fails_only_its_case(blessed, netcook):
    write_project(blessed, BASE_CASE + case("perturbed", "perturbed.py") + case("noisy", "noisy.py",
                  "    fail: 0.002\n    warn: 0.0005\n") + case("noise_beyond", "noisy.py") +
                  case("tolerated", "perturbed.py", "    failpercent: 10\n") +
                  case("resized", "resized.py") + case("missing", extra="    golden: golden/nothing_here\n") +
                  case("scene_error", extra="    set: {paint.nosuchpar: 3}\n") + case("raises", "raises.py") +
                  case("crashes", "crashes.py") + case("loops", "loops.py", "    timeout: 1\n") +
                  case("stops", "stops.py", "    timeout: 4\n"))   # room to reach onCook on a busy machine
    r = run_json(netcook, "-j", "3")
    assert r.returncode == 1, r
    data, cases = load_results(blessed)
    status = {name: c["status"] for name, c in cases.items()}
    assert status == {"base": "pass", "perturbed": "fail", "noisy": "pass", "tolerated": "warn",
                      "noise_beyond": "fail", "resized": "fail",
                      "missing": "fail", "scene_error": "error", "raises": "error", "crashes": "error",
                      "loops": "error", "stops": "error"}
    assert data["summary"]["passed"] == 2 and data["summary"]["warned"] == 1
    assert data["summary"]["failed"] == 4 and data["summary"]["errors"] == 5

    # A perturbed parameter: exactly the 7 pixels, by 0.25, in B, on both frames.
    for image in cases["perturbed"]["images"]:
        assert image["verdict"] == "fail"
        assert (image["over_fail"], image["pixels"]) == (7, 128)
        assert image["max_error"] == pytest.approx(0.25, abs=1e-4)
        assert image["max_channel"] == 2 and image["max_y"] in (2, 5)  # row 2 from the bottom = file row 5
        assert image["diff_image"] and (blessed / "report" / image["diff_image"]).exists()
        assert (blessed / "report" / image["golden_image"]).exists()
    assert "7 pixels" in cases["perturbed"]["reason"] and "paint frame 1" in cases["perturbed"]["reason"]
    # Noise within the fail threshold passes (as in idiff, pixels within
    # `fail` do not warn); failures within failpercent warn.
    assert all(i["verdict"] == "pass" and i["over_fail"] == 0 and i["over_warn"] == 128
               for i in cases["noisy"]["images"])
    assert all(i["verdict"] == "warn" and i["over_fail"] == 7 for i in cases["tolerated"]["images"])
    assert "7 pixels" in cases["tolerated"]["reason"]
    assert "128 pixels" in cases["noise_beyond"]["reason"]
    assert "size" in cases["resized"]["reason"] and "12x8" in cases["resized"]["reason"]
    assert "no golden" in cases["missing"]["reason"] and "--bless missing" in cases["missing"]["reason"]
    assert cases["scene_error"]["reason"].startswith("scene error: ") and "nosuchpar" in cases["scene_error"]["reason"]
    assert cases["raises"]["reason"].startswith("Python exception: ")
    assert "the brush broke" in cases["raises"]["details"] and "ValueError" in cases["raises"]["details"]
    assert cases["crashes"]["reason"] == "the case's process crashed: SIGABRT (Aborted)"
    assert cases["loops"]["reason"].startswith("timed out after 1 s")
    # A stopped process never answers its own timeout: the parent kills it.
    assert cases["stops"]["reason"] == "timed out after 4 s (its process was killed)"
    # The terminal names every failing case with its reason.
    for name in ("perturbed", "scene_error", "crashes", "stops"):
        assert re.search(rf"^(FAIL |ERROR) {name}: ", r.stderr, re.M), r.stderr
    assert "12 cases: 2 passed, 1 warned, 4 failed, 5 errors" in r.stderr
    assert re.search(r"^WARN  tolerated: ", r.stderr, re.M)


def test_bless_then_retest_passes(blessed, netcook):
    write_project(blessed, case("perturbed", "perturbed.py", "    golden: golden/perturbed\n") +
                  case("other", "noisy.py", "    golden: golden/other\n"))
    r = netcook("test", "--filter", "pert*")
    assert r.returncode == 1 and "no golden" in r.stderr
    shutil.copytree(blessed / "golden/base", blessed / "golden/perturbed")
    r = netcook("test", "--bless-failed")
    assert r.returncode == 0, r
    # What changed and by how much, golden by golden; nothing silently.
    assert re.search(r"blessed .*golden/perturbed/paint.0001.png: changed: 7 of 128 pixels .*largest 0\.25", r.stdout), r
    assert "golden/other/paint.0001.png: new" in r.stdout
    r = netcook("test")
    assert r.returncode == 0, r
    r = netcook("test", "--bless", "perturbed")
    assert r.returncode == 0 and "perturbed: 2 goldens unchanged" in r.stdout, r
    r = netcook("test", "--bless", "pertrubed")
    assert r.returncode == 2 and "did you mean 'perturbed'" in r.stderr


def test_expect_stdout(blessed, netcook):
    write_project(blessed, case("prints", extra="    expect_stdout: ['frame 1 done', {regex: 'frame \\d done'}]\n") +
                  case("silent", extra="    expect_stdout: ['frame 1 done', 'frame 3 done']\n"))
    r = run_json(netcook)
    assert r.returncode == 1, r
    _, cases = load_results(blessed)
    assert cases["prints"]["status"] == "pass"
    assert cases["prints"]["output"] == "frame 1 done\nframe 2 done\n"
    assert cases["silent"]["status"] == "fail"
    assert "did not print the line 'frame 3 done'" in cases["silent"]["reason"]
    assert "netcook-tests.yaml:" in cases["silent"]["reason"]


@pytest.mark.parametrize("manifest,message", [
    ("netcook-tests: 1\ncases:\n  a:\n    scene: scene.yaml\n    thresold: 3\n",
     r"netcook-tests.yaml:5:5: error: unknown key 'thresold' in case 'a'"),
    ("netcook-tests: 1\ncases:\n  a:\n    scene: scene.yaml\n    failpercnt: 3\n",
     r"netcook-tests.yaml:5:5: error: unknown key 'failpercnt' in case 'a'; did you mean .*'failpercent'"),
    ("netcook-tests: 1\ndefaults:\n  scene: x.yaml\ncases: {}\n",
     r"netcook-tests.yaml:3:3: error: unknown key 'scene' in defaults \(scene belongs to each case"),
    ("netcook-tests: 2\ncases: {}\n", r"netcook-tests.yaml:1:16: error: unsupported test manifest version 2"),
    ("netcook-test: 1\ncases: {}\n", r"netcook-tests.yaml:1:1: error: unknown top-level key 'netcook-test'; did you mean 'netcook-tests'"),
    ("netcook-tests: 1\ncases:\n  a:\n    scene: nowhere.yaml\n", r"netcook-tests.yaml:4:12: error: scene file 'nowhere.yaml' not found"),
    ("netcook-tests: 1\ncases:\n  a:\n    scene: scene.yaml\n    frames: 3-1\n", r"netcook-tests.yaml:5:13: error: frames: "),
    ("netcook-tests: 1\ncases:\n  a:\n    scene: scene.yaml\n    format: tiff\n", r"netcook-tests.yaml:5:13: error: format must be png \(16-bit\) or exr"),
    ("netcook-tests: 1\ncases:\n  a:\n    scene: scene.yaml\n    expect_stdout:\n      - regex: 'a('\n",
     r"netcook-tests.yaml:6:16: error: expect_stdout: invalid regular expression 'a\('"),
    ("netcook-tests: 1\ncases:\n  a:\n    frames: 1\n", r"netcook-tests.yaml:3:3: error: case 'a' needs 'scene:'"),
    ("netcook-tests: 1\ncases: [a, b\n", r"netcook-tests.yaml:\d+:\d+: error: YAML syntax error"),
])
def test_bad_manifests_exit_2_with_file_line_column(tmp_path, netcook, manifest, message):
    (tmp_path / "scene.yaml").write_text(SCENE)
    (tmp_path / "netcook-tests.yaml").write_text(manifest)
    r = netcook("test", "--report", "report")
    assert r.returncode == 2, r
    assert re.search(message, r.stderr), r.stderr
    assert not (tmp_path / "report" / "index.html").exists()


def test_no_manifest_and_unmatched_filter_are_bad_input(blessed, netcook, tmp_path):
    (tmp_path / "empty").mkdir()
    r = netcook("test", "empty")
    assert r.returncode == 2 and "no netcook-tests.yaml" in r.stderr
    r = netcook("test", "--filter", "zzz*")
    assert r.returncode == 2 and "no test case matching --filter" in r.stderr


def test_exr_goldens_keep_floats(tmp_path, netcook):
    write_project(tmp_path, case("hdr", "base.py", "    format: exr\n    golden: golden/hdr\n"))
    (tmp_path / "base.py").write_text(BASE.replace("a[..., 2] = 0.5", "a[..., 2] = 3.5"))
    assert netcook("test", "--bless").returncode == 0
    spec = oiio.ImageInput.open(str(tmp_path / "golden/hdr/paint.0001.exr")).spec()
    assert spec.format == oiio.FLOAT
    pixels = oiio.ImageBuf(str(tmp_path / "golden/hdr/paint.0001.exr")).get_pixels(oiio.FLOAT)
    assert np.all(pixels[..., 2] == 3.5)
    assert netcook("test").returncode == 0


# JUnit XML as Jenkins' and GitLab's parsers read it (the attributes and
# nesting of the widely used junit-10.xsd).
JUNIT_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:simpleType name="SECONDS"><xs:restriction base="xs:decimal"><xs:minInclusive value="0"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="ISO8601_DATETIME_PATTERN">
    <xs:restriction base="xs:dateTime"><xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="problem" mixed="true">
    <xs:simpleContent><xs:extension base="xs:string">
      <xs:attribute name="message" type="xs:string"/><xs:attribute name="type" type="xs:string" use="required"/>
    </xs:extension></xs:simpleContent>
  </xs:complexType>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:sequence>
        <xs:choice minOccurs="0" maxOccurs="unbounded">
          <xs:element name="skipped"><xs:complexType><xs:attribute name="message" type="xs:string"/></xs:complexType></xs:element>
          <xs:element name="error" type="problem"/>
          <xs:element name="failure" type="problem"/>
        </xs:choice>
        <xs:element name="system-out" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element name="system-err" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:token" use="required"/>
      <xs:attribute name="classname" type="xs:token" use="required"/>
      <xs:attribute name="time" type="SECONDS" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence><xs:element ref="testcase" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:token" use="required"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="SECONDS" use="required"/>
      <xs:attribute name="timestamp" type="ISO8601_DATETIME_PATTERN" use="required"/>
      <xs:attribute name="hostname" type="xs:token" use="required"/>
      <xs:attribute name="id" type="xs:nonNegativeInteger"/>
      <xs:attribute name="package" type="xs:token"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence><xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="SECONDS"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def test_junit_follows_the_schema(blessed, netcook):
    from lxml import etree
    write_project(blessed, BASE_CASE + case("perturbed", "perturbed.py") + case("raises", "raises.py") +
                  case("noisy", "perturbed.py", "    failpercent: 10\n") +
                  case("weird", extra="    set: {paint.nosuchpar: \"<&\\x01>\"}\n"))
    r = run_json(netcook)
    assert r.returncode == 1, r
    schema = etree.XMLSchema(etree.fromstring(JUNIT_XSD.encode()))
    doc = etree.parse(str(blessed / "junit.xml"))
    assert schema.validate(doc), schema.error_log
    root = doc.getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "1", "2")
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["base"].find("failure") is None and cases["base"].find("error") is None
    assert "7 pixels" in cases["perturbed"].find("failure").get("message")
    assert "the brush broke" in cases["raises"].find("error").text
    assert cases["raises"].find("system-out") is None or "frame" in cases["raises"].find("system-out").text
    assert "warning:" in cases["noisy"].find("system-err").text
    assert cases["base"].find("system-out").text == "frame 1 done\nframe 2 done\n"


def find_chromium():
    for name in ("chromium-headless-shell", "chromium"):
        path = shutil.which(name) or (f"/usr/lib/chromium/{name}" if os.path.exists(f"/usr/lib/chromium/{name}") else None)
        if path:
            return path
    pytest.fail("no chromium-headless-shell or chromium: run `make test-deps`")


def test_html_report_in_headless_chromium(blessed, netcook, tmp_path):
    write_project(blessed, BASE_CASE + case("a_passes_too", "base.py") + case("perturbed", "perturbed.py",
                  "    flip: true\n    ssim: true\n") + case("zz_noisy", "perturbed.py", "    failpercent: 10\n"))
    r = run_json(netcook)
    assert r.returncode == 1, r
    index = blessed / "report" / "index.html"
    profile = tmp_path / "chromium-profile"
    proc = subprocess.run(
        [find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", index.as_uri()],
        capture_output=True, text=True, timeout=120)
    dom = proc.stdout
    assert "<body" in dom, proc.stderr
    body = re.search(r"<body([^>]*)>", dom).group(1)
    attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body))
    # Every picture loaded (the page counts them on `load`).
    assert int(attrs["images-total"]) >= 4 * 2 + 2 * 3, attrs  # thumbnails + golden | result | diff
    assert attrs["images-loaded"] == attrs["images-total"], attrs
    assert attrs["images-broken"] == ""
    # The failing case comes first, then the warning, then the passes.
    order = re.findall(r'<section class="case (\w+)" data-status="?\w+"? data-name="([^"]+)"', dom)
    assert order == [("fail", "perturbed"), ("warn", "zz_noisy"), ("pass", "a_passes_too"), ("pass", "base")], order
    # Golden | result | diff side by side, and the flip / wipe toggles.
    first = dom.split('<section class="case')[1]
    for needle in ("golden.png", "result.png", "diff.png", "flip.png", "data-mode=\"flip\"", "data-mode=\"wipe\"",
                   "pixels over fail", "SSIM", "FLIP mean"):
        assert needle in first, needle
    _, cases = load_results(blessed)
    image = cases["perturbed"]["images"][0]
    assert 0 < image["flip_mean"] < 1 and 0 < image["ssim"] < 1
    assert (blessed / "report" / image["flip_image"]).exists()


def test_html_report_screenshot_shows_the_failure_first(blessed, netcook, tmp_path):
    write_project(blessed, BASE_CASE + case("perturbed", "perturbed.py"))
    assert run_json(netcook).returncode == 1
    shot = tmp_path / "shot.png"
    subprocess.run([find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'p'}",
                    "--window-size=800,600", "--virtual-time-budget=3000", f"--screenshot={shot}",
                    (blessed / "report" / "index.html").as_uri()], capture_output=True, timeout=120)
    pixels = np.asarray(oiio.ImageBuf(str(shot)).get_pixels(oiio.UINT8))
    # The first case's border (left, below the header) is the failure red.
    column = pixels[60:200, 16:22, :3].reshape(-1, 3)
    red = (column[:, 0] > 180) & (column[:, 1] < 80) & (column[:, 2] < 80)
    assert red.mean() > 0.5


def test_one_warm_process_forks_per_case(blessed, netcook):
    # -j 1 and -j 4 give the same verdicts, and a case's script state never
    # leaks into the next (each runs in a fresh fork of the parent).
    leak = BASE.replace("def onCook(scriptOp):\n",
                        "import builtins\nprint('leaked' if hasattr(builtins, 'marker') else 'fresh')\n"
                        "builtins.marker = 1\ndef onCook(scriptOp):\n")
    (blessed / "leak.py").write_text(leak)
    write_project(blessed, "".join(case(f"c{i}", "leak.py") for i in range(6)))
    (blessed / "leak.py").write_text(leak)
    for jobs in ("1", "4"):
        r = run_json(netcook, "-j", jobs)
        assert r.returncode == 0, r
        _, cases = load_results(blessed)
        assert all("fresh" in c["output"] and "leaked" not in c["output"] for c in cases.values()), cases


def test_bless_twice_leaves_noise_goldens_unchanged(tmp_path, netcook):
    # Values that 16-bit PNG rounds (noise, blur): the second bless finds
    # every golden unchanged and writes nothing.
    (tmp_path / "noise.yaml").write_text(
        "netcook: 1\nframes: 1-2\nresolution: [24, 16]\nops:\n"
        "  n: {type: noiseTOP, par: {period: 5, mono: false}}\n  b: {type: blurTOP, inputs: [n], par: {size: 2.5}}\n"
        "outputs:\n  - {op: b, path: b.####.png}\n")
    (tmp_path / "netcook-tests.yaml").write_text("netcook-tests: 1\ncases:\n  noise: {scene: noise.yaml}\n")
    r = netcook("test", "--bless")
    assert r.returncode == 0 and r.stdout.count(": new") == 2, r
    before = (tmp_path / "golden/noise/b.0001.png").stat().st_mtime_ns
    r = netcook("test", "--bless")
    assert r.returncode == 0 and "noise: 2 goldens unchanged" in r.stdout and "blessed" not in r.stdout, r
    assert (tmp_path / "golden/noise/b.0001.png").stat().st_mtime_ns == before


def test_report_folder_is_only_replaced_when_it_is_a_report(blessed, netcook):
    (blessed / "mine" / "cases").mkdir(parents=True)
    (blessed / "mine" / "cases" / "keep.txt").write_text("precious")
    r = netcook("test", "--report", "mine")
    assert r.returncode == 2 and "not from a netcook test report" in r.stderr
    assert (blessed / "mine" / "cases" / "keep.txt").read_text() == "precious"
    assert netcook("test", "--report", "rep").returncode == 0
    (blessed / "rep" / "cases" / "stale").mkdir()
    assert netcook("test", "--report", "rep").returncode == 0
    assert not (blessed / "rep" / "cases" / "stale").exists()
    assert (blessed / "rep" / "index.html").exists()
