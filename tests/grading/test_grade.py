"""`netcook grade` end to end: the shipped exercises' reference solutions,
wrong submissions with the partial scores and feedback they earn, hostile
submissions through the real sandbox, the report formats (Gradescope's
results.json against its schema), batches, and exercise spec errors."""
import csv
import json
import os
import pathlib
import re
import socket

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXERCISES = REPO / "exercises"
SUBMISSIONS = HERE / "submissions"
WRONG = SUBMISSIONS / "exercise2"
HOSTILE = SUBMISSIONS / "hostile"

SHIPPED = ["exercise1", "exercise2-starter", "exercise2", "exercise3", "exercise3-challenge"]


def fast_exercise(tmp_path, name="exercise2", time_limit=8):
    """exercises/NAME with absolute paths and a shorter time limit, so the
    hostile set's endless loop ends soon."""
    src = (EXERCISES / name / "exercise.yaml").read_text()
    folder = EXERCISES / name
    src = re.sub(r"^scene: (\S+)$", lambda m: f"scene: {folder / m.group(1)}", src, flags=re.M)
    src = re.sub(r"^solution: (\S+)$", lambda m: f"solution: {folder / m.group(1)}", src, flags=re.M)
    src = src.replace("file: checks.py", f"file: {folder / 'checks.py'}")
    src = re.sub(r"^limits: .*$", f"limits: {{time: {time_limit}}}", src, flags=re.M)
    path = tmp_path / f"{name}-fast.yaml"
    path.write_text(src)
    return path


def grade_json(netcook, tmp_path, exercise, *submissions, jobs=1, env_note=""):
    report = tmp_path / "report.json"
    r = netcook("grade", exercise, *submissions, "-j", jobs, "--json", report, "-q", timeout=600)
    assert r.returncode == 0, r
    data = json.loads(report.read_text())
    return {pathlib.Path(s["submission"]).name: s for s in data["submissions"]}, data


def check(sub, name_start):
    found = [c for c in sub["checks"] if c["name"].startswith(name_start)]
    assert found, (name_start, [c["name"] for c in sub["checks"]])
    return found[0]


# Reference solutions ---------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_reference_solution_earns_full_marks(netcook, name):
    r = netcook("grade", "--self-check", EXERCISES / name / "exercise.yaml", timeout=300)
    assert r.returncode == 0, r
    assert "self-check: the reference solution earns full marks" in r.stdout
    assert re.search(r"sandbox: (namespaces \(bubblewrap\)|seccomp \+ rlimits)", r.stdout), r.stdout


def test_self_check_fails_when_a_check_is_wrong(netcook, tmp_path):
    src = (EXERCISES / "exercise2" / "exercise.yaml").read_text()
    src = src.replace("expected: 18.414709848", "expected: 3.2")
    path = tmp_path / "exercise.yaml"
    path.write_text(src.replace("scene: starter.yaml", f"scene: {EXERCISES / 'exercise2' / 'starter.yaml'}")
                    .replace("solution: solution/script1.py", f"solution: {EXERCISES / 'exercise2' / 'solution' / 'script1.py'}")
                    .replace("file: checks.py", f"file: {EXERCISES / 'exercise2' / 'checks.py'}"))
    r = netcook("grade", "--self-check", path)
    assert r.returncode == 1, r
    assert "frame 31: blur1.size was 18.4147, expected 3.2 ± 0.1" in r.stdout
    assert "the reference solution scores 9 of 10" in r.stderr


# Wrong submissions: partial scores, actionable feedback -----------------------


@pytest.fixture(scope="module")
def wrong_grades(tmp_path_factory):
    import subprocess
    from grading_support import netcook_binary

    tmp = tmp_path_factory.mktemp("wrong")
    report = tmp / "report.json"
    files = sorted(WRONG.glob("*.py"))
    proc = subprocess.run([netcook_binary(), "grade", str(EXERCISES / "exercise2" / "exercise.yaml"),
                           *map(str, files), "-j", "2", "--json", str(report), "--csv", str(tmp / "grades.csv")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(report.read_text())
    return {pathlib.Path(s["submission"]).name: s for s in data["submissions"]}, proc.stdout, tmp


def test_correct_submission_full_marks(wrong_grades):
    grades, _, _ = wrong_grades
    assert grades["correct.py"]["score"] == 10


def test_off_by_one_frame(wrong_grades):
    g = wrong_grades[0]["off_by_one.py"]
    assert 0 < g["score"] < 5
    blur = check(g, "blur1.size oscillates")
    # Frame 1 prints the value of frame 2: named frame by frame, with the tolerance.
    assert "frame 1: blur1.size was 10.3333, expected 10 ± 0.01" in blur["feedback"]
    assert check(g, "blur1.size at frame 31")["feedback"].endswith("frame 31: blur1.size was 18.5901, expected 18.4147 ± 0.1")
    assert check(g, "prints 'Blur")["score"] == 1  # the format is right


def test_wrong_parameter(wrong_grades):
    g = wrong_grades[0]["wrong_parameter.py"]
    period = check(g, "noise1.period")
    assert period["score"] < 0.1
    assert "frame 2: noise1.period was 100, expected 101.666 ± 0.05" in period["feedback"]
    assert check(g, "blur1.size oscillates")["score"] == 3


def test_forgotten_eval(wrong_grades):
    g = wrong_grades[0]["forgot_eval.py"]
    fmt = check(g, "prints 'Blur")
    assert fmt["score"] < 0.05
    assert "frame 2: printed 'Blur: 10.333271608367536, Noise Period: 101.66635804183768'" in fmt["feedback"]
    assert check(g, "blur1.size oscillates")["score"] == 3


def test_syntax_error_names_the_students_line(wrong_grades):
    g = wrong_grades[0]["syntax_error.py"]
    assert g["score"] == 0
    assert "syntax_error.py:4:22: error: Python syntax error" in check(g, "blur1.size oscillates")["feedback"]
    assert "'(' was never closed" in g["error"]


def test_exception_at_frame_40_keeps_frames_1_to_39(wrong_grades):
    g = wrong_grades[0]["exception_at_40.py"]
    blur = check(g, "blur1.size oscillates")
    assert blur["score"] == pytest.approx(3 * 39 / 120, abs=1e-3)
    assert "39 of 120 frames right" in blur["feedback"]
    assert "81 frames were not reached: the run stopped at frame 40: exception_at_40.py:15: error: ZeroDivisionError" in blur["feedback"]
    # The traceback points at the student's own file and line, once.
    assert 'File "exception_at_40.py", line 15, in <module>' in g["error"]
    assert check(g, "blur1.size at frame 31")["score"] == 1


def test_wrong_print_format(wrong_grades):
    g = wrong_grades[0]["wrong_format.py"]
    assert check(g, "prints 'Blur")["score"] == 0
    assert "frame 1: printed 'blur=10.0 period=100.0', expected a line matching" in check(g, "prints 'Blur")["feedback"]
    assert check(g, "the printed values")["score"] == 1  # the numbers are right
    assert g["score"] == 9


def test_terminal_table(wrong_grades):
    _, stdout, _ = wrong_grades
    assert re.search(r"correct\.py  \(Exercise 2: Parameter Controller\)\n(.*\n)*?  total +10/10\n", stdout)
    assert "sandbox: " in stdout


def test_csv_has_one_column_per_check(wrong_grades):
    grades, _, tmp = wrong_grades
    rows = list(csv.DictReader((tmp / "grades.csv").open()))
    assert len(rows) == 7
    row = next(r for r in rows if r["submission"].endswith("wrong_format.py"))
    assert row["prints 'Blur: B, Noise Period: P' every frame"] == "0"
    assert row["total"] == "9" and row["max_score"] == "10"
    assert row["sandbox"] in ("namespaces (bubblewrap)", "seccomp + rlimits")


# Hostile submissions -----------------------------------------------------------


@pytest.fixture
def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    s.setblocking(False)
    yield s
    s.close()


@pytest.mark.parametrize("mechanism", ["namespaces", "seccomp"])
def test_hostile_set_scores_zero_and_the_batch_survives(netcook, tmp_path, listener, mechanism, monkeypatch):
    if mechanism == "namespaces" and os.system("bwrap --unshare-all --ro-bind / / true 2>/dev/null") != 0:
        pytest.skip("bubblewrap cannot build a sandbox here (a plain chroot?)")
    monkeypatch.setenv("NETCOOK_SANDBOX", mechanism)
    exercise = fast_exercise(tmp_path)
    results = tmp_path / "results"
    results.mkdir()
    (results / "results.json").write_text("{}")
    generated = tmp_path / "generated"
    generated.mkdir()
    port = listener.getsockname()[1]
    (generated / "socket_connect.py").write_text(
        f"import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=2)\ns.sendall(b'x')\n")
    (generated / "write_results.py").write_text(
        f"open({str(results / 'results.json')!r}, 'w').write('{{\"score\": 100}}')\n")
    (generated / "read_solution.py").write_text(
        f"print(open({str(EXERCISES / 'exercise2' / 'solution' / 'script1.py')!r}).read())\n")
    subs = sorted(HOSTILE.glob("*.py")) + sorted(generated.glob("*.py")) + [WRONG / "correct.py"]
    grades, data = grade_json(netcook, tmp_path, exercise, *subs, jobs=2)
    assert grades["correct.py"]["score"] == 10, grades["correct.py"]
    for name, g in grades.items():
        if name == "correct.py":
            continue
        assert g["score"] == 0, (name, g)
        assert g["sandbox"] == ("namespaces (bubblewrap)" if mechanism == "namespaces" else "seccomp + rlimits")
    reason = {n: g["run_note"] + "\n" + g["error"] for n, g in grades.items()}
    assert "time limit of 8 s" in reason["loop_forever.py"] or "CPU time" in reason["loop_forever.py"], reason["loop_forever.py"]
    assert "not allowed in a submission" in reason["fork.py"] or "fork" in reason["fork.py"], reason["fork.py"]
    assert "MemoryError" in reason["allocate.py"] or "memory" in reason["allocate.py"], reason["allocate.py"]
    assert "printed more than" in reason["print_gigabyte.py"], reason["print_gigabyte.py"]
    assert "crashed" in reason["crash.py"] and "SIGSEGV" in reason["crash.py"], reason["crash.py"]
    assert "/etc/passwd" in reason["read_passwd.py"], reason["read_passwd.py"]
    assert "not allowed in a submission" in reason["read_solution.py"] or "No such file" in reason["read_solution.py"]
    assert "not allowed in a submission" in reason["write_results.py"] or "No such file" in reason["write_results.py"] \
        or "Read-only" in reason["write_results.py"]
    assert "not allowed in a submission" in reason["socket_connect.py"] or "Operation not permitted" in reason["socket_connect.py"]
    # Nothing reached the grader's files or its listening socket.
    assert (results / "results.json").read_text() == "{}"
    with pytest.raises(BlockingIOError):
        listener.accept()
    # The student is told what happened in every affected check.
    loop = check(grades["loop_forever.py"], "blur1.size oscillates")
    assert "120 frames were not reached" in loop["feedback"]


# Reports ------------------------------------------------------------------------------


def test_gradescope_results_validate_against_the_schema(netcook, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HERE / "gradescope_results.schema.json").read_text())
    for sub in [WRONG / "exception_at_40.py", WRONG / "correct.py", HOSTILE / "crash.py"]:
        out = tmp_path / sub.stem / "results.json"
        r = netcook("grade", EXERCISES / "exercise2" / "exercise.yaml", sub, "--gradescope", out)
        assert r.returncode == 0, r
        results = json.loads(out.read_text())
        jsonschema.validate(results, schema)
        assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
        assert {t["visibility"] for t in results["tests"]} >= {"visible", "after_published"}
        assert "sandbox: " in results["output"]
    exc = json.loads((tmp_path / "exception_at_40" / "results.json").read_text())
    assert 'File "exception_at_40.py", line 15' in exc["output"]


def test_gradescope_takes_one_submission(netcook, tmp_path):
    r = netcook("grade", EXERCISES / "exercise2" / "exercise.yaml", WRONG / "correct.py", WRONG / "off_by_one.py",
                "--gradescope", tmp_path / "results.json")
    assert r.returncode == 2
    assert "--gradescope writes one submission's results.json" in r.stderr
    assert not (tmp_path / "results.json").exists()


def test_batch_of_30_matches_one_by_one(netcook, tmp_path):
    exercise = EXERCISES / "exercise2" / "exercise.yaml"
    files = sorted(WRONG.glob("*.py"))
    batch = []
    for i in range(30):
        folder = tmp_path / "batch" / f"student{i:02d}"
        folder.mkdir(parents=True)
        (folder / "script1.py").write_text(files[i % len(files)].read_text())
        batch.append(folder)
    out = tmp_path / "batch.csv"
    r = netcook("grade", exercise, *batch, "-j", "2", "--csv", out, "-q", timeout=900)
    assert r.returncode == 0, r
    rows = {pathlib.Path(row["submission"]).name: row for row in csv.DictReader(out.open())}
    assert len(rows) == 30
    one_by_one = {}
    for f in files:
        one = tmp_path / f"{f.stem}.csv"
        r = netcook("grade", exercise, f, "--csv", one, "-q")
        assert r.returncode == 0, r
        one_by_one[f.name] = next(csv.DictReader(one.open()))
    for i, folder in enumerate(batch):
        expected = one_by_one[files[i % len(files)].name]
        got = rows[folder.name]
        for column in expected:
            if column not in ("submission",):
                assert got[column] == expected[column], (folder.name, column)


# Spec errors ------------------------------------------------------------------------


def write_spec(tmp_path, text):
    (tmp_path / "starter.yaml").write_text((EXERCISES / "exercise2" / "starter.yaml").read_text())
    (tmp_path / "solution.py").write_text((EXERCISES / "exercise2" / "solution" / "script1.py").read_text())
    path = tmp_path / "exercise.yaml"
    path.write_text(text)
    return path


GOOD_HEAD = """netcook-exercise: 1
scene: starter.yaml
submission: {dat: script1}
solution: solution.py
"""


@pytest.mark.parametrize("body, where, message", [
    ("checks:\n  - name: a\n    points: 1\n    paramter: {par: blur1.size, expected: 1}\n",
     "8:5", "unknown check key 'paramter'; did you mean 'parameter'?"),
    ("checks:\n  - name: a\n    visibility: hiden\n    parameter: {par: blur1.size, expected: 1}\n",
     "7:17", "visibility must be one of visible, hidden, after_due_date, after_published, not 'hiden'; did you mean 'hidden'?"),
    ("checks:\n  - name: a\n    output: {regx: 'x'}\n",
     "7:14", "unknown key 'regx' in output:; did you mean 'regex'?"),
    ("checks:\n  - name: a\n    output: {regex: '(unclosed'}\n",
     "7:21", "invalid regular expression '(unclosed'"),
    ("limits: {tme: 3}\nchecks:\n  - name: a\n    parameter: {par: blur1.size, expected: 1}\n",
     "5:10", "unknown limit 'tme'; did you mean 'time'?"),
    ("checks:\n  - name: a\n    parameter: {par: blur1size, expected: 1}\n",
     "7:22", "par must be OP.PAR (e.g. blur1.size)"),
])
def test_spec_errors_point_at_the_line(netcook, tmp_path, body, where, message):
    spec = write_spec(tmp_path, GOOD_HEAD + body)
    r = netcook("grade", spec, tmp_path / "solution.py")
    assert r.returncode == 2, r
    assert f"{spec}:{where}: error: {message}" in r.stderr, r.stderr
    assert r.stdout == ""


def test_spec_missing_solution_and_unknown_top_key(netcook, tmp_path):
    spec = write_spec(tmp_path, "netcook-exercise: 1\nscene: starter.yaml\nsubmision: {dat: script1}\nchecks: []\n")
    r = netcook("grade", spec, tmp_path / "solution.py")
    assert r.returncode == 2
    assert f"{spec}:3:1: error: unknown key 'submision'; did you mean 'submission'?" in r.stderr
    assert "missing 'solution:'" in r.stderr


def test_missing_submission_is_bad_input(netcook, tmp_path):
    r = netcook("grade", EXERCISES / "exercise2" / "exercise.yaml", tmp_path / "nope.py")
    assert r.returncode == 2
    assert "nope.py: error: no such submission file or folder" in r.stderr


def test_folder_submission_without_the_file_scores_zero(netcook, tmp_path):
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "notes.txt").write_text("hi")
    grades, _ = grade_json(netcook, tmp_path, EXERCISES / "exercise2" / "exercise.yaml", tmp_path / "student")
    g = grades["student"]
    assert g["score"] == 0
    assert g["problem"] == "the submission has no script1.py"


def test_scene_submission_wiring_feedback(netcook, tmp_path):
    scene = (EXERCISES / "exercise1" / "solution" / "exercise1.yaml").read_text()
    wrong = scene.replace("    type: blurTOP\n    inputs: [noise1]", "    type: levelTOP\n    inputs: [null1]") \
                 .replace("  null1:\n    type: nullTOP\n    inputs: [blur1]", "  null1:\n    type: nullTOP\n    inputs: [noise1]")
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "mine.yaml").write_text(wrong)
    grades, _ = grade_json(netcook, tmp_path, EXERCISES / "exercise1" / "exercise.yaml", tmp_path / "student")
    blur = check(grades["student"], "blur1 is a Blur TOP")
    assert blur["score"] == pytest.approx(2 / 3, abs=1e-3)
    assert "blur1 is a levelTOP, expected a blurTOP" in blur["feedback"]
    assert "blur1's inputs are [null1], expected [noise1]" in blur["feedback"]


def test_scene_submission_errors_name_the_students_file(netcook, tmp_path):
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "mine.yaml").write_text("netcook: 1\nops:\n  noise1: {type: noiseTOPP}\n")
    grades, _ = grade_json(netcook, tmp_path, EXERCISES / "exercise1" / "exercise.yaml", tmp_path / "student")
    g = grades["student"]
    assert g["score"] == 0
    assert g["error"].startswith("mine.yaml:3:"), g["error"]
    assert "did you mean 'noiseTOP'" in g["error"]


# Channel and image checks, and folders of DATs ---------------------------------------


def dats_exercise(tmp_path):
    ex3 = EXERCISES / "exercise3"
    solution = tmp_path / "solution"
    solution.mkdir()
    (solution / "script1.py").write_text((ex3 / "solution" / "script1.py").read_text())
    spec = tmp_path / "exercise.yaml"
    spec.write_text(f"""netcook-exercise: 1
scene: {ex3 / 'exercise3.yaml'}
submission: {{dats: [script1]}}
solution: solution
frames: 1-60
checks:
  - name: the CHOP runs as the solution's
    channel: {{op: math1, expected: reference, tolerance: 0.0001}}
  - name: the CHOP starts at 0.5
    frames: 1
    channel: {{op: math1, channel: chan1, expected: 0.5, tolerance: 0.0001}}
  - name: the picture
    points: 2
    frames: [1, 30, 60]
    image: {{op: null1}}
""")
    return spec


def test_dats_folder_channel_and_image_checks(netcook, tmp_path):
    spec = dats_exercise(tmp_path)
    right = tmp_path / "right"
    right.mkdir()
    (right / "script1.py").write_text((EXERCISES / "exercise3" / "solution" / "script1.py").read_text())
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    (wrong / "script1.py").write_text((EXERCISES / "exercise3" / "solution" / "script1.py").read_text()
                                      .replace("chop_value * 20", "chop_value * 2"))
    empty = tmp_path / "empty"
    empty.mkdir()
    grades, _ = grade_json(netcook, tmp_path, spec, right, wrong, empty)
    assert grades["right"]["score"] == 4
    w = grades["wrong"]
    assert check(w, "the CHOP runs")["score"] == 1  # the CHOPs are the scene's
    picture = check(w, "the picture")
    assert picture["score"] == 0
    assert "frame 1: null1 differs from the solution's:" in picture["feedback"]
    assert grades["empty"]["problem"] == "the submission lacks script1.py"
    assert grades["empty"]["score"] == 0


def test_channel_check_of_a_missing_chop(netcook, tmp_path):
    spec = dats_exercise(tmp_path)
    text = spec.read_text().replace("op: math1, expected: reference", "op: math2, expected: reference")
    spec.write_text(text)
    r = netcook("grade", spec, tmp_path / "solution", "--json", tmp_path / "r.json", "-q")
    # The reference lacks math2 too: the exercise is wrong, and --self-check says so.
    assert r.returncode == 0, r
    sub = json.loads((tmp_path / "r.json").read_text())["submissions"][0]
    assert check(sub, "the CHOP runs")["feedback"] == "there is no operator 'math2'"
    r = netcook("grade", "--self-check", spec)
    assert r.returncode == 1


def test_a_failing_check_function_is_the_exercises_fault(netcook, tmp_path):
    src = (EXERCISES / "exercise2" / "exercise.yaml").read_text()
    (tmp_path / "checks.py").write_text("def blur_in_range(result):\n    return result['nope']\n")
    folder = EXERCISES / "exercise2"
    src = src.replace("scene: starter.yaml", f"scene: {folder / 'starter.yaml'}") \
             .replace("solution: solution/script1.py", f"solution: {folder / 'solution' / 'script1.py'}")
    spec = tmp_path / "exercise.yaml"
    spec.write_text(src)
    r = netcook("grade", spec, WRONG / "correct.py", "--json", tmp_path / "r.json")
    assert r.returncode == 0, r
    sub = json.loads((tmp_path / "r.json").read_text())["submissions"][0]
    c = check(sub, "the blur stays")
    assert c["score"] == 0 and c["grader_problem"]
    assert "the check function failed (a problem with the exercise, not your work): KeyError: 'nope'" in c["feedback"]
    assert netcook("grade", "--self-check", spec).returncode == 1


def test_dats_mapping_names_each_file(netcook, tmp_path):
    spec = dats_exercise(tmp_path)
    spec.write_text(spec.read_text().replace("submission: {dats: [script1]}", "submission: {dats: {script1: controller.py}}"))
    (tmp_path / "solution" / "script1.py").rename(tmp_path / "solution" / "controller.py")
    student = tmp_path / "student"
    student.mkdir()
    (student / "controller.py").write_text("raise ValueError('not yet')\n")
    grades, _ = grade_json(netcook, tmp_path, spec, student)
    g = grades["student"]
    assert g["score"] == 0
    assert 'File "controller.py", line 1' in g["error"]
    assert netcook("grade", "--self-check", spec).returncode == 0
