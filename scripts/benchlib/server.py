"""Run the local Objectstore for the benchmark in its own process (its CPU is not the client's).

``python -m benchlib.server [args of python -m objectstore_client.testing]`` behaves like the
SDK's CLI (prints the URL, serves until SIGTERM), with one fix applied first: the listening
socket is created with ``IPPROTO_TCP``. Created with ``proto=0``, asyncio does not set
TCP_NODELAY on accepted connections, so every response with a body stalls ~40 ms (Nagle on
the server against the client's delayed ACK) and small-object rates drop to ~22 ops/s for any
client. Once ``testing/_server.py`` passes ``IPPROTO_TCP`` itself, this shim changes nothing.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any


class _TcpSocketModule:
    """The ``socket`` module, except that ``socket()`` defaults ``proto`` to IPPROTO_TCP."""

    def __getattr__(self, name: str) -> Any:
        return getattr(socket, name)

    @staticmethod
    def socket(
        family: int = socket.AF_INET, type: int = socket.SOCK_STREAM, proto: int = 0
    ) -> socket.socket:
        if type == socket.SOCK_STREAM and proto == 0:
            proto = socket.IPPROTO_TCP
        return socket.socket(family, type, proto)


def main(argv: Sequence[str] | None = None) -> int:
    from objectstore_client.testing import _server
    from objectstore_client.testing.__main__ import main as serve

    if getattr(_server, "socket", None) is socket:
        setattr(_server, "socket", _TcpSocketModule())  # noqa: B010
    return serve(argv)


class Server:
    """The server process: ``with Server(python) as url:``."""

    def __init__(self, python: Path, cwd: Path, env: dict[str, str], storage: str) -> None:
        self.args = [str(python), "-m", "benchlib.server", "--port", "0", "--storage", storage]
        self.cwd, self.env = cwd, env
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(
            self.args, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE, text=True
        )
        stdout: IO[str] | None = self.proc.stdout
        line = stdout.readline().strip() if stdout is not None else ""
        if not line.startswith("http"):
            self.proc.kill()
            raise RuntimeError(f"the local server did not start (printed {line!r})")
        return line

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


if __name__ == "__main__":
    sys.exit(main())
