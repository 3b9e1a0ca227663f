"""netcook farm on a real (single-node) Slurm: a 96-frame scene with a
stateful network and a movie output, submitted as 4 chunks, one of which
fails on purpose; status reports it with its log, resume finishes the job
without touching the finished frames; frames and movie equal a local render.
Plus what needs no cluster: bad scenes refused before submission, --dry-run,
the settings' precedence."""
import json
import os
import pathlib
import re
import subprocess
import time

import pytest

# An LFO, a timer, a feedback loop and a script keeping a running total: every
# frame depends on the ones before (chunks pre-roll, spec rule 5). Task 3
# fails at frame 60 when FARM_TEST_FAIL_TASK=3 is in its environment.
SHOT = """\
netcook: 1
fps: 24
frames: 1-96
resolution: [48, 32]
ops:
  lfo1: {type: lfoCHOP, par: {wavetype: tri, frequency: 0.7}}
  timer1: {type: timerCHOP, par: {length: 0.15, cycle: true, speed: 0.7}}
  state:
    type: textDAT
    text: |
      total = 0.0
  noise1:
    type: noiseTOP
    par:
      type: harmonic
      period: 9
      tz: {expr: "op('lfo1')['chan1'].eval() + op('timer1')['timer_fraction'].eval()"}
  feedback1: {type: feedbackTOP, inputs: noise1, par: {top: comp1}}
  level2: {type: levelTOP, inputs: feedback1, par: {opacity: 0.8}}
  comp1: {type: compositeTOP, inputs: [noise1, level2], par: {operand: average}}
  level1: {type: levelTOP, inputs: [comp1]}
  script1:
    type: textDAT
    run: frame
    text: |
      import os
      mod.state.total += op('timer1')['timer_fraction'].eval() + 0.37
      op('level1').par.brightness1 = 0.5 + (mod.state.total % 1.0) * 0.5
      fail = os.environ.get('FARM_TEST_FAIL_TASK')
      if me.time.frame == 60 and fail and fail == os.environ.get('SLURM_ARRAY_TASK_ID'):
          raise RuntimeError('chunk failed on purpose at frame 60')
outputs:
  - {op: level1, path: out/shot.mp4}
"""

BAD = """\
netcook: 1
frames: 1-10
ops:
  noise1: {type: noiseTOP, par: {perod: 3}}
outputs:
  - {op: noise1, path: out/f.####.png}
"""

SEQUENCE = """\
netcook: 1
frames: 1-10
resolution: [16, 16]
ops:
  noise1: {type: noiseTOP}
outputs:
  - {op: noise1, path: out/f.####.png}
"""


@pytest.fixture
def fake_sbatch(tmp_path):
    """A PATH whose sbatch only records that it ran: nothing may reach it."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    marker = tmp_path / "sbatch-ran"
    for tool in ("sbatch", "scontrol", "scancel"):
        (bin_dir / tool).write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\necho 99\n")
        (bin_dir / tool).chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETCOOK_FARM_")}
    env["PATH"] = f"{bin_dir}:{os.environ['PATH']}"
    return env, marker


def farm(netcook_bin, cwd, env, *args, timeout=120):
    return subprocess.run([netcook_bin, "farm", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_a_bad_scene_is_refused_before_submission(netcook_bin, tmp_path, fake_sbatch):
    env, marker = fake_sbatch
    (tmp_path / "bad.yaml").write_text(BAD)
    r = farm(netcook_bin, tmp_path, env, "submit", "bad.yaml", "--chunks", "2")
    assert r.returncode == 2, r.stderr
    assert re.search(r"bad\.yaml:4:\d+: error: .*'perod'.*did you mean 'period'", r.stderr), r.stderr
    assert not marker.exists(), "sbatch ran for a bad scene"
    assert not (tmp_path / "out").exists(), "a bad scene left files behind"


def test_a_bad_override_is_refused_before_submission(netcook_bin, tmp_path, fake_sbatch):
    env, marker = fake_sbatch
    (tmp_path / "s.yaml").write_text(SEQUENCE)
    r = farm(netcook_bin, tmp_path, env, "submit", "s.yaml", "--set", "noise1.periodd=3")
    assert r.returncode == 2 and "did you mean 'period'" in r.stderr, r.stderr
    assert not marker.exists()


def test_dry_run_prints_the_scripts_and_writes_nothing(netcook_bin, tmp_path, fake_sbatch):
    env, marker = fake_sbatch
    (tmp_path / "shot.yaml").write_text(SHOT)
    r = farm(netcook_bin, tmp_path, env, "submit", "shot.yaml", "--chunks", "4", "--partition", "render",
             "--time", "0:30:00", "--mem", "2G", "--cpus-per-task", "2", "--sbatch-arg=--account=vfx",
             "--set", "noise1.period=7", "--dry-run")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    folder = tmp_path / "out" / ".netcook-farm" / "shot"
    assert f"sbatch --array=1-4 {folder}/render.sh" in out
    for line in ("#SBATCH --partition=render", "#SBATCH --time=0:30:00", "#SBATCH --mem=2G",
                 "#SBATCH --cpus-per-task=2", "#SBATCH --account=vfx", f"#SBATCH --chdir={tmp_path}",
                 f"#SBATCH --output={folder}/logs/chunk-%a.%A.log"):
        assert line in out, line
    assert re.search(r"render '.*shot\.yaml' --frames '1-96' --chunk \"\$chunk/4\" --skip-existing --progress log",
                     out), out
    assert "--set 'noise1.period=7'" in out
    # The movie: tasks write 32-bit float EXR frames; a dependent job encodes them.
    assert f"--movies-as-frames '{folder}/frames'" in out
    assert "sbatch --dependency=afterok:ARRAY_JOB" in out
    assert "type: moviefileinTOP" in out and f'path: "{tmp_path}/out/shot.mp4"' in out
    assert f'file: "{folder}/frames/shot.####.exr"' in out
    assert not marker.exists()
    assert not (tmp_path / "out").exists(), "--dry-run wrote files"


def test_settings_precedence_project_file_environment_command_line(netcook_bin, tmp_path, fake_sbatch):
    env, _ = fake_sbatch
    shots = tmp_path / "shots"
    shots.mkdir()
    (shots / "s.yaml").write_text(SEQUENCE)
    (tmp_path / "netcook.yaml").write_text(
        "farm:\n  partition: from-file\n  mem: 3G\n  chunks: 5\n  sbatch_args: [--qos=low]\n")
    r = farm(netcook_bin, tmp_path, env, "submit", "shots/s.yaml", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "#SBATCH --partition=from-file" in r.stdout and "#SBATCH --mem=3G" in r.stdout
    assert "#SBATCH --qos=low" in r.stdout and '--chunk "$chunk/5"' in r.stdout
    assert f"# project file: {tmp_path}/netcook.yaml" in r.stdout

    env = dict(env, NETCOOK_FARM_PARTITION="from-env", NETCOOK_FARM_CHUNK_SIZE="2")
    r = farm(netcook_bin, tmp_path, env, "submit", "shots/s.yaml", "--dry-run")
    assert "#SBATCH --partition=from-env" in r.stdout and "#SBATCH --mem=3G" in r.stdout
    assert '--chunk "$chunk/5"' in r.stdout  # 10 frames, 2 per chunk

    r = farm(netcook_bin, tmp_path, env, "submit", "shots/s.yaml", "--partition", "from-cli", "--chunks", "3",
             "--dry-run")
    assert "#SBATCH --partition=from-cli" in r.stdout and '--chunk "$chunk/3"' in r.stdout

    (tmp_path / "netcook.yaml").write_text("farm:\n  partition: a\n  memory: 3G\n")
    r = farm(netcook_bin, tmp_path, env, "submit", "shots/s.yaml", "--dry-run")
    assert r.returncode == 2
    assert f"{tmp_path}/netcook.yaml:3:3: error: unknown farm setting 'memory'; did you mean 'mem'?" in r.stderr

    (tmp_path / "netcook.yaml").unlink()
    r = farm(netcook_bin, tmp_path, dict(env, NETCOOK_FARM_CHUNKS="many", NETCOOK_FARM_CHUNK_SIZE=""),
             "submit", "shots/s.yaml", "--dry-run")
    assert r.returncode == 2 and "NETCOOK_FARM_CHUNKS" in r.stderr and "'many'" in r.stderr


def test_an_image_sequence_needs_no_encode_job(netcook_bin, tmp_path, fake_sbatch):
    env, marker = fake_sbatch
    (tmp_path / "s.yaml").write_text(SEQUENCE)
    r = farm(netcook_bin, tmp_path, env, "submit", "s.yaml", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "--movies-as-frames" not in r.stdout and "--dependency" not in r.stdout and "encode" not in r.stdout
    assert '--chunk "$chunk/1"' in r.stdout  # 10 frames, 25 a chunk by default


def test_two_movies_with_one_name_are_refused(netcook_bin, tmp_path, fake_sbatch):
    env, marker = fake_sbatch
    (tmp_path / "s.yaml").write_text(SEQUENCE + "  - {op: noise1, path: a/m.mp4}\n  - {op: noise1, path: b/m.mov}\n")
    r = farm(netcook_bin, tmp_path, env, "submit", "s.yaml")
    assert r.returncode == 2 and re.search(r"s\.yaml:9:\d+: error: two movie outputs are called 'm'", r.stderr), r.stderr
    assert not marker.exists()


def test_status_of_something_that_is_not_a_job(netcook_bin, tmp_path, fake_sbatch):
    env, _ = fake_sbatch
    r = farm(netcook_bin, tmp_path, env, "status", tmp_path)
    assert r.returncode == 2 and "is not a farm job" in r.stderr


# --- on the cluster ---------------------------------------------------------

def job_states(env, job_id):
    r = subprocess.run(["scontrol", "show", "job", "--oneliner", job_id], env=env, capture_output=True, text=True)
    return re.findall(r"JobState=(\S+)", r.stdout) if r.returncode == 0 else []


def wait_for(env, job_id, settled, timeout=90):
    """Polls scontrol until `settled(states)` holds; returns the states."""
    deadline = time.monotonic() + timeout
    while True:
        states = job_states(env, job_id)
        if states and settled(states):
            return states
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {states} after {timeout} s")
        time.sleep(0.5)


def finished(states):
    return all(s not in ("PENDING", "RUNNING", "COMPLETING", "CONFIGURING") for s in states)


def ffprobe_frames(path):
    r = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                        "stream=nb_read_packets", "-of", "csv=p=0", str(path)], capture_output=True, text=True)
    return int(r.stdout.strip())


def test_farm_render_fails_a_chunk_then_resumes_to_the_local_render(netcook_bin, tmp_path, slurm):
    (tmp_path / "shot.yaml").write_text(SHOT)
    # The local render, for comparison: the movie, and the frames as the tasks write them.
    local = tmp_path / "local"
    local.mkdir()
    (local / "shot.yaml").write_text(SHOT)
    for args in ([], ["--movies-as-frames", "frames"]):
        r = subprocess.run([netcook_bin, "render", "shot.yaml", "--quiet", *args], cwd=local, capture_output=True,
                           text=True)
        assert r.returncode == 0, r.stderr

    env = dict(slurm, FARM_TEST_FAIL_TASK="3")
    r = farm(netcook_bin, tmp_path, env, "submit", "shot.yaml", "--chunks", "4")
    assert r.returncode == 0, r.stderr
    m = re.search(r"array job (\d+) \(4 chunks of 4, frames 1-96\), encode job (\d+) \(after the array\)", r.stdout)
    assert m, r.stdout
    array, encode = m.groups()
    folder = tmp_path / "out" / ".netcook-farm" / "shot"
    assert f"netcook farm status {folder}" in r.stdout

    record = json.loads((folder / "job.json").read_text())
    assert record["frames"] == "1-96" and record["chunks"] == 4 and record["scene"] == str(tmp_path / "shot.yaml")
    assert record["submissions"] == [{"array_job": array, "chunks": [1, 2, 3, 4], "encode_job": encode}]
    assert record["outputs"][0]["movie"] is True

    states = wait_for(slurm, array, finished)
    assert sorted(states) == ["COMPLETED", "COMPLETED", "COMPLETED", "FAILED"], states
    # The encode job waits for an array that failed: it can never start.
    wait_for(slurm, encode, lambda s: s == ["PENDING"])

    r = farm(netcook_bin, tmp_path, slurm, "status", folder)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "frames on disk: 83 of 96" in r.stdout
    assert re.search(r"chunk 3/4  frames 49-72: 11/24 on disk, failed \(job " + array + r"_3 FAILED", r.stdout)
    assert "| RuntimeError: chunk failed on purpose at frame 60" in r.stdout
    assert f"last lines of {folder}/logs/chunk-3.{array}.log" in r.stdout
    for k in (1, 2, 4):
        assert re.search(rf"chunk {k}/4  frames \d+-\d+: 24/24 on disk, done", r.stdout), r.stdout
    assert f"encode {tmp_path}/out/shot.mp4: pending" in r.stdout
    assert not (tmp_path / "out" / "shot.mp4").exists()

    frames = folder / "frames"
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in frames.glob("*.exr")}
    assert len(before) == 83

    r = farm(netcook_bin, tmp_path, slurm, "resume", folder)  # no FARM_TEST_FAIL_TASK now
    assert r.returncode == 0, r.stderr
    m = re.search(r"array job (\d+) \(1 chunk of 4, frames 1-96\), encode job (\d+)", r.stdout)
    assert m, r.stdout
    array2, encode2 = m.groups()
    assert job_states(slurm, encode) in (["CANCELLED"], []), "the stuck encode job was not cancelled"
    wait_for(slurm, encode2, finished)
    assert job_states(slurm, array2) == ["COMPLETED"] and job_states(slurm, encode2) == ["COMPLETED"]

    r = farm(netcook_bin, tmp_path, slurm, "status", folder)
    assert r.returncode == 0 and r.stdout.rstrip().endswith("complete"), r.stdout
    assert "frames on disk: 96 of 96" in r.stdout

    # Finished frames were not rendered again; the failed chunk's missing ones were.
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in frames.glob("*.exr")}
    assert len(after) == 96
    for name, identity in before.items():
        assert after[name] == identity, f"{name} was written again"
    assert sorted(set(after) - set(before)) == [f"shot.{f:04d}.exr" for f in range(60, 73)]
    log = (folder / "logs" / f"chunk-3.{array2}.log").read_text()
    assert "11 were already on disk" in log or "11 frames already on disk" in log, log

    # Byte for byte the local render: every frame, and the movie.
    for f in range(1, 97):
        name = f"shot.{f:04d}.exr"
        assert (frames / name).read_bytes() == (local / "frames" / name).read_bytes(), f"frame {f} differs"
    movie = tmp_path / "out" / "shot.mp4"
    assert ffprobe_frames(movie) == 96
    assert movie.read_bytes() == (local / "out" / "shot.mp4").read_bytes()

    r = farm(netcook_bin, tmp_path, slurm, "resume", folder)
    assert r.returncode == 0 and "nothing to resume" in r.stdout and "complete" in r.stdout


def test_a_sequence_and_a_movie_of_one_scene(netcook_bin, tmp_path, slurm):
    """The spec's example: one TOP to a PNG sequence and to a movie."""
    scene = SEQUENCE + "  - {op: noise1, path: out/movie.mp4}\n"
    (tmp_path / "s.yaml").write_text(scene)
    local = tmp_path / "local"
    local.mkdir()
    (local / "s.yaml").write_text(scene)
    r = subprocess.run([netcook_bin, "render", "s.yaml", "--quiet"], cwd=local, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

    r = farm(netcook_bin, tmp_path, slurm, "submit", "s.yaml", "--chunk-size", "4")
    assert r.returncode == 0, r.stderr
    m = re.search(r"array job (\d+) \(3 chunks of 3, frames 1-10\), encode job (\d+)", r.stdout)
    assert m, r.stdout
    wait_for(slurm, m.group(2), finished)
    r = farm(netcook_bin, tmp_path, slurm, "status", tmp_path / "out" / ".netcook-farm" / "s")
    assert r.returncode == 0, r.stdout
    names = [f"f.{f:04d}.png" for f in range(1, 11)]
    assert sorted(p.name for p in (tmp_path / "out").glob("f.*.png")) == names
    for name in names:
        assert (tmp_path / "out" / name).read_bytes() == (local / "out" / name).read_bytes()
    assert (tmp_path / "out" / "movie.mp4").read_bytes() == (local / "out" / "movie.mp4").read_bytes()


def test_command_line_mistakes(netcook_bin, tmp_path, fake_sbatch):
    env, marker = fake_sbatch
    (tmp_path / "s.yaml").write_text(SEQUENCE)
    cases = [
        (["sumbit", "s.yaml"], "unknown farm command 'sumbit'; did you mean 'submit'?"),
        ([], "netcook farm needs a command: submit, status or resume"),
        (["submit", "s.yaml", "--chunk", "2"], "netcook farm submit has no option '--chunk'; did you mean '--chunks'"),
        (["submit", "s.yaml", "--chunks", "2", "--chunk-size", "3"], "--chunks and --chunk-size cannot be used together"),
        (["submit"], "netcook farm submit: missing scene"),
        (["status", "a", "b"], "netcook farm status: unexpected argument 'b'"),
    ]
    for args, message in cases:
        r = farm(netcook_bin, tmp_path, env, *args)
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr)
    assert not marker.exists()


SLOW = """\
netcook: 1
frames: 1-8
resolution: [8, 8]
ops:
  noise1: {type: noiseTOP, par: {seed: {expr: "me.time.frame"}}}
  pace:
    type: textDAT
    run: frame
    text: |
      import time
      time.sleep(0.4)
outputs:
  - {op: noise1, path: out/f.####.png}
"""


def test_a_killed_task_is_reported_and_resumed(netcook_bin, tmp_path, slurm):
    (tmp_path / "slow.yaml").write_text(SLOW)
    r = farm(netcook_bin, tmp_path, slurm, "submit", "slow.yaml", "--chunks", "1")
    assert r.returncode == 0, r.stderr
    array = re.search(r"array job (\d+)", r.stdout).group(1)
    out = tmp_path / "out"
    deadline = time.monotonic() + 60
    while not list(out.glob("f.*.png")):
        assert time.monotonic() < deadline, "the task wrote no frame"
        time.sleep(0.1)
    subprocess.run(["scancel", array], env=slurm, check=True)
    wait_for(slurm, array, finished)
    kept = {p.name: p.stat().st_ino for p in out.glob("f.*.png")}
    assert 0 < len(kept) < 8

    folder = out / ".netcook-farm" / "slow"
    r = farm(netcook_bin, tmp_path, slurm, "status", folder)
    assert r.returncode == 1, r.stdout
    assert re.search(rf"chunk 1/1  frames 1-8: {len(kept)}/8 on disk, failed \(job {array}_1 CANCELLED", r.stdout)
    assert "CANCELLED" in r.stdout.split("last lines of", 1)[1], r.stdout  # slurmstepd's line in the log

    r = farm(netcook_bin, tmp_path, slurm, "resume", folder)
    assert r.returncode == 0, r.stderr
    array2 = re.search(r"array job (\d+) \(1 chunk of 1", r.stdout).group(1)
    wait_for(slurm, array2, finished)
    r = farm(netcook_bin, tmp_path, slurm, "status", folder)
    assert r.returncode == 0, r.stdout
    after = {p.name: p.stat().st_ino for p in out.glob("f.*.png")}
    assert len(after) == 8 and all(after[name] == ino for name, ino in kept.items())


def test_render_movies_as_frames(netcook_bin, tmp_path):
    """What the tasks run: movies become 32-bit float EXR sequences, so --chunk takes them."""
    import OpenImageIO

    (tmp_path / "s.yaml").write_text(SEQUENCE + "  - {op: noise1, path: out/movie.mp4}\n")
    r = subprocess.run([netcook_bin, "render", "s.yaml", "--quiet", "--chunk", "2/2", "--skip-existing",
                        "--movies-as-frames", "frames"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == [f"movie.{f:04d}.exr" for f in range(6, 11)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"f.{f:04d}.png" for f in range(6, 11)]
    spec = OpenImageIO.ImageInput.open(str(tmp_path / "frames" / "movie.0006.exr")).spec()
    assert spec.format == OpenImageIO.FLOAT and spec.nchannels == 4
    assert spec.get_string_attribute("compression") == "piz"

    (tmp_path / "t.yaml").write_text(SEQUENCE + "  - {op: noise1, path: a/m.mp4}\n  - {op: noise1, path: b/m.mov}\n")
    r = subprocess.run([netcook_bin, "render", "t.yaml", "--movies-as-frames", "frames"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 2 and re.search(r"t\.yaml:9:\d+: error: --movies-as-frames: two movies are called 'm'",
                                           r.stderr), r.stderr
