"""The README demo (scripts/demo runs scripts/demo.py) keeps working."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_runs_put_get_head_delete_against_the_local_server() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("local Objectstore running at http://127.0.0.1:")
    for verb in ("put ", "get ", "head ", "delete "):
        assert any(line.startswith(verb) for line in lines), verb
    assert "not available yet" not in result.stdout
    assert lines[-2].endswith("after delete -> None")
    assert lines[-1] == "local Objectstore stopped"
