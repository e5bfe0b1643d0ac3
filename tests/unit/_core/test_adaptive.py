"""Adaptive compression decides from the first bytes, on a corpus generated here: text and
JSON compress; random bytes, PNG/JPEG-like images, zip and gzip archives do not."""

from __future__ import annotations

import gzip
import io
import json
import random
import struct
import zipfile
import zlib

import pytest

from objectstore_client import InvalidInput
from objectstore_client._constants import (
    ADAPTIVE_MIN_SAVING,
    ADAPTIVE_PROBE_BYTES,
    ADAPTIVE_PROBE_MIN_BYTES,
)
from objectstore_client._core.adaptive import compressed_format, decide, split_auto

RNG = random.Random(3)
SIZE = 200_000


def _text() -> bytes:
    words = [
        b"".join(RNG.choice(b"etaoinshrdlu").to_bytes(1, "big") for _ in range(5))
        for _ in range(500)
    ]
    return b" ".join(RNG.choice(words) for _ in range(SIZE // 6))


def _json() -> bytes:
    rows = [
        {"id": i, "name": f"user-{i}", "active": i % 3 == 0, "score": i * 0.5} for i in range(3000)
    ]
    return json.dumps(rows).encode()


def _png() -> bytes:
    """A real PNG of noisy pixels: signature, IHDR, one zlib IDAT, IEND."""
    width = height = 256
    raw = b"".join(b"\x00" + RNG.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _jpeg_like() -> bytes:
    """A JPEG's markers around entropy-coded (random-looking) scan data."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + RNG.randbytes(SIZE) + b"\xff\xd9"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", _text())
        archive.writestr("b.json", _json())
    return buffer.getvalue()


CORPUS = {
    "text": (_text(), True),
    "json": (_json(), True),
    "zeros": (bytes(SIZE), True),
    "random": (RNG.randbytes(SIZE), False),
    "png": (_png(), False),
    "jpeg": (_jpeg_like(), False),
    "zip": (_zip(), False),
    "gzip": (gzip.compress(_text()), False),
    "zlib-without-magic": (zlib.compress(RNG.randbytes(SIZE // 2) + _text()), False),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_decision_on_the_corpus(name: str) -> None:
    payload, worth = CORPUS[name]
    decision = decide(memoryview(payload)[:ADAPTIVE_PROBE_BYTES])
    assert decision.compress is worth, decision.reason


def test_known_formats_by_their_leading_bytes() -> None:
    assert compressed_format(CORPUS["png"][0]) == "PNG"
    assert compressed_format(CORPUS["jpeg"][0]) == "JPEG"
    assert compressed_format(CORPUS["zip"][0]) == "zip"
    assert compressed_format(CORPUS["gzip"][0]) == "gzip"
    assert compressed_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WebP"
    assert compressed_format(b"\x00\x00\x00\x20ftypisom") == "MP4/QuickTime"
    assert compressed_format(b"plain text") is None


def test_small_payloads_are_compressed_without_a_probe() -> None:
    small = RNG.randbytes(ADAPTIVE_PROBE_MIN_BYTES - 1)
    assert decide(small).compress
    assert not decide(b"\x1f\x8b" + small).compress  # a known format still counts


def test_defaults_match_the_documentation() -> None:
    assert ADAPTIVE_PROBE_BYTES == 64 * 1024  # docs/migration.md: "the first 64 KiB"
    assert ADAPTIVE_MIN_SAVING == 0.05  # "by less than 5%"
    assert ADAPTIVE_PROBE_MIN_BYTES == 16 * 1024  # "below 16 KiB"


def test_split_auto() -> None:
    assert split_auto(None) == (None, True)
    assert split_auto("") == ("", True)
    assert split_auto("auto") == (None, True)
    assert split_auto("zstd") == ("zstd", False)
    assert split_auto("none") == ("none", False)
    with pytest.raises(InvalidInput):
        split_auto(3)
