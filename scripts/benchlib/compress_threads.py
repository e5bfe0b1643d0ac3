"""Upload compression on threads, from memory (no network): the single-put encoder over
log-like text and random bytes, per ``TransferConfig.compress_threads`` setting.

    PYTHONPATH=scripts .venv/bin/python -m benchlib.compress_threads [--mib 64] [--rounds 3]

Prints MB/s (wall) and client CPU per MB for each setting (best of the rounds, interleaved).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from objectstore_client._core.sources import classify_body

from . import data

MIB = 1024 * 1024


def encode(payload: bytes, threads: int | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) to compress ``payload`` as an upload's single put."""
    spec = classify_body(payload, compress=True)
    spec = type(spec)(spec.source, spec.kind, True, threads=threads)
    encoder = spec.encoder(len(payload))
    wall, cpu = time.perf_counter(), time.process_time()
    for at in range(0, len(payload), MIB):
        encoder.feed(payload[at : at + MIB])
    encoder.flush()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchlib.compress_threads")
    parser.add_argument("--mib", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    size = args.mib * MIB
    payloads = {"text": data.log_lines(1, size), "random": data.random_bytes(1, size)}
    settings: tuple[int | None, ...] = (1, 2, None)
    best: dict[tuple[str, int | None], tuple[float, float]] = {}
    for _ in range(args.rounds):
        for name, payload in payloads.items():
            for threads in settings:
                wall, cpu = encode(payload, threads)
                old = best.get((name, threads), (float("inf"), 0.0))
                best[name, threads] = min(old, (wall, cpu))
    for (name, threads), (wall, cpu) in best.items():
        label = "auto" if threads is None else str(threads)
        rate = size / wall / 1e6
        print(
            f"{name:6} compress_threads={label:4}: {rate:,.0f} MB/s, {cpu / size * 1e9:.2f} ms/MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
