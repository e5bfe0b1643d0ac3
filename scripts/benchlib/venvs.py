"""Virtualenvs for the upstream client (same import name as ours, so never in our venv)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def ensure_upstream(bench_dir: Path, version: str) -> Path:
    """``.bench/venv-upstream-<version>`` with ``objectstore-client==<version>``; its python."""
    venv = bench_dir / f"venv-upstream-{version}"
    python = venv / "bin" / "python"
    stamp = venv / "bench-installed.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == version:
        return python
    print(f"creating {venv} with objectstore-client=={version}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            f"objectstore-client=={version}",
        ],
        check=True,
    )
    stamp.write_text(version)
    return python
