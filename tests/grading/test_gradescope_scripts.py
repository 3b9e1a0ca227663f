"""exercises/gradescope: run_autograder on a fake /autograder layout (as
Gradescope lays it out: source/, submission/, results/), its fallback when
grading cannot happen, and the zip make_autograder_zip.sh builds."""
import json
import os
import pathlib
import subprocess
import zipfile

import pytest

from grading_support import netcook_binary

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
SCRIPTS = REPO / "exercises" / "gradescope"


def fake_autograder(tmp_path, exercise, submission_files):
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "source" / "netcook").symlink_to(REPO)
    (root / "source" / "exercise.txt").write_text(exercise + "\n")
    (root / "submission").mkdir()
    for name, text in submission_files.items():
        (root / "submission" / name).write_text(text)
    (root / "results").mkdir()
    return root


def run_autograder(root, netcook=None):
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), NETCOOK=netcook or netcook_binary(), NETCOOK_ROOTFS="")
    proc = subprocess.run([str(SCRIPTS / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_run_autograder_grades_the_submission(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    solution = (REPO / "exercises" / "exercise2" / "solution" / "script1.py").read_text()
    # Gradescope keeps the student's file name: any one .py is the DAT's text.
    root = fake_autograder(tmp_path, "exercise2", {"my_script.py": solution.replace("* 2)", "* 3)")})
    results = run_autograder(root)
    jsonschema.validate(results, json.loads((HERE / "gradescope_results.schema.json").read_text()))
    assert 0 < results["score"] < 10
    blur = next(t for t in results["tests"] if t["name"].startswith("blur1.size oscillates"))
    assert blur["status"] == "failed"
    assert "frame 2: blur1.size was" in blur["output"]


def test_run_autograder_full_marks(tmp_path):
    solution = (REPO / "exercises" / "exercise3" / "solution" / "script1.py").read_text()
    root = fake_autograder(tmp_path, "exercise3", {"script1.py": solution})
    results = run_autograder(root)
    assert results["score"] == 10
    assert all(t["status"] == "passed" for t in results["tests"])


def test_run_autograder_always_writes_results(tmp_path):
    root = fake_autograder(tmp_path, "no-such-exercise", {"script1.py": "pass\n"})
    results = run_autograder(root)
    assert results["score"] == 0
    assert "could not grade this submission" in results["output"]
    assert "no-such-exercise" in results["output"]


def test_make_autograder_zip(tmp_path):
    out = tmp_path / "autograder.zip"
    proc = subprocess.run([str(SCRIPTS / "make_autograder_zip.sh"), "exercise2", str(out)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert {"setup.sh", "run_autograder", "exercise.txt"} <= names
        assert "netcook/Makefile" in names and "netcook/exercises/exercise2/exercise.yaml" in names
        assert z.read("exercise.txt").decode().strip() == "exercise2"
        assert (z.getinfo("run_autograder").external_attr >> 16) & 0o111  # executable
