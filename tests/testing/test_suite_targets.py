"""The project's tests go only where the user named them: ``OBJECTSTORE_URL`` (the command
line's variable) never sends them anywhere; ``OBJECTSTORE_CONTRACT_URL`` is the only way to
point the contract suite at a server it did not start."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Reads of the CLI's variable from the environment, in any spelling Python code would use.
ENV_READ = re.compile(r"""(environ\.get\(|environ\[|getenv\()\s*["']OBJECTSTORE_URL["']""")


class ConnectionRecorder:
    """A listening loopback socket that accepts and counts every connection."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.peers: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.peers.append(peer)
            conn.close()

    def __enter__(self) -> ConnectionRecorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


def test_no_test_or_fixture_reads_the_cli_variable() -> None:
    readers = [
        str(path.relative_to(ROOT))
        for base in (ROOT / "tests", ROOT / "objectstore_client" / "testing")
        for path in base.rglob("*.py")
        if ENV_READ.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_objectstore_url_set_sends_no_request_there(tmp_path: Path) -> None:
    """The contract suite (which writes and deletes) and the CLI tests, with OBJECTSTORE_URL
    pointing at a recorder: every test runs against local servers, none connects to it."""
    env = {k: v for k, v in os.environ.items() if k != "OBJECTSTORE_CONTRACT_URL"}
    with ConnectionRecorder() as recorder:
        env.update(
            OBJECTSTORE_URL=recorder.url,
            OBJECTSTORE_USECASE="attachments",
            OBJECTSTORE_SCOPES="org=1",
            OBJECTSTORE_CONTRACT_MODES="default",
        )
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:cacheprovider",
                f"--basetemp={tmp_path / 'basetemp'}",
                "tests/contract/test_objects.py",
                "tests/cli/test_cli.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    assert recorder.peers == []


def test_the_recorder_sees_a_connection() -> None:
    with ConnectionRecorder() as recorder:
        socket.create_connection(recorder.sock.getsockname(), timeout=5).close()
        for _ in range(50):
            if recorder.peers:
                break
            threading.Event().wait(0.05)
    assert len(recorder.peers) == 1
