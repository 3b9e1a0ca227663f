"""Fixtures of the write-reliability tests. (`netcook` and `netcook_bin`
come from tests/conftest.py; plain helpers live in write_checks.py.)"""
import pytest

from write_checks import decodes_completely, is_temporary


@pytest.fixture
def check_outputs():
    """Checks a render's output folder: every file under a final name
    decodes completely; temporary files are an error unless allowed
    (a SIGKILL leaves them). Returns the final names."""

    def check(folder, temporaries_allowed=False):
        if not folder.exists():
            return []
        finals = []
        for f in sorted(folder.rglob("*")):
            if f.is_dir():
                continue
            if is_temporary(f):
                assert temporaries_allowed, f"temporary file left behind: {f.name}"
                continue
            assert decodes_completely(f), f"{f.name} is under its final name but does not decode"
            finals.append(f)
        return finals

    return check
