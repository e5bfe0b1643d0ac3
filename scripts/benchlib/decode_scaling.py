"""How decoding a many-frame object scales with threads, from memory (no network, no disk):
the stored bytes of an SDK upload (8 MiB zstd frames) through ``Session.download``'s sink.

    PYTHONPATH=scripts .venv/bin/python -m benchlib.decode_scaling [--mib 256] [--rounds 3]

Prints decoded MB/s per thread count (best of the rounds; rounds interleaved). The machine's
cores bound the speed-up: report the counts the machine has.
"""

from __future__ import annotations

import argparse
import io
import os
import time
from collections.abc import Sequence

from objectstore_client._core.codec import ZstdEncoder
from objectstore_client._core.download import check_destination
from objectstore_client._download_sink import Sink

from . import data

MIB = 1024 * 1024


class _Discard(io.RawIOBase):
    """A destination that keeps nothing (the sink's output is only counted)."""

    def writable(self) -> bool:
        return True

    def write(self, b: object) -> int:
        return len(memoryview(b))  # type: ignore[arg-type]


def stored_text(size: int) -> tuple[bytes, int]:
    """The stored (framed, compressed) bytes of ``size`` bytes of log-like text."""
    text = data.log_lines(1, size)
    encoder = ZstdEncoder(size=len(text))
    chunks = [encoder.feed(text[i : i + MIB]) for i in range(0, len(text), MIB)]
    return b"".join(chunks) + encoder.flush(), len(text)


def decode_seconds(stored: bytes, threads: int) -> float:
    """Seconds to decode ``stored`` through the download sink, fed in 1 MiB pieces."""
    sink = Sink(check_destination(_Discard()), decode=True, threads=threads)
    started = time.perf_counter()
    for at in range(0, len(stored), MIB):
        sink.write([stored[at : at + MIB]])
    sink.finish()
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchlib.decode_scaling")
    parser.add_argument("--mib", type=int, default=256, help="decoded size (default 256)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args(argv)
    stored, size = stored_text(args.mib * MIB)
    print(f"{size / MIB:.0f} MiB of text in {len(stored) / MIB:.1f} MiB of zstd frames, ", end="")
    print(f"{os.cpu_count()} CPUs")
    best = {threads: float("inf") for threads in args.threads}
    for _ in range(args.rounds):
        for threads in args.threads:
            best[threads] = min(best[threads], decode_seconds(stored, threads))
    for threads, seconds in best.items():
        print(f"threads={threads}: {size / seconds / 1e6:,.0f} MB/s decoded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
