#!/usr/bin/env python3
"""Measure the SDK client's peak memory for a 1 GiB upload and download.

The server (LocalObjectstore, filesystem storage in a temporary directory) runs in a separate
process, so only the client is measured. The upload source is a seekable synthetic file of
log-like, compressible text (size known, so the SDK compresses it with all cores); the download
is decompressed as it is read and checked against the source's CRC-32.

Usage: .venv/bin/python scripts/client-memory.py [--size-mib 1024] [--driver sync|async]
Prints the peak RSS (VmHWM) and exits 1 when it is over the limit (default 100 MiB).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

MIB = 1024 * 1024


def peak_rss_mib() -> float:
    """Peak resident set size of this process (VmHWM; ru_maxrss as a fallback)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pool() -> bytes:
    """4 MiB of log-like lines (zstd -3 ratio around 4-6), larger than zstd's window."""
    rng = random.Random(42)
    words = [
        bytes(rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(500)
    ]
    levels = [b"INFO", b"WARN", b"DEBUG", b"ERROR"]
    lines = []
    size = 0
    while size < 4 * MIB:
        line = b'{"ts":%d,"level":"%s","host":"web-%02d","trace":"%032x","msg":"%s","ms":%d}\n' % (
            1_700_000_000_000 + size,
            rng.choice(levels),
            rng.randrange(40),
            rng.getrandbits(128),
            b" ".join(rng.choices(words, k=rng.randint(4, 12))),
            rng.randrange(5000),
        )
        lines.append(line)
        size += len(line)
    return b"".join(lines)[: 4 * MIB]


class SyntheticFile(io.RawIOBase):
    """A seekable, read-only file of ``size`` bytes cycling through the pool (no disk, no RAM)."""

    def __init__(self, size: int, pool: bytes) -> None:
        self._size = size
        self._pool = pool
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, min(self._size, base + offset))
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        n = min(len(view), self._size - self._pos)
        done = 0
        while done < n:
            start = self._pos % len(self._pool)
            take = min(n - done, len(self._pool) - start)
            view[done : done + take] = self._pool[start : start + take]
            done += take
            self._pos += take
        return n


def expected_crc(size: int, pool: bytes) -> int:
    source = SyntheticFile(size, pool)
    crc = 0
    while chunk := source.read(MIB):
        crc = zlib.crc32(chunk, crc)
    return crc


def start_server(data_dir: str) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "objectstore_client.testing",
        "--port", "0", "--storage", "filesystem", "--data-dir", data_dir,
    ]  # fmt: skip
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    if not url.startswith("http"):
        server.kill()
        raise SystemExit(f"server did not start: {url!r}")
    return server, url


def run_sync(url: str, size: int, pool: bytes) -> tuple[int, int, float, float]:
    from objectstore_client import Client, Usecase

    with Client(url, timeout_ms=None) as client:
        session = client.session(Usecase("memory-check"), run=os.getpid())
        started = time.perf_counter()
        key = session.put(SyntheticFile(size, pool), key="one-gib")
        upload = time.perf_counter() - started
        started = time.perf_counter()
        result = session.get(key)
        assert result is not None
        crc, total = 0, 0
        with result.payload as payload:
            for chunk in payload:
                crc = zlib.crc32(chunk, crc)
                total += len(chunk)
        download = time.perf_counter() - started
        session.delete(key)
    return crc, total, upload, download


async def run_async(url: str, size: int, pool: bytes) -> tuple[int, int, float, float]:
    from objectstore_client import AsyncClient, Usecase

    async with AsyncClient(url) as client:
        session = client.session(Usecase("memory-check"), run=os.getpid())
        started = time.perf_counter()
        key = await session.put(SyntheticFile(size, pool), key="one-gib")
        upload = time.perf_counter() - started
        started = time.perf_counter()
        result = await session.get(key)
        assert result is not None
        crc, total = 0, 0
        async with result.payload as payload:
            async for chunk in payload:
                crc = zlib.crc32(chunk, crc)
                total += len(chunk)
        download = time.perf_counter() - started
        await session.delete(key)
    return crc, total, upload, download


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--driver", choices=["sync", "async"], default="sync")
    parser.add_argument("--limit-mib", type=float, default=100.0)
    args = parser.parse_args()
    size = args.size_mib * MIB
    pool = _pool()
    want = expected_crc(size, pool)
    import objectstore_client  # noqa: F401  (count the SDK's imports in the baseline)

    baseline = peak_rss_mib()
    with tempfile.TemporaryDirectory(prefix="client-memory-") as data_dir:
        server, url = start_server(data_dir)
        try:
            if args.driver == "sync":
                crc, total, upload, download = run_sync(url, size, pool)
            else:
                crc, total, upload, download = asyncio.run(run_async(url, size, pool))
        finally:
            server.terminate()
            server.wait(timeout=30)
    peak = peak_rss_mib()
    ok = crc == want and total == size
    print(f"driver: {args.driver}, object: {args.size_mib} MiB of compressible text")
    print(f"upload: {size / upload / 1e6:.0f} MB/s, download: {size / download / 1e6:.0f} MB/s")
    print(f"content check: {'ok' if ok else 'MISMATCH'}")
    print(f"client peak RSS: {peak:.1f} MiB (baseline after imports: {baseline:.1f} MiB)")
    if not ok:
        return 2
    if peak > args.limit_mib:
        print(f"FAIL: peak RSS over {args.limit_mib:.0f} MiB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
