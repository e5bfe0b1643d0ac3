"""``objectstore serve``: its name in the help, one-line failures with a documented status,
and no data dir left behind."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from objectstore_client.testing.__main__ import EXIT_CANNOT_START

from .conftest import COMMAND


def _serve(*args: str, tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OBJECTSTORE_")}
    return subprocess.run(
        [*COMMAND, "serve", *args],
        env={**clean, "TMPDIR": str(tmp), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_help_is_named_objectstore_serve(tmp_path: Path) -> None:
    result = _serve("--help", tmp=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: objectstore serve ")
    assert f"{EXIT_CANNOT_START} cannot start" in " ".join(result.stdout.split())


def test_serve_on_a_port_in_use_fails_in_one_line_and_leaks_nothing(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = _serve("--port", str(port), tmp=tmp_path)
    assert result.returncode == EXIT_CANNOT_START == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"objectstore serve: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
    assert list(tmp_path.iterdir()) == []


def test_serve_without_the_testing_extra_says_what_to_install(tmp_path: Path) -> None:
    # a uvicorn that cannot be imported, ahead of the installed one on sys.path
    shadow = tmp_path / "shadow"
    (shadow / "uvicorn").mkdir(parents=True)
    (shadow / "uvicorn" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'uvicorn'\", name='uvicorn')\n"
    )
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    result = _serve("--port", "0", tmp=tmp, PYTHONPATH=str(shadow))
    assert result.returncode == EXIT_CANNOT_START
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "objectstore serve: the local Objectstore needs uvicorn and httptools: "
        'pip install "objectstore-sdk[testing]"'
    ]
    assert list(tmp.iterdir()) == []
