"""A write that fails is an error, never a silently broken file.

For every image format and video container, a render whose files cannot be
written (past RLIMIT_FSIZE, or on a full tmpfs) must exit 1 with
`cannot write PATH: REASON`, leave no temporary file, and leave nothing
under a final name that does not decode completely; frames written before
the failure stay."""
import contextlib
import os
import resource
import signal
import subprocess

import pytest

from write_checks import IMAGE_FORMATS, VIDEO_FORMATS, noise_scene

# Far below one frame of the noise scenes below (a 128x128 8-bit frame of
# colour noise is 49 kB raw and compresses little), above nothing: every
# file fails part-way through.
FILE_SIZE_LIMIT = 4096


def limit_file_size():
    """Runs in the child: lower RLIMIT_FSIZE and give SIGXFSZ its default
    action (which would kill the process), so netcook must ignore it."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)


def output_path(ext):
    return f"out/f.####.{ext}" if ext in IMAGE_FORMATS else f"out/movie.{ext}"


def assert_failed_cleanly(r, out, check_outputs, reason):
    assert r.returncode == 1, r
    assert "cannot write" in r.stderr and reason in r.stderr, r
    return check_outputs(out)


@pytest.mark.parametrize("ext", IMAGE_FORMATS + VIDEO_FORMATS)
def test_file_size_limit(netcook, tmp_path, check_outputs, ext):
    (tmp_path / "s.yaml").write_text(noise_scene(output_path(ext), "1-4", 128))
    r = netcook("render", "s.yaml", "--quiet", preexec_fn=limit_file_size, timeout=60)
    finals = assert_failed_cleanly(r, tmp_path / "out", check_outputs, "File too large")
    # Every frame is larger than the limit, so no file can be complete.
    assert finals == [], [f.name for f in finals]


@contextlib.contextmanager
def small_tmpfs(folder, size="2m"):
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root (CI runs as root)")


# Frames per render and frame size: enough for every format to overflow 2 MB
# after a few complete files (images), or part-way through (video).
FULL_DISK_RUN = {"images": ("1-60", 256), "video": ("1-90", 256)}


@needs_root
@pytest.mark.parametrize("ext", IMAGE_FORMATS + VIDEO_FORMATS)
def test_full_disk(netcook, tmp_path, check_outputs, ext):
    with small_tmpfs(tmp_path / "disk") as disk:
        frames, size = FULL_DISK_RUN["images" if ext in IMAGE_FORMATS else "video"]
        (tmp_path / "s.yaml").write_text(noise_scene(str(disk / output_path(ext)), frames, size))
        r = netcook("render", "s.yaml", "--quiet", timeout=120)
        finals = assert_failed_cleanly(r, disk / "out", check_outputs, "No space left on device")
        if ext in IMAGE_FORMATS:
            # The frames that fitted are kept, complete (checked above).
            assert finals, "no frame fitted before the disk filled"
        else:
            assert finals == [], "a video that could not be finished is under its final name"
