"""Run the local Objectstore for the benchmark in its own process (its CPU is not the client's).

By default it answers like the real server (``--like-real-server``: real-wire sockets, so GETs
on kept-alive connections show the real server's delayed-ACK stall; strict filesystem answers,
so a workload that deletes a key twice fails here as it would there).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import IO


class Server:
    """The server process: ``with Server(python) as url:``."""

    def __init__(
        self,
        python: Path,
        cwd: Path,
        env: dict[str, str],
        storage: str,
        *,
        fast: bool = False,
        http_stack: str = "httptools",
        mode_args: list[str] | None = None,
    ) -> None:
        """``mode_args`` replaces the mode flags made from ``fast`` and ``http_stack`` (for
        servers of older source trees, which do not know them)."""
        if mode_args is None:
            mode_args = ["--http-stack", http_stack]
            if not fast:
                mode_args.append("--like-real-server")
        self.args = [
            str(python),
            "-m",
            "objectstore_client.testing",
            "--port",
            "0",
            "--storage",
            storage,
            *mode_args,
        ]
        self.cwd, self.env = cwd, env
        self.proc: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

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
