"""Run the local Objectstore for the benchmark in its own process (its CPU is not the client's)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import IO


class Server:
    """The server process: ``with Server(python) as url:``."""

    def __init__(self, python: Path, cwd: Path, env: dict[str, str], storage: str) -> None:
        self.args = [
            str(python),
            "-m",
            "objectstore_client.testing",
            "--port",
            "0",
            "--storage",
            storage,
        ]
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
