"""Adaptive compression end to end: what the server stores (Content-Encoding) for each
payload and each ``compress`` argument, and that every object reads back the same."""

from __future__ import annotations

import gzip
import io
import random
import warnings
from pathlib import Path

import pytest

from objectstore_client import TransferConfig
from tests.e2e.adapter import SessionAdapter

RANDOM = random.Random(7).randbytes(100_000)
TEXT = b"".join(b"event %d: user signed in from a browser\n" % i for i in range(5000))
GZIP = gzip.compress(TEXT)


async def _stored_encoding(session: SessionAdapter, key: str, expected: bytes) -> str | None:
    got = await session.get_bytes(key)
    assert got is not None and got[1] == expected
    raw = await session.get_bytes(key, decompress=False)
    assert raw is not None
    return raw[0].compression


@pytest.mark.parametrize(
    ("payload", "compress", "stored"),
    [
        (TEXT, None, "zstd"),
        (RANDOM, None, None),  # incompressible: stored as is by default
        (GZIP, None, None),  # a compressed format
        (RANDOM, "auto", None),
        (TEXT, "auto", "zstd"),
        (RANDOM, "zstd", "zstd"),  # explicit: always compressed (the opt-out)
        (TEXT, "none", None),
    ],
)
async def test_put_stores_incompressible_payloads_without_zstd(
    session: SessionAdapter, payload: bytes, compress: str | None, stored: str | None
) -> None:
    kwargs = {} if compress is None else {"compress": compress}
    await session.put(payload, "k", **kwargs)
    assert await _stored_encoding(session, "k", payload) == stored


@pytest.mark.parametrize("source", ["path", "file", "iterator"])
async def test_paths_and_seekable_files_are_probed_without_consuming_them(
    session: SessionAdapter, tmp_path: Path, source: str
) -> None:
    path = tmp_path / "random.bin"
    path.write_bytes(RANDOM)
    contents: object
    if source == "path":
        contents = path
    elif source == "file":
        contents = io.BytesIO(b"skip" + RANDOM)
        contents.seek(4)
    else:  # cannot be looked at without consuming it: compressed as before
        contents = iter([RANDOM[:50_000], RANDOM[50_000:]])
    await session.put(contents, "k")
    expected = "zstd" if source == "iterator" else None
    assert await _stored_encoding(session, "k", RANDOM) == expected


async def test_upload_decides_once_for_all_parts(session: SessionAdapter) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        config = TransferConfig(multipart_threshold=20_000, part_size=20_000)
    await session.call("upload", RANDOM, "big", config=config)
    assert await _stored_encoding(session, "big", RANDOM) is None
    await session.call("upload", RANDOM, "forced", config=config, compress="zstd")
    assert await _stored_encoding(session, "forced", RANDOM) == "zstd"
