"""Failure semantics over real HTTP: resumed downloads, truncation, lost completions, aborts
that fail, timeouts that end stalls but not slow transfers, error context, token checks."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import zstandard

from objectstore_client import (
    AsyncClient,
    Client,
    InvalidInput,
    ObjectstoreError,
    RequestTimeout,
    RetryPolicy,
    Session,
    TransferConfig,
    TransportError,
    Usecase,
)
from objectstore_client._engines import EngineName
from objectstore_client.testing.faults import (
    Cut,
    Delay,
    Fault,
    FaultProxy,
    RequestInfo,
    Reset,
    Status,
    Trickle,
)
from tests.e2e.adapter import ClientAdapter, SessionAdapter

pytestmark = pytest.mark.timeout(60)

#: Text that compresses about 2:1 (hex digits): hundreds of KiB on the wire either way.
TEXT = os.urandom(512 * 1024).hex().encode()
RANDOM = os.urandom(1 << 20)
FAST = RetryPolicy(5, deadline=5.0, initial_delay=0.02, max_delay=0.2, max_retry_after=0.2)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(params=["sync", "async"])
async def client(request: pytest.FixtureRequest, proxy: FaultProxy) -> AsyncIterator[ClientAdapter]:
    adapter = ClientAdapter(
        str(request.param), proxy.url, timeout_ms=500, connection_kwargs={"retries": FAST}
    )
    yield adapter
    await adapter.close()


@pytest.fixture
def direct(objectstore_url: str) -> Iterator[Client]:
    with Client(objectstore_url) as client:
        yield client


def _sessions(
    client: ClientAdapter, direct: Client, compression: str
) -> tuple[SessionAdapter, Session]:
    scope = uuid.uuid4().hex[:12]
    usecase = Usecase("attachments", compression=compression)  # type: ignore[arg-type]
    return client.session(usecase, org=scope), direct.session(usecase, org=scope)


def stored(session: Session, key: str) -> bytes | None:
    result = session.get(key)
    return None if result is None else result.payload.read()


def _is_first_get(request: RequestInfo) -> bool:
    return request.header("range") == "bytes=0-"


@pytest.mark.parametrize("compression", ["zstd", "none"])
@pytest.mark.parametrize(
    "fault",
    [
        Reset(50_000),
        Cut(40_000),
        Cut(40_000, framing=True),
        Delay(None, at="body", after=30_000),
    ],
    ids=["reset", "cut", "cut-framed", "stall"],
)
async def test_a_broken_download_resumes_to_verified_bytes(
    client: ClientAdapter, direct: Client, proxy: FaultProxy, compression: str, fault: Fault
) -> None:
    session, raw = _sessions(client, direct, compression)
    payload = TEXT if compression == "zstd" else RANDOM
    raw.put(payload, key="big")
    proxy.inject(fault, method="GET", where=_is_first_get)
    result = await session.get("big")
    assert result is not None
    assert sha(await result[1].read()) == sha(payload)
    ranges = [r.header("range") for r in proxy.requests if r.method == "GET"]
    assert ranges[0] == "bytes=0-"
    assert ranges[1] is not None and ranges[1].startswith("bytes=") and ranges[1] != ranges[0]


async def test_truncation_is_detected_when_resuming_cannot_help(
    client: ClientAdapter, direct: Client, proxy: FaultProxy
) -> None:
    """An uncompressed body cut cleanly (valid framing) used to read back short."""
    session, raw = _sessions(client, direct, "none")
    raw.put(RANDOM, key="k")
    proxy.inject(
        Cut(0, framing=True),
        method="GET",
        where=lambda r: r.header("range") != "bytes=0-",
        times=None,
    )
    proxy.inject(Cut(100_000, framing=True), method="GET")
    result = await session.get("k")
    assert result is not None
    with pytest.raises(TransportError, match="ended after 100000 of 1048576 stored bytes"):
        await result[1].read()


async def test_no_resume_when_the_object_was_replaced(
    client: ClientAdapter, direct: Client, proxy: FaultProxy
) -> None:
    session, raw = _sessions(client, direct, "zstd")
    raw.put(TEXT, key="k")

    def replace_first(request: RequestInfo) -> bool:
        if request.header("range") != "bytes=0-":
            raw.put(TEXT[::-1], key="k")
        return False

    proxy.inject(Reset(30_000), method="GET", where=_is_first_get)
    proxy.inject(Status(599), where=replace_first)  # never applies: replaces the object first
    result = await session.get("k")
    assert result is not None
    with pytest.raises(TransportError, match="replaced during the download"):
        await result[1].read()


async def test_a_trickle_is_not_a_stall(
    client: ClientAdapter, direct: Client, proxy: FaultProxy
) -> None:
    """The read timeout (500 ms here) is an inactivity timeout: 1 KiB/s goes through."""
    session, raw = _sessions(client, direct, "none")
    data = os.urandom(2048)
    raw.put(data, key="slow")
    proxy.inject(Trickle(1024, piece=256), method="GET")
    result = await session.get("slow")
    assert result is not None
    assert await result[1].read() == data


async def test_a_stall_ends_in_a_timeout(
    client: ClientAdapter, direct: Client, proxy: FaultProxy
) -> None:
    session, raw = _sessions(client, direct, "none")
    raw.put(b"x", key="k")
    proxy.inject(Delay(None), method="GET", times=None)
    with pytest.raises(RequestTimeout, match="GET /v1/objects/"):
        await session.get("k")


async def test_a_lost_completion_is_recovered(
    client: ClientAdapter, direct: Client, proxy: FaultProxy
) -> None:
    session, raw = _sessions(client, direct, "none")
    proxy.inject(Reset(20), method="POST", path="objects:multipart:complete")
    part = os.urandom(4096)
    upload = await session.initiate()
    done = await upload.put_part(part, part_number=1, content_length=len(part))
    assert await upload.complete([done]) == upload.key
    assert stored(raw, upload.key) == part


async def test_upload_with_a_lost_completion_returns_the_server_chosen_key(
    client: ClientAdapter, direct: Client, proxy: FaultProxy
) -> None:
    session, raw = _sessions(client, direct, "zstd")
    proxy.inject(Reset(20), method="POST", path="objects:multipart:complete")
    with pytest.warns(UserWarning):  # parts below 5 MiB: fine against the local server
        config = TransferConfig(multipart_threshold=4096, part_size=64 * 1024)
    key = await session.call("upload", TEXT[:300_000], config=config)
    assert stored(raw, key) == TEXT[:300_000]


async def test_an_abort_that_fails_names_the_upload(
    client: ClientAdapter, direct: Client, proxy: FaultProxy
) -> None:
    session, _ = _sessions(client, direct, "none")
    proxy.inject(Status(500), method="PUT", path="objects:multipart:parts", times=None)
    proxy.inject(Status(503), method="DELETE", path="objects:multipart/", times=None)
    with pytest.warns(UserWarning):
        config = TransferConfig(multipart_threshold=4096, part_size=64 * 1024)
    with pytest.raises(ObjectstoreError) as info:
        await session.call("upload", RANDOM[:200_000], key="orphan", config=config)
    error = info.value
    upload_id = getattr(error, "upload_id", None)
    assert upload_id and getattr(error, "key", None) == "orphan"
    assert upload_id in str(error) and "resume_multipart_upload" in str(error)
    assert proxy.count("DELETE", "objects:multipart/") > 1  # the abort was retried


async def test_errors_name_method_host_and_prefixed_path() -> None:
    for cls in (Client, AsyncClient):
        client = cls("http://127.0.0.1:9/some/prefix", retries=0)
        session = client.session(Usecase("attachments"), org=1)
        with pytest.raises(TransportError) as info:
            result = session.head("k")
            if asyncio.iscoroutine(result):
                await result
        text = str(info.value)
        assert "HEAD /some/prefix/v1/objects/attachments/org=1/k" in text
        assert not text.endswith("ConnectError")  # a cause, not just the class name twice
        closed = client.close()
        if asyncio.iscoroutine(closed):
            await closed


def test_a_token_with_a_newline_is_refused_up_front(caplog: pytest.LogCaptureFixture) -> None:
    secret = "eyJhbGciOiJFZERTQSIsImtpZCI6ImsifQ.eyJleHAiOjF9.c2lnbmF0dXJlLXNlY3JldA"
    caplog.set_level(logging.DEBUG)
    for cls in (Client, AsyncClient):
        with pytest.raises(InvalidInput) as info:
            cls("http://127.0.0.1:9", token=secret + "\n")
        assert secret not in str(info.value) and secret not in repr(info.value)
    assert secret not in caplog.text


def test_a_zstd_body_from_a_mock_transport_is_decoded_once() -> None:
    data = b"mock transports hand over bodies already in memory " * 100

    def handler(request: httpx.Request) -> httpx.Response:
        body = zstandard.ZstdCompressor().compress(data)
        return httpx.Response(200, content=body, headers={"content-encoding": "zstd"})

    client = Client(
        "http://objectstore.test", connection_kwargs={"transport": httpx.MockTransport(handler)}
    )
    result = client.session(Usecase("attachments"), org=1).get("k")
    assert result is not None and result.payload.read() == data


async def test_a_zstd_body_from_an_async_mock_transport_is_decoded_once() -> None:
    data = b"mock transports hand over bodies already in memory " * 100

    def handler(request: httpx.Request) -> httpx.Response:
        body = zstandard.ZstdCompressor().compress(data)
        return httpx.Response(200, content=body, headers={"content-encoding": "zstd"})

    transport = httpx.MockTransport(handler)
    client = AsyncClient("http://objectstore.test", connection_kwargs={"transport": transport})
    result = await client.session(Usecase("attachments"), org=1).get("k")
    assert result is not None and await result.payload.read() == data
    await client.close()


COPIES = 40  # more than the 32 connections a client keeps alive


@pytest.mark.parametrize("engine", ["httptools", "httpx"])
async def test_streamed_copies_beyond_the_pool_size_complete(
    objectstore_url: str, engine: EngineName
) -> None:
    """get -> put(payload) holds one connection per open download while it writes: with a
    capped pool, 9 tasks over 8 connections (32 threads over 32) deadlocked. The pool now
    opens more connections while all are busy, so every copy completes, byte for byte."""
    kwargs = {} if engine == "httptools" else {"maxsize": 8}  # httpx async caps at 8 otherwise
    async with AsyncClient(objectstore_url, engine=engine, connection_kwargs=kwargs) as client:
        session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:12])
        await asyncio.gather(
            *(session.put(TEXT[: 100_000 + i], key=f"s{i}") for i in range(COPIES))
        )
        opened = [await session.get(f"s{i}") for i in range(COPIES)]  # all held open at once

        async def copy(i: int) -> str:
            result = opened[i]
            assert result is not None

            async def chunks() -> AsyncIterator[bytes]:
                async for chunk in result.payload:
                    yield chunk

            return await session.put(chunks(), key=f"d{i}")

        assert await asyncio.gather(*(copy(i) for i in range(COPIES))) == [
            f"d{i}" for i in range(COPIES)
        ]
        for i in range(COPIES):
            result = await session.get(f"d{i}")
            assert result is not None and await result.payload.read() == TEXT[: 100_000 + i]


@pytest.mark.parametrize("engine", ["httptools", "httpx"])
def test_streamed_copies_in_threads_beyond_the_pool_size_complete(
    objectstore_url: str, engine: EngineName
) -> None:
    with Client(objectstore_url, engine=engine) as client:
        session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:12])
        for i in range(COPIES):
            session.put(TEXT[: 100_000 + i], key=f"s{i}")
        barrier = threading.Barrier(COPIES, timeout=20)

        def copy(i: int) -> str:
            result = session.get(f"s{i}")
            assert result is not None
            barrier.wait()  # every thread holds its download open before any writes
            return session.put(iter(result.payload), key=f"d{i}")

        with ThreadPoolExecutor(COPIES) as pool:
            keys = list(pool.map(copy, range(COPIES)))
        assert keys == [f"d{i}" for i in range(COPIES)]
        for i in (0, COPIES - 1):
            result = session.get(f"d{i}")
            assert result is not None and result.payload.read() == TEXT[: 100_000 + i]


async def test_a_capped_pool_fails_typed_and_says_what_to_do(objectstore_url: str) -> None:
    """With a cap asked for (urllib3's block=True), a full pool is a RequestTimeout after the
    pool timeout, never a hang, and its message says how to get out."""
    options = {"maxsize": 2, "block": True, "timeout": httpx.Timeout(5.0, pool=0.3)}
    async with AsyncClient(objectstore_url, retries=0, connection_kwargs=options) as client:
        session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:12])
        await session.put(b"x" * 1000, key="k")
        held = [await session.get("k"), await session.get("k")]
        with pytest.raises(RequestTimeout) as caught:
            await session.head("k")
        message = str(caught.value)
        assert "with result.payload:" in message and "'block': True" in message
        assert caught.value.maybe_sent is False
        for result in held:
            assert result is not None and await result.payload.read() == b"x" * 1000
        assert await session.head("k") is not None  # slots are free again
