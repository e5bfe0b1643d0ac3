#!/usr/bin/env python3
"""Stream 1 GiB up to and down from the local Objectstore and report the server's peak RSS.

Runs `python -m objectstore_client.testing --port 0` as a subprocess, PUTs a 1 GiB body from a
generator, GETs it back while discarding the bytes, then reads VmHWM (peak resident set size)
of the server process from /proc. Exits non-zero if the peak exceeds the limit (200 MiB).

    .venv/bin/python scripts/server-memory.py [--size-mib 1024] [--limit-mib 200]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx

CHUNK = 1024 * 1024


def vm_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not found for pid {pid}")


def body(size: int, digest: hashlib._Hash) -> Iterator[bytes]:
    block = bytes(range(256)) * (CHUNK // 256)
    sent = 0
    while sent < size:
        piece = block[: min(CHUNK, size - sent)]
        digest.update(piece)
        sent += len(piece)
        yield piece


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--limit-mib", type=int, default=200)
    args = parser.parse_args()
    size = args.size_mib * 1024 * 1024

    server = subprocess.Popen(
        [sys.executable, "-m", "objectstore_client.testing", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http://"):
            print(f"server did not start: {url!r}", file=sys.stderr)
            return 2
        idle = vm_kib(server.pid, "VmRSS")
        path = "/v1/objects/memory-check/_/one-gib"
        with httpx.Client(base_url=url, timeout=600) as client:
            up = hashlib.sha256()
            start = time.monotonic()
            response = client.put(path, content=body(size, up))
            response.raise_for_status()
            upload_s = time.monotonic() - start
            after_upload = vm_kib(server.pid, "VmHWM")

            down = hashlib.sha256()
            received = 0
            start = time.monotonic()
            with client.stream("GET", path) as response:
                response.raise_for_status()
                for chunk in response.iter_raw(CHUNK):
                    down.update(chunk)
                    received += len(chunk)
            download_s = time.monotonic() - start
            client.delete(path)
        peak = vm_kib(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)

    mib = 1024 * 1024
    print(f"object size:          {size / mib:8.0f} MiB")
    print(f"upload:               {upload_s:8.1f} s ({size / mib / upload_s:.0f} MiB/s)")
    print(f"download:             {download_s:8.1f} s ({received / mib / download_s:.0f} MiB/s)")
    print(f"server RSS idle:      {idle / 1024:8.1f} MiB")
    print(f"server peak (upload): {after_upload / 1024:8.1f} MiB")
    print(f"server peak (VmHWM):  {peak / 1024:8.1f} MiB (limit {args.limit_mib} MiB)")
    if received != size or up.digest() != down.digest():
        print("MISMATCH: downloaded bytes differ from the upload", file=sys.stderr)
        return 1
    if peak / 1024 > args.limit_mib:
        print("FAIL: peak memory above the limit", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
