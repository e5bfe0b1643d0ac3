"""Client CPU per 1 KiB put/get/head/delete on the blocking client, server in its own process.

    .venv/bin/python scripts/op-cpu.py [--ops 2000] [--rounds 5] [--engine auto|httpx]

Prints, per operation, the best round's client CPU (process time of this process, which runs
only the client) in microseconds per operation. The local server runs in a child process
(``python -m objectstore_client.testing --storage memory --port 0``), so its CPU is not counted.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable

from objectstore_client import Client, Usecase

SERVER_ARGS = ("--storage", "memory", "--port", "0")


def _start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "objectstore_client.testing", *SERVER_ARGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if found:
            return server, found.group(0)
    server.kill()
    raise SystemExit("the local server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000, help="operations per round and kind")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engine", default="auto", choices=["auto", "httpx", "httptools"])
    args = parser.parse_args()
    server, url = _start_server()
    try:
        with Client(url, engine=args.engine) as client:
            session = client.session(Usecase("bench", compression="none"), org=1)
            payload = os.urandom(1024)
            keys = [f"k{i}" for i in range(args.ops)]
            ops: dict[str, Callable[[str], object]] = {
                "put": lambda key: session.put(payload, key=key),
                "get": lambda key: session.get(key).payload.read(),  # type: ignore[union-attr]
                "head": session.head,
                "delete": session.delete,
            }
            best: dict[str, float] = {}
            for _ in range(args.rounds):
                for name, op in ops.items():
                    started = time.process_time()
                    for key in keys:
                        op(key)
                    spent = (time.process_time() - started) / len(keys) * 1e6
                    best[name] = min(best.get(name, spent), spent)
        for name, micros in best.items():
            print(f"{name:6} {micros:7.1f} us client CPU per op (best of {args.rounds})")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
