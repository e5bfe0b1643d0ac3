"""Every Session method and option over real HTTP, one body for the sync and async drivers."""

from __future__ import annotations

import gc
import io
import os
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import zstandard

from objectstore_client import DecodeError, Metadata, TimeToIdle, TimeToLive, Usecase
from tests.e2e.adapter import ClientAdapter, SessionAdapter

TEXT = b"The quick brown fox jumps over the lazy dog. " * 1000


async def test_round_trip_with_metadata(session: SessionAdapter) -> None:
    key = await session.put(
        b"hello",
        key="greeting",
        content_type="text/plain",
        metadata={"source": "e2e", "Mixed-Case": "v"},
        expiration_policy=TimeToLive(timedelta(days=1, hours=1)),
        origin="203.0.113.42",
        filename="hello.txt",
    )
    assert key == "greeting"
    result = await session.get_bytes(key)
    assert result is not None
    metadata, data = result
    assert data == b"hello"
    assert metadata.content_type == "text/plain"
    assert metadata.compression is None  # decompressed for us
    assert metadata.custom == {"source": "e2e", "mixed-case": "v"}
    assert metadata.expiration_policy == TimeToLive(timedelta(days=1, hours=1))
    assert metadata.origin == "203.0.113.42"
    assert metadata.filename == "hello.txt"
    assert metadata.time_created is not None
    assert metadata.time_expires is not None
    head = await session.head(key)
    assert isinstance(head, Metadata)
    assert head.compression == "zstd"  # stored compressed by default
    assert head.custom == metadata.custom


async def test_missing_objects_and_delete(session: SessionAdapter) -> None:
    assert await session.get("nothing-here") is None
    assert await session.head("nothing-here") is None
    key = await session.put(b"x", key="to-delete")
    await session.delete(key)
    assert await session.get(key) is None


async def test_server_generated_keys(session: SessionAdapter) -> None:
    first = await session.put(b"one")
    second = await session.put(b"two", key="")  # "" means no key, like upstream
    assert len(first) == 36
    assert first != second
    result = await session.get_bytes(second)
    assert result is not None
    assert result[1] == b"two"


@pytest.mark.parametrize(
    "key",
    [
        "with space",
        "100%literal-percent",
        "looks%20encoded",
        "café-unicode-😀",
        "nested/path/segments",
        "a?b#c",
        "[x]^|",
        "sub!$'()*+,;=@:delims",
        "trailing/",
    ],
)
async def test_keys_are_literal_strings(session: SessionAdapter, key: str) -> None:
    assert await session.put(key.encode(), key=key) == key
    result = await session.get_bytes(key)
    assert result is not None
    assert result[1] == key.encode()
    other = "looks encoded" if key == "looks%20encoded" else key + "-other"
    assert await session.get(other) is None


async def test_scopes_in_order_and_empty(client: ClientAdapter) -> None:
    org = uuid.uuid4().hex[:8]
    forward = client.session("attachments", org=org, project=1)
    backward = client.session("attachments", project=1, org=org)
    await forward.put(b"forward", key="k")
    assert await backward.get("k") is None
    empty = client.session("scopeless-" + org)
    await empty.put(b"empty", key="k")
    result = await empty.get_bytes("k")
    assert result is not None
    assert result[1] == b"empty"
    falsy = client.session("attachments", org=0, flag=False)
    await falsy.put(b"falsy", key=org)
    assert "org=0;flag=False" in falsy.object_url(org)


async def test_compression_options(session: SessionAdapter) -> None:
    plain = await session.put(TEXT, key="plain", compress="none")
    packed = await session.put(TEXT, key="packed")
    plain_head = await session.head(plain)
    packed_head = await session.head(packed)
    assert plain_head is not None
    assert packed_head is not None
    assert plain_head.compression is None
    assert packed_head.compression == "zstd"
    raw = await session.get_bytes(packed, decompress=False)
    assert raw is not None
    assert raw[0].compression == "zstd"
    assert zstandard.ZstdDecompressor().decompress(raw[1]) == TEXT
    for accept in (["zstd"], ["*"], ["gzip", "zstd"]):
        passthrough = await session.get_bytes(packed, accept_encoding=accept)
        assert passthrough is not None
        assert passthrough[1] == raw[1]
    decoded = await session.get_bytes(packed, accept_encoding=["gzip"])
    assert decoded is not None
    assert decoded[1] == TEXT
    none_usecase = await session.put(TEXT, key="usecase-default")
    assert none_usecase == "usecase-default"


async def test_usecase_defaults(client: ClientAdapter) -> None:
    usecase = Usecase(
        "raw-files", compression="none", expiration_policy=TimeToIdle(timedelta(days=30))
    )
    session = client.session(usecase, org=uuid.uuid4().hex[:8])
    key = await session.put(b"data")
    head = await session.head(key)
    assert head is not None
    assert head.compression is None
    assert head.expiration_policy == TimeToIdle(timedelta(days=30))


async def test_multi_frame_objects_decompress_across_frames(
    session: SessionAdapter, objectstore_url: str
) -> None:
    frames = b"".join(zstandard.ZstdCompressor().compress(b"part-%d|" % i * 5000) for i in range(4))
    path = session.object_url("multi").removeprefix(objectstore_url)
    response = httpx.put(
        objectstore_url + path, content=frames, headers={"content-encoding": "zstd"}
    )
    assert response.status_code == 200
    result = await session.get_bytes("multi")
    assert result is not None
    assert result[1] == b"".join(b"part-%d|" % i * 5000 for i in range(4))


async def test_truncated_compressed_object_is_an_error_not_a_shorter_object(
    session: SessionAdapter, objectstore_url: str
) -> None:
    frames = zstandard.ZstdCompressor().compress(b"complete frame|" * 5000)
    frames += zstandard.ZstdCompressor().compress(b"cut frame|" * 5000)[:-7]
    path = session.object_url("cut").removeprefix(objectstore_url)
    response = httpx.put(
        objectstore_url + path, content=frames, headers={"content-encoding": "zstd"}
    )
    assert response.status_code == 200
    with pytest.raises(DecodeError, match="truncated"):
        await session.get_bytes("cut")
    # the stored bytes themselves are still readable as they are
    raw = await session.get_bytes("cut", decompress=False)
    assert raw is not None
    assert raw[1] == frames


def _chunks() -> Iterator[bytes]:
    for _ in range(20):
        yield TEXT


async def _achunks() -> AsyncIterator[bytes]:
    for _ in range(20):
        yield TEXT


@pytest.mark.parametrize("compression", ["zstd", "none"])
async def test_streaming_sources(
    client: ClientAdapter, session: SessionAdapter, tmp_path: Path, compression: str
) -> None:
    expected = TEXT * 20
    path = tmp_path / "source.bin"
    path.write_bytes(expected)
    offset_file = io.BytesIO(b"SKIP" + expected)
    offset_file.seek(4)
    sources: list[object] = [expected, path, offset_file, _chunks(), memoryview(expected)]
    if client.is_async:
        sources.append(_achunks())
    with path.open("rb") as opened:
        sources.append(opened)
        for i, source in enumerate(sources):
            key = await session.put(source, key=f"source-{i}", compress=compression)
            result = await session.get_bytes(key)
            assert result is not None, source
            assert result[1] == expected, source


async def test_large_object_streams_in_chunks(session: SessionAdapter) -> None:
    big = TEXT * 400  # 18 MB: multi-threaded compression, many chunks both ways
    key = await session.put(big, key="big")
    result = await session.get(key)
    assert result is not None
    _, payload = result
    chunks = await payload.chunks()
    assert len(chunks) > 4
    assert b"".join(chunks) == big


async def test_payload_partial_reads_and_close(session: SessionAdapter) -> None:
    await session.put(TEXT, key="partial")
    result = await session.get("partial")
    assert result is not None
    _, payload = result
    assert await payload.read(10) == TEXT[:10]
    assert await payload.read(5) == TEXT[10:15]
    await payload.close()
    with pytest.raises(ValueError, match="closed"):
        await payload.read()


def test_sync_payload_file_api(objectstore_url: str) -> None:
    from objectstore_client import Client

    with Client(objectstore_url) as client:
        session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:8])
        session.put(TEXT, key="k")
        result = session.get("k")
        assert result is not None
        metadata, payload = result  # tuple-unpackable like upstream
        with payload:
            buffer = bytearray(100)
            assert payload.readinto(buffer) == 100
            assert bytes(buffer) == TEXT[:100]
            assert payload.read1(10) == TEXT[100:110]
            assert payload.read() == TEXT[110:]
        assert payload.closed
        assert result.payload is payload
        assert metadata.content_type == "application/octet-stream"


async def test_object_url_fetches_the_object(session: SessionAdapter) -> None:
    await session.put(b"via url", key="a b/ü", compress="none")
    url = session.object_url("a b/ü")
    assert "/a%20b/%C3%BC" in url
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.content == b"via url"


async def test_concurrent_use_of_one_client(client: ClientAdapter) -> None:
    import asyncio

    session = client.session("attachments", org=uuid.uuid4().hex[:8])
    if client.is_async:
        keys = await asyncio.gather(*(session.put(b"%d" % i, key=f"k{i}") for i in range(20)))
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(8) as pool:
            keys = list(pool.map(lambda i: session.raw.put(b"%d" % i, key=f"k{i}"), range(20)))
    assert sorted(keys) == sorted(f"k{i}" for i in range(20))


def _dna(size: int) -> bytes:
    """Random text over four letters: compresses ~4x, so a download reads in a worker thread."""
    return os.urandom(size).translate(bytes(b"ACGT"[i & 3] for i in range(256)))


def _download_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "objectstore-download"]


def _sync_session(client: Any) -> Any:
    return client.session(Usecase("attachments"), org=uuid.uuid4().hex[:8])


def test_sync_payload_reads_compressible_objects_in_a_worker_thread(objectstore_url: str) -> None:
    from objectstore_client import Client

    big = _dna(8 * 1024 * 1024)
    with Client(objectstore_url) as client:
        session = _sync_session(client)
        session.put(big, key="big")
        # full read
        _, payload = session.get("big")
        assert payload.read() == big
        assert payload._source._pump is not None  # the threaded path ran
        assert not _download_threads()
        # iteration
        _, payload = session.get("big")
        with payload:
            assert b"".join(payload) == big
        assert not _download_threads()
        # partial reads, then close while the worker is ahead of the reader
        _, payload = session.get("big")
        with payload:
            head = payload.read(3 * 1024 * 1024)
            assert head == big[: len(head)]
            assert payload.read1(10) == big[len(head) : len(head) + 10]
            # the worker ran ahead (with a Content-Length body it may already be done)
            assert payload._source._pump is not None
        assert payload.closed
        assert not _download_threads()
        # an abandoned payload is collected and stops its worker
        _, payload = session.get("big")
        payload.read(3 * 1024 * 1024)
        del payload
        gc.collect()
        assert not _download_threads()
        # the connections went back to the pool: the client still works
        _, payload = session.get("big")
        with payload:
            assert payload.read() == big
        assert not _download_threads()


def test_sync_worker_thread_truncated_object_raises(objectstore_url: str) -> None:
    from objectstore_client import Client

    data = _dna(8 * 1024 * 1024)
    frames = zstandard.ZstdCompressor().compress(data)[:-7]
    with Client(objectstore_url) as client:
        session = _sync_session(client)
        url = session.object_url("cut")
        response = httpx.put(url, content=frames, headers={"content-encoding": "zstd"})
        assert response.status_code == 200
        _, payload = session.get("cut")
        with pytest.raises(DecodeError, match="truncated"):
            payload.read()
        assert payload._source._pump is not None
        assert payload.closed
        assert not _download_threads()


def test_sync_small_or_incompressible_objects_stay_on_the_callers_thread(
    objectstore_url: str,
) -> None:
    from objectstore_client import Client

    rand = os.urandom(4 * 1024 * 1024)
    with Client(objectstore_url) as client:
        session = _sync_session(client)
        session.put(rand, key="rand")
        session.put(TEXT, key="small")
        for key, expected in (("rand", rand), ("small", TEXT)):
            _, payload = session.get(key)
            with payload:
                assert payload.read() == expected
                assert payload._source._pump is None
