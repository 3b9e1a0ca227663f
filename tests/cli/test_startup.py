"""Start-up: commands that write no image or video file never load
OpenImageIO or libav (with their ~260 libraries), movies load libav without
OpenImageIO, and OpenMP threads wait passively without netcook starting
itself twice. Which libraries load is read from the dynamic loader's own
log (LD_DEBUG=libs), never from timing."""
import os
import subprocess
from pathlib import Path

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

IMAGE = ("libOpenImageIO", "libnetcook_image")  # and what OpenImageIO brings: OpenCV, GDAL, ...
VIDEO = ("libavcodec", "libavformat", "libswscale", "libnetcook_video")
HEAVY = IMAGE + VIDEO


def loads(libs, names):
    return [lib for lib in libs if any(name in lib for name in names)]


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


@pytest.mark.parametrize("ext", ["exr", "tif"])
def test_an_exr_or_tiff_render_loads_the_image_library_only(tmp_path, netcook_bin, ext):
    # The check above can see a load: OpenImageIO arrives with the first EXR.
    (tmp_path / "s.yaml").write_text(SCENE.replace("f.####.png", f"f.####.{ext}"))
    libs = loaded_libraries(netcook_bin, tmp_path, "render", "s.yaml", "--quiet")
    assert any("libnetcook_image" in lib for lib in libs)
    assert any("libOpenImageIO" in lib for lib in libs)
    assert not any("libnetcook_video" in lib for lib in libs)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"f.0001.{ext}", f"f.0002.{ext}"]


def test_a_movie_render_loads_libav_without_openimageio(tmp_path, netcook_bin):
    (tmp_path / "s.yaml").write_text(SCENE.replace("f.####.png", "f.mp4"))
    libs = loaded_libraries(netcook_bin, tmp_path, "render", "s.yaml", "--quiet")
    assert any("libnetcook_video" in lib for lib in libs)
    assert any("libavcodec" in lib for lib in libs)
    assert loads(libs, IMAGE) == [], libs
    # OpenImageIO brings some 260 libraries; libav a few dozen.
    assert len(libs) < 160, len(libs)
    assert (tmp_path / "out" / "f.mp4").stat().st_size > 0


def test_the_video_library_does_not_link_openimageio(netcook_bin):
    lib_dir = Path(netcook_bin).resolve().parent.parent / "lib"
    needed = {}
    for kind in ("video", "image"):
        r = subprocess.run(["readelf", "-d", str(lib_dir / f"libnetcook_{kind}.so")],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        needed[kind] = [line.split("[")[1].rstrip("]") for line in r.stdout.splitlines() if "(NEEDED)" in line]
    assert any(name.startswith("libavcodec") for name in needed["video"]), needed
    assert not any("OpenImageIO" in name for name in needed["video"]), needed
    assert any("OpenImageIO" in name for name in needed["image"]), needed
    assert not any(name.startswith(("libavcodec", "libavformat")) for name in needed["image"]), needed


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


def movie_file_in_scene(file, output):
    return (SCENE.replace("noise1: {type: noiseTOP}", f"movie1: {{type: moviefileinTOP, par: {{file: {file}}}}}")
            .replace("op: noise1, path: out/f.####.png", f"op: movie1, path: {output}"))


def test_a_movie_file_in_on_a_sequence_loads_the_image_library_and_reads_its_footage(tmp_path, netcook_bin):
    # Image sequences are read through OpenImageIO (image_sequence_reader.cpp,
    # in the image library): a scene reading one loads it and not the video
    # library (Debian's OpenImageIO brings libav itself), and the frames
    # come through it.
    (tmp_path / "s.yaml").write_text(SCENE)
    assert loads(loaded_libraries(netcook_bin, tmp_path, "render", "s.yaml", "--quiet"), HEAVY) == []
    (tmp_path / "m.yaml").write_text(movie_file_in_scene("out/f.####.png", "back/f.####.png"))
    libs = loaded_libraries(netcook_bin, tmp_path, "render", "m.yaml", "--quiet")
    assert any("libnetcook_image" in lib for lib in libs)
    assert not any("libnetcook_video" in lib for lib in libs)
    for frame in ("0001", "0002"):
        assert (tmp_path / "back" / f"f.{frame}.png").read_bytes() == (tmp_path / "out" / f"f.{frame}.png").read_bytes()


def test_a_movie_file_in_on_a_movie_loads_libav_without_openimageio(tmp_path, netcook_bin):
    (tmp_path / "s.yaml").write_text(SCENE.replace("f.####.png", "f.mp4"))
    loaded_libraries(netcook_bin, tmp_path, "render", "s.yaml", "--quiet")
    (tmp_path / "m.yaml").write_text(movie_file_in_scene("out/f.mp4", "back/f.####.png"))
    for args in (["--no-write"], []):
        libs = loaded_libraries(netcook_bin, tmp_path, "render", "m.yaml", "--quiet", *args)
        assert any("libnetcook_video" in lib for lib in libs)
        assert loads(libs, IMAGE) == [], libs
    assert sorted(p.name for p in (tmp_path / "back").iterdir()) == ["f.0001.png", "f.0002.png"]


def test_each_library_has_its_own_path_override_and_errors_name_it(tmp_path, netcook_bin):
    (tmp_path / "mp4.yaml").write_text(SCENE.replace("f.####.png", "f.mp4"))
    (tmp_path / "exr.yaml").write_text(SCENE.replace("f.####.png", "f.####.exr"))
    (tmp_path / "junk.so").write_text("not a library\n")
    junk = str(tmp_path / "junk.so")

    def render(scene, **env):
        return subprocess.run([netcook_bin, "render", scene, "--quiet"], cwd=tmp_path, env=dict(os.environ, **env),
                              capture_output=True, text=True, timeout=120)

    # A broken image library does not matter to a movie render, which never loads it.
    assert render("mp4.yaml", NETCOOK_IMAGE_LIBRARY=junk).returncode == 0
    r = render("mp4.yaml", NETCOOK_VIDEO_LIBRARY=junk)
    assert r.returncode == 2 and f"cannot load {junk}" in r.stderr, r.stderr
    r = render("exr.yaml", NETCOOK_IMAGE_LIBRARY=junk)
    assert r.returncode != 0 and f"cannot load {junk}" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.exr"))
    # The wrong library in the right place: the missing entry point is named.
    image_library = str(Path(netcook_bin).resolve().parent.parent / "lib" / "libnetcook_image.so")
    r = render("mp4.yaml", NETCOOK_VIDEO_LIBRARY=image_library)
    assert r.returncode == 2, r.stderr
    assert f"{image_library} (loaded as libnetcook_video.so) has no entry point netcook_video_" in r.stderr
