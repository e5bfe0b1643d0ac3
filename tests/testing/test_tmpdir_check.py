"""The suite-wide check of tests/conftest.py: a session that starts with an empty temporary
directory fails when it leaves anything there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p", "no:cacheprovider"]

LEAKS = """
import tempfile

def test_leaks():
    tempfile.mkdtemp(prefix="leaked-")
"""
CLEAN = """
import tempfile

def test_cleans_up(tmp_path):
    with tempfile.TemporaryDirectory():
        (tmp_path / "fine").write_text("pytest keeps its own tmp_path")
"""


def _session(tmp_path: Path, source: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    private = tmp_path / "private-tmp"
    private.mkdir()
    test_file = tmp_path / "test_child.py"
    test_file.write_text(source)
    result = subprocess.run(
        [*PYTEST, str(test_file)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(private)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result, private


def test_a_session_that_leaves_a_temp_dir_fails(tmp_path: Path) -> None:
    result, private = _session(tmp_path, LEAKS)
    assert result.returncode == 1, result.stdout
    assert "1 passed" in result.stdout
    assert f"the test session left 1 entries in {private}: ['leaked-" in result.stdout


def test_a_clean_session_passes_with_pytests_own_dir_exempt(tmp_path: Path) -> None:
    result, private = _session(tmp_path, CLEAN)
    assert result.returncode == 0, result.stdout
    assert [p.name.startswith("pytest-of-") for p in private.iterdir()] == [True]
