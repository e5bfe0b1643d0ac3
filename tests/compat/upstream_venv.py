"""Virtualenvs holding the published upstream client (``objectstore_client`` is also this
package's import name, so upstream never goes into our venv). Created on first use from PyPI
with pinned versions, cached in the worktree as ``.venv-upstream-<version>``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Exact pins (resolved with pip on 2026-11-29), so every run installs the same code.
_COMMON = [
    "urllib3==2.8.0",
    "zstandard==0.25.0",
    "PyJWT==2.15.1",
    "cryptography==50.0.2",
    "cffi==2.1.1",
    "pycparser==3.12",
    "filetype==1.2.0",
    "sentry-sdk==2.75.0",
    "certifi==2026.10.19.post1",
]
REQUIREMENTS = {
    "0.1.6": ["objectstore-client==0.1.6", *_COMMON],
    "0.2.10": ["objectstore-client==0.2.10", *_COMMON],
}


def _base_python() -> str | None:
    """Upstream needs Python 3.11+: ours if it is, else one found on PATH."""
    if sys.version_info >= (3, 11):
        return sys.executable
    for name in ("python3.13", "python3.12", "python3.11"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``: scripts/check runs one pytest per Python version
    in parallel, and only one of them may build a venv."""
    with path.open("a") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no parallel runs there
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upstream_python(version: str) -> Path:
    """The python of the venv with upstream ``version``; built (once) if missing or stale."""
    venv = ROOT / f".venv-upstream-{version}"
    with _exclusive(ROOT / f".venv-upstream-{version}.lock"):
        return _ensure(venv, version)


def _ensure(venv: Path, version: str) -> Path:
    python = venv / "bin" / "python"
    stamp = venv / "installed.txt"
    wanted = "\n".join(REQUIREMENTS[version])
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    base = _base_python()
    if base is None:
        pytest.skip("upstream objectstore-client needs Python 3.11+, none found")
    subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", *REQUIREMENTS[version]],
        check=True,
        env=env,
    )
    stamp.write_text(wanted)
    return python
