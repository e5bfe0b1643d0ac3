"""Deterministic benchmark inputs: log-like JSON lines (zstd -3 ratio ~5) and seeded random bytes.

Files are written once per data directory and reused (a stamp names the generator version), so
both clients stream the very same bytes from disk.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import struct
import zipfile
import zlib
from pathlib import Path

VERSION = 1
CHUNK = 4 * 1024 * 1024

_LEVELS = ["INFO"] * 12 + ["DEBUG"] * 5 + ["WARN"] * 2 + ["ERROR"]
_HOSTS = [f"web-{i:02d}.eu-west-1.internal" for i in range(24)]
_PATHS = ["/api/0/projects/", "/api/0/events/", "/v1/objects/", "/auth/login", "/static/app.js"]
_WORDS = [
    *("request", "handled", "upstream", "cache", "miss", "retry", "timeout", "payload"),
    *("attachment", "event", "issue", "stored", "processed", "user", "session", "token"),
    *("refreshed", "queue", "worker", "batch", "flush", "compaction", "shard", "replica"),
]


def log_lines(seed: int, size: int) -> bytes:
    """About ``size`` bytes of JSON log lines, cut to exactly ``size``."""
    rng = random.Random(seed)
    out: list[bytes] = []
    total = 0
    ts = 1_760_000_000.0
    while total < size:
        ts += rng.random() * 0.01
        line = json.dumps(
            {
                "ts": f"{ts:.6f}",
                "level": rng.choice(_LEVELS),
                "host": rng.choice(_HOSTS),
                "trace": f"{rng.getrandbits(64):016x}",
                "path": rng.choice(_PATHS) + str(rng.randrange(1, 5000)),
                "ms": round(rng.expovariate(0.02), 2),
                "msg": " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(4, 12))),
            },
            separators=(",", ":"),
        ).encode()
        out.append(line + b"\n")
        total += len(line) + 1
    return b"".join(out)[:size]


def random_bytes(seed: int, size: int) -> bytes:
    """``size`` seeded random (incompressible) bytes."""
    return random.Random(seed).randbytes(size)


def _write(path: Path, size: int, make: str) -> None:
    """Write ``size`` bytes chunk by chunk (bounded memory), atomically."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        done = 0
        seed = 0
        while done < size:
            n = min(CHUNK, size - done)
            fh.write(log_lines(seed, n) if make == "text" else random_bytes(seed + 1000, n))
            done += n
            seed += 1
    os.replace(tmp, path)


def _repeat(path: Path, source: Path, size: int) -> None:
    """A larger text file made of copies of ``source`` (far beyond zstd -3's window)."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        done = 0
        while done < size:
            with open(source, "rb") as src:
                while done < size and (chunk := src.read(min(CHUNK, size - done))):
                    out.write(chunk)
                    done += len(chunk)
    os.replace(tmp, path)


def ensure(directory: Path, big: int, huge: int | None) -> dict[str, Path]:
    """Create (or reuse) the input files; returns name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "text": directory / f"text-{big}.log",
        "rand": directory / f"rand-{big}.bin",
    }
    for name, path in files.items():
        stamp = path.with_suffix(f".v{VERSION}")
        if not (path.exists() and stamp.exists() and path.stat().st_size == big):
            _write(path, big, name)
            stamp.touch()
    if huge is not None:
        path = directory / f"text-{huge}.log"
        if not (path.exists() and path.stat().st_size == huge):
            _repeat(path, files["text"], huge)
        files["huge"] = path
    return files


def ensure_file_inputs(directory: Path, size: int) -> dict[str, Path]:
    """The download-to-file inputs of ``size`` bytes: ``ftext`` (log-like text, copies of
    the 100 MiB text beyond that) and ``frand`` (random bytes)."""
    directory.mkdir(parents=True, exist_ok=True)
    text = directory / f"text-{size}.log"
    base = directory / f"text-{min(size, 100 * 1024 * 1024)}.log"
    if not (text.exists() and text.stat().st_size == size):
        if text == base:
            _write(text, size, "text")
        else:
            _repeat(text, base, size)
    rand = directory / f"rand-{size}.bin"
    if not (rand.exists() and rand.stat().st_size == size):
        _write(rand, size, "rand")
    return {"ftext": text, "frand": rand}


def small_payload(i: int) -> bytes:
    """The 1 KiB object number ``i`` (log lines; distinct per i)."""
    return log_lines(i, 1024)


#: The adaptive-compression corpus: what each item is, in the order the report lists them.
CORPUS = {
    "text": "log-like JSON lines",
    "json": "one JSON document (an array of records)",
    "random": "random bytes",
    "png": "a PNG of noisy pixels (zlib IDAT)",
    "jpeg": "JPEG-like: SOI/APP0 markers, entropy-coded (random) data",
    "zip": "a zip archive of log text (deflate)",
    "gzip": "gzip of log text",
}


def _png(rng: random.Random, size: int) -> bytes:
    width = 512
    rows = max(1, size // (3 * width))
    raw = b"".join(b"\x00" + rng.randbytes(3 * width) for _ in range(rows))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, rows, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(raw, 6))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


def _zip(text: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # a fixed date: the archive is the same bytes in every run
        info = zipfile.ZipInfo("app.log", date_time=(2026, 1, 1, 0, 0, 0))
        archive.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def corpus(size: int) -> dict[str, bytes]:
    """The corpus items (keys of :data:`CORPUS`), each about ``size`` bytes; deterministic."""
    rng = random.Random(20)
    # archives of text shrink ~5x: compress 5x as much text to get about ``size`` bytes
    text5 = log_lines(7, 5 * size)
    rows = [
        {"id": i, "name": f"user-{i}", "active": i % 3 == 0, "score": i * 0.5, "tags": ["a", "b"]}
        for i in range(size // 80)  # about 80 bytes each: a whole document of about size
    ]
    jpeg_body = rng.randbytes(size - 24)
    return {
        "text": log_lines(5, size),
        "json": json.dumps(rows).encode(),
        "random": random_bytes(6, size),
        "png": _png(rng, size),
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + jpeg_body
        + b"\xff\xd9",
        "zip": _zip(text5),
        "gzip": gzip.compress(text5, 6, mtime=0),  # no timestamp: deterministic
    }
