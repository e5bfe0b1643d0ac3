#!/usr/bin/env python3
"""Measure the client's peak memory for an automatic upload from a non-seekable stream.

256 MiB (by default) of log-like text come from a generator of 1 MiB chunks (length unknown
to the SDK), uploaded with ``Session.upload`` as a parallel multipart upload. The server
(LocalObjectstore, filesystem storage) runs in another process, so only the client is
measured. The object is then read back and checked against the source's CRC-32.

Usage: .venv/bin/python scripts/upload-memory.py [--size-mib 256] [--part-size-mib 8]
       [--concurrency 4] [--driver sync|async]
Prints the peak of Python objects held during the upload (tracemalloc: the source bytes the
SDK buffers) next to concurrency x part size, and the peak RSS growth, which adds native
memory (zstd contexts, malloc arenas of the worker threads). Exits 1 when the held peak
exceeds the bound plus --slack-mib (default 1 + concurrency MiB: one 1 MiB read chunk and one
1 MiB send buffer per part in flight).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

MIB = 1024 * 1024


def rss_mib(field: str) -> float:
    """VmHWM (peak) or VmRSS (current) of this process, in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux >= 4.0); harmless elsewhere."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def make_pool() -> bytes:
    """4 MiB of log-like lines (compressible about 4-6x), larger than zstd's window."""
    rng = random.Random(7)
    words = [
        bytes(rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(400)
    ]
    lines, size = [], 0
    while size < 4 * MIB:
        line = b'{"ts":%d,"level":"INFO","trace":"%032x","msg":"%s"}\n' % (
            1_700_000_000_000 + size,
            rng.getrandbits(128),
            b" ".join(rng.choices(words, k=rng.randint(4, 12))),
        )
        lines.append(line)
        size += len(line)
    return b"".join(lines)[: 4 * MIB]


def chunks(size: int, pool: bytes) -> Iterator[bytes]:
    """A non-seekable stream: fresh 1 MiB bytes objects, nothing retained."""
    sent = 0
    while sent < size:
        n = min(MIB, size - sent)
        start = sent % len(pool)
        piece = pool[start : start + n]
        if len(piece) < n:
            piece += pool[: n - len(piece)]
        sent += n
        yield piece


async def achunks(size: int, pool: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks(size, pool):
        yield chunk


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


def run_sync(
    url: str, args: argparse.Namespace, pool: bytes
) -> tuple[float, float, float, int, int]:
    from objectstore_client import Client, TransferConfig, Usecase

    config = TransferConfig(part_size=args.part_size_mib * MIB, concurrency=args.concurrency)
    size = args.size_mib * MIB
    with Client(url) as client:
        session = client.session(Usecase("memory-check"), run=os.getpid())
        start = time.perf_counter()
        tracemalloc.start()
        key = session.upload(chunks(size, pool), "stream", config=config, compress=args.compression)
        held = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
        elapsed = time.perf_counter() - start
        peak = rss_mib("VmHWM")
        result = session.get(key)
        assert result is not None
        crc, total = 0, 0
        with result.payload as payload:
            for chunk in payload:
                crc, total = zlib.crc32(chunk, crc), total + len(chunk)
        session.delete(key)
    return elapsed, peak, held, crc, total


async def run_async(
    url: str, args: argparse.Namespace, pool: bytes
) -> tuple[float, float, float, int, int]:
    from objectstore_client import AsyncClient, TransferConfig, Usecase

    config = TransferConfig(part_size=args.part_size_mib * MIB, concurrency=args.concurrency)
    size = args.size_mib * MIB
    async with AsyncClient(url) as client:
        session = client.session(Usecase("memory-check"), run=os.getpid())
        start = time.perf_counter()
        tracemalloc.start()
        key = await session.upload(
            achunks(size, pool), "stream", config=config, compress=args.compression
        )
        held = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
        elapsed = time.perf_counter() - start
        peak = rss_mib("VmHWM")
        result = await session.get(key)
        assert result is not None
        crc, total = 0, 0
        async with result.payload as payload:
            async for chunk in payload:
                crc, total = zlib.crc32(chunk, crc), total + len(chunk)
        await session.delete(key)
    return elapsed, peak, held, crc, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--part-size-mib", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--driver", choices=["sync", "async"], default="sync")
    parser.add_argument("--compression", choices=["zstd", "none"], default="zstd")
    parser.add_argument("--slack-mib", type=float, default=None)
    args = parser.parse_args()
    size = args.size_mib * MIB
    pool = make_pool()
    want = 0
    for chunk in chunks(size, pool):
        want = zlib.crc32(chunk, want)
    import objectstore_client  # noqa: F401  (the SDK's imports belong to the baseline)

    with tempfile.TemporaryDirectory(prefix="upload-memory-") as data_dir:
        server, url = start_server(data_dir)
        try:
            reset_peak()
            baseline = rss_mib("VmRSS")
            if args.driver == "sync":
                elapsed, peak, held, crc, total = run_sync(url, args, pool)
            else:
                elapsed, peak, held, crc, total = asyncio.run(run_async(url, args, pool))
        finally:
            server.terminate()
            server.wait(timeout=30)
    bound = args.concurrency * args.part_size_mib
    # one read chunk, plus one 1 MiB send buffer per part in flight
    slack = args.slack_mib if args.slack_mib is not None else 1 + args.concurrency
    growth = peak - baseline
    ok = crc == want and total == size
    print(f"driver: {args.driver}, {args.size_mib} MiB from a non-seekable stream")
    print(f"parts: {args.part_size_mib} MiB x concurrency {args.concurrency} = {bound} MiB bound")
    print(f"upload: {size / elapsed / 1e6:.0f} MB/s; read back: {'ok' if ok else 'MISMATCH'}")
    print(f"peak of Python objects held during the upload (tracemalloc): {held:.1f} MiB")
    print(f"client RSS before upload: {baseline:.1f} MiB, peak during upload: {peak:.1f} MiB")
    print(f"peak RSS growth: {growth:.1f} MiB (adds zstd contexts and allocator slack)")
    if not ok:
        return 2
    if held > bound + slack:
        print(f"FAIL: held more than {bound} + {slack:.0f} MiB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
