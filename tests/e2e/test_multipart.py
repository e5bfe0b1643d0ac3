"""Multipart uploads end to end: the upstream-compatible manual API and the automatic
``upload`` (parallel parts, retries, abort, progress), sync and async."""

from __future__ import annotations

import io
import os
import uuid
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import zstandard

from objectstore_client import (
    CompletePart,
    InvalidInput,
    MultipartCompleteError,
    PartInfo,
    ProgressEvent,
    RequestError,
    TransferConfig,
)
from objectstore_client.testing import LocalObjectstore
from tests.e2e.adapter import ClientAdapter, SessionAdapter
from tests.e2e.faults import Faults, flaky_transport, part_number


def small_config(**kwargs: int) -> TransferConfig:
    """Tiny parts for the local server (the below-5-MiB warning is expected here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return TransferConfig(**{"part_size": 4096, "multipart_threshold": 8192, **kwargs})


def payload(size: int) -> bytes:
    """Half compressible, half random, so compression matters and frames are not trivial."""
    return (b"objectstore " * (size // 24 + 1))[: size // 2] + os.urandom(size - size // 2)


# -- manual API ----------------------------------------------------------------------------


async def test_manual_multipart_roundtrip(session: SessionAdapter) -> None:
    upload = await session.initiate(key="manual/obj", compress="zstd", content_type="text/x")
    assert upload.key == "manual/obj" and upload.upload_id
    one, two = b"a" * 5000, b"b" * 3000
    frame = zstandard.ZstdCompressor().compress
    p2 = await upload.put_part(frame(two), part_number=2, content_length=len(frame(two)))
    p1 = await upload.put_part(
        io.BytesIO(frame(one)), part_number=1, content_length=len(frame(one))
    )
    assert isinstance(p1, CompletePart) and p1.part_number == 1
    listed = await upload.list_parts()
    assert [p.part_number for p in listed] == [1, 2]
    assert all(isinstance(p, PartInfo) and p.last_modified is not None for p in listed)
    assert await upload.complete([p2, p1]) == "manual/obj"
    result = await session.get_bytes("manual/obj")
    assert result is not None
    metadata, data = result
    assert data == one + two
    assert metadata.content_type == "text/x"


async def test_complete_with_a_bad_etag_raises_and_keeps_the_upload(
    session: SessionAdapter,
) -> None:
    upload = await session.initiate(compress="none")
    part = await upload.put_part(b"xyz", part_number=1, content_length=3)
    assert part.etag
    with pytest.raises(MultipartCompleteError) as info:
        await upload.complete([CompletePart(1, "bogus-etag")])
    assert info.value.code == "InvalidPart" and info.value.status == 200
    assert "etag mismatch" in info.value.message
    resumed = session.resume(upload.key, upload.upload_id)
    assert await resumed.complete(await resumed.list_parts()) == upload.key
    result = await session.get_bytes(upload.key)
    assert result is not None and result[1] == b"xyz"


async def test_abort_discards_the_upload(session: SessionAdapter) -> None:
    upload = await session.initiate(key="aborted")
    await upload.put_part(b"12345", part_number=1, content_length=5)
    await upload.abort()
    with pytest.raises(RequestError) as info:
        await upload.list_parts()
    assert info.value.status == 500
    assert await session.head("aborted") is None


@pytest.mark.parametrize(
    ("contents", "kwargs", "message"),
    [
        (b"abc", {"part_number": 0, "content_length": 3}, "part_number"),
        (b"abc", {"part_number": 1, "content_length": 4}, "content_length"),
        (io.BytesIO(b"ab"), {"part_number": 1, "content_length": 3}, "content_length"),
        (b"abc", {"part_number": 1, "content_length": 3, "content_md5": b"x"}, "content_md5"),
        ("text", {"part_number": 1, "content_length": 4}, "contents"),
    ],
)
async def test_bad_part_input_is_refused_before_any_request(
    client: ClientAdapter, contents: object, kwargs: dict[str, int], message: str
) -> None:
    session = client.session("attachments", org="1")
    upload = session.resume("key", "0190-not-a-real-upload")
    with pytest.raises(InvalidInput, match=message):
        await upload.put_part(contents, **kwargs)


def test_resume_validates_the_upload_id(client: ClientAdapter) -> None:
    session = client.session("attachments", org="1")
    for bad in ("", "../x", "/abs", "a/./b"):
        with pytest.raises(InvalidInput, match="upload_id"):
            session.resume("key", bad)


# -- automatic uploads -----------------------------------------------------------------------


def _chunks(data: bytes, size: int = 1500) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def _achunks(data: bytes) -> AsyncIterator[bytes]:
    for chunk in _chunks(data):
        yield chunk


class _NonSeekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        return self._inner.readinto(buffer)


@pytest.mark.parametrize("source_kind", ["bytes", "path", "file", "stream", "iterable"])
async def test_upload_multipart_reads_back_identical(
    session: SessionAdapter, client: ClientAdapter, tmp_path: Path, source_kind: str
) -> None:
    data = payload(50_000)
    source: object = {
        "bytes": data,
        "file": io.BytesIO(data),
        "stream": _NonSeekable(data),
        "iterable": _achunks(data) if client.is_async else _chunks(data),
    }.get(source_kind)
    if source_kind == "path":
        (tmp_path / "src").write_bytes(data)
        source = tmp_path / "src"
    events: list[ProgressEvent] = []
    config = small_config(concurrency=3)
    key = await session.call(
        "upload", source, "auto/" + source_kind, config=config, progress=events.append,
        metadata={"kind": source_kind},
    )  # fmt: skip
    assert key == "auto/" + source_kind
    result = await session.get_bytes(key)
    assert result is not None
    metadata, read_back = result
    assert read_back == data
    assert metadata.custom == {"kind": source_kind}
    stored = await session.get_bytes(key, decompress=False)
    assert stored is not None and stored[0].compression == "zstd"
    assert sum(e.delta for e in events) == len(data) == events[-1].transferred
    expected_total = None if source_kind in ("stream", "iterable") else len(data)
    assert events[-1].total == expected_total


async def test_small_sources_use_a_single_put(session: SessionAdapter) -> None:
    config = small_config()
    events: list[ProgressEvent] = []
    key = await session.call("upload", b"tiny", config=config, progress=events.append)
    result = await session.get_bytes(key)
    assert result is not None and result[1] == b"tiny"
    # a stream that ends within the first part is a single put too
    key = await session.call("upload", iter([b"ab", b"cd"]), config=config)
    result = await session.get_bytes(key)
    assert result is not None and result[1] == b"abcd"
    assert [e.delta for e in events] == [4]


async def test_empty_stream_uploads_an_empty_object(session: SessionAdapter) -> None:
    key = await session.call("upload", iter([]), "empty", config=small_config())
    result = await session.get_bytes(key)
    assert result is not None and result[1] == b""


async def test_uncompressed_upload(session: SessionAdapter) -> None:
    data = payload(20_000)
    key = await session.call("upload", data, compress="none", config=small_config())
    stored = await session.get_bytes(key, decompress=False)
    assert stored is not None and stored[0].compression is None and stored[1] == data


async def test_upload_compression_is_the_deprecated_name_of_compress(
    session: SessionAdapter,
) -> None:
    """As on put (upstream 0.2.10): compression= still works, with a DeprecationWarning."""
    data = payload(20_000)
    with pytest.warns(DeprecationWarning, match="use `compress` instead"):
        key = await session.call("upload", data, "old-name", compression="none")
    stored = await session.get_bytes(key, decompress=False)
    assert stored is not None and stored[0].compression is None and stored[1] == data
    with pytest.raises(InvalidInput, match="both"), pytest.warns(DeprecationWarning):
        await session.call("upload", data, compress="zstd", compression="none")


def _flaky_client(kind: str, url: str, faults: Faults) -> ClientAdapter:
    adapter = ClientAdapter(
        kind, url, connection_kwargs={"transport": flaky_transport(kind, faults)}
    )
    adapter.set_sleep(lambda _seconds: None)
    return adapter


async def test_a_failed_part_succeeds_on_retry(kind: str, objectstore_url: str) -> None:
    def rule(request: httpx.Request, count: int) -> httpx.Response | None:
        if part_number(request) == 2 and count == 1:
            return httpx.Response(503)
        return None

    faults = Faults(rule)
    client = _flaky_client(kind, objectstore_url, faults)
    try:
        session = client.session("attachments", org=uuid.uuid4().hex[:12])
        data = payload(30_000)
        events: list[ProgressEvent] = []
        config = small_config(concurrency=2)
        key = await session.call("upload", data, config=config, progress=events.append)
        result = await session.get_bytes(key)
        assert result is not None and result[1] == data
        part2 = [url for method, url in faults.log if "part_number=2" in url]
        assert len(part2) == 2
        assert any(e.delta < 0 for e in events)  # the failed part rewound
        assert sum(e.delta for e in events) == len(data)
    finally:
        await client.close()


async def test_permanent_failure_aborts_the_upload(
    kind: str, objectstore_server_factory: Callable[..., LocalObjectstore]
) -> None:
    server = objectstore_server_factory(storage="memory")
    assert server.app is not None
    uploads_root = server.app.uploads.root

    def rule(request: httpx.Request, count: int) -> httpx.Response | None:
        if part_number(request) == 3:
            return httpx.Response(500, json={"detail": "internal error: disk on fire"})
        return None

    faults = Faults(rule)
    client = _flaky_client(kind, server.url, faults)
    try:
        session = client.session("attachments", org=uuid.uuid4().hex[:12])
        with pytest.raises(RequestError) as info:
            await session.call("upload", _chunks(payload(40_000)), "doomed", config=small_config())
        assert info.value.status == 500
        aborts = [url for method, url in faults.log if method == "DELETE"]
        assert len(aborts) == 1
        upload_id = httpx.URL(aborts[0]).params["upload_id"]
        assert list(uploads_root.iterdir()) == []  # no upload left behind on the server
        with pytest.raises(RequestError) as gone:
            await session.resume("doomed", upload_id).list_parts()
        assert gone.value.status == 500  # the upload no longer exists
        assert await session.head("doomed") is None
        assert not any("complete" in url for _, url in faults.log)
    finally:
        await client.close()


async def test_a_failing_source_aborts_the_upload(
    kind: str, objectstore_server_factory: Callable[..., LocalObjectstore]
) -> None:
    server = objectstore_server_factory(storage="memory")
    assert server.app is not None

    def broken() -> Iterator[bytes]:
        yield from _chunks(payload(12_000))
        raise OSError("the pipe broke")

    client = ClientAdapter(kind, server.url)
    try:
        session = client.session("attachments", org="1")
        with pytest.raises(OSError, match="pipe broke"):
            await session.call("upload", broken(), "half", config=small_config())
        assert list(server.app.uploads.root.iterdir()) == []
        assert await session.head("half") is None
    finally:
        await client.close()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"part_size": 100}, "part_size"),
        ({"concurrency": 0}, "concurrency"),
        ({"multipart_threshold": -1}, "multipart_threshold"),
    ],
)
def test_transfer_config_is_validated(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        TransferConfig(**kwargs)


def test_small_part_sizes_warn() -> None:
    with pytest.warns(UserWarning, match="5 MiB"):
        TransferConfig(part_size=1024)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert TransferConfig().max_memory == TransferConfig().concurrency * 16 * 1024 * 1024


async def test_upload_refuses_bad_input_before_any_request(client: ClientAdapter) -> None:
    session = client.session("attachments", org="1")
    with pytest.raises(InvalidInput, match="contents"):
        await session.call("upload", "a string")
    with pytest.raises(InvalidInput, match="config"):
        await session.call("upload", b"x", config={"part_size": 1})
    with pytest.raises(InvalidInput, match="compression"):
        await session.call("upload", b"x", compress="gzip")
