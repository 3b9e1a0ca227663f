"""Start-up: commands that write no image or video file never load
OpenImageIO or libav (with their ~260 libraries), and OpenMP threads wait
passively without netcook starting itself twice. Which libraries load is
read from the dynamic loader's own log (LD_DEBUG=libs), never from timing."""
import os
import subprocess

import pytest

SCENE = """\
netcook: 1
frames: 1-2
resolution: [32, 24]
ops:
  noise1: {type: noiseTOP}
outputs:
  - {op: noise1, path: out/f.####.png}
"""

HEAVY = ("libOpenImageIO", "libavcodec", "libavformat", "libswscale", "libnetcook_media")


def loaded_libraries(netcook_bin, cwd, *args, env=None):
    """The shared libraries the dynamic loader initialised for a run."""
    log = cwd / "ld.log"
    full_env = dict(os.environ, LD_DEBUG="libs", LD_DEBUG_OUTPUT=str(log), **(env or {}))
    r = subprocess.run([netcook_bin, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    text = "".join(p.read_text() for p in cwd.glob("ld.log*"))
    for p in cwd.glob("ld.log*"):
        p.unlink()
    libs = [line.split("calling init:")[1].strip() for line in text.splitlines() if "calling init:" in line]
    assert libs, "LD_DEBUG gave no log"
    return libs


@pytest.mark.parametrize("args", [
    ["--version"],
    ["ops"],
    ["ops", "noiseTOP"],
    ["info", "s.yaml"],
    ["render", "s.yaml", "--quiet"],  # PNG: netcook's own writer, libdeflate only
    ["render", "s.yaml", "--quiet", "--no-write", "--frames", "1"],
])
def test_no_image_or_video_library_is_loaded(tmp_path, netcook_bin, args):
    (tmp_path / "s.yaml").write_text(SCENE)
    libs = loaded_libraries(netcook_bin, tmp_path, *args)
    heavy = [lib for lib in libs if any(name in lib for name in HEAVY)]
    assert heavy == [], f"netcook {' '.join(args)} loaded {heavy}"
    assert len(libs) < 40, libs


def test_an_exr_render_loads_the_media_library(tmp_path, netcook_bin):
    # The check above can see a load: OpenImageIO arrives with the first EXR.
    (tmp_path / "s.yaml").write_text(SCENE.replace("f.####.png", "f.####.exr"))
    libs = loaded_libraries(netcook_bin, tmp_path, "render", "s.yaml", "--quiet")
    assert any("libnetcook_media" in lib for lib in libs)
    assert any("libOpenImageIO" in lib for lib in libs)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["f.0001.exr", "f.0002.exr"]


def openmp_settings(netcook_bin, env):
    """libgomp's own report of its settings, for `netcook --version` run
    with the user's OpenMP variables replaced by `env`."""
    base = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    r = subprocess.run([netcook_bin, "--version"], env=dict(base, OMP_DISPLAY_ENV="verbose", **env),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    settings = {}
    for line in (r.stdout + r.stderr).splitlines():
        if "=" in line and line.strip().startswith(("OMP_", "GOMP_")):
            key, value = line.split("=", 1)
            settings[key.strip().split()[-1]] = value.strip().strip("'")
    return settings, r.stdout


def test_openmp_threads_wait_passively(netcook_bin):
    settings, out = openmp_settings(netcook_bin, {})
    # libgomp itself reports passive waiting: no spinning between regions.
    assert settings.get("GOMP_SPINCOUNT") == "0", settings
    assert "OpenMP waiting: passive" in out


def test_an_explicit_openmp_wait_policy_is_respected(netcook_bin):
    settings, out = openmp_settings(netcook_bin, {"OMP_WAIT_POLICY": "active"})
    assert settings.get("OMP_WAIT_POLICY") == "ACTIVE", settings
    assert settings.get("GOMP_SPINCOUNT") != "0", settings
    assert "OpenMP waiting: set by the environment" in out


def test_a_movie_file_in_loads_the_media_library_and_reads_its_footage(tmp_path, netcook_bin):
    # The footage decoder lives in the media library too (video_reader.cpp):
    # a scene reading footage loads it, and the frames come through it.
    (tmp_path / "s.yaml").write_text(SCENE)
    assert not any("libnetcook_media" in lib for lib in loaded_libraries(netcook_bin, tmp_path, "render", "s.yaml", "--quiet"))
    (tmp_path / "m.yaml").write_text(
        SCENE.replace("noise1: {type: noiseTOP}", "movie1: {type: moviefileinTOP, par: {file: out/f.####.png}}")
        .replace("op: noise1, path: out/f.####.png", "op: movie1, path: back/f.####.png"))
    libs = loaded_libraries(netcook_bin, tmp_path, "render", "m.yaml", "--quiet")
    assert any("libnetcook_media" in lib for lib in libs)
    for frame in ("0001", "0002"):
        assert (tmp_path / "back" / f"f.{frame}.png").read_bytes() == (tmp_path / "out" / f"f.{frame}.png").read_bytes()
