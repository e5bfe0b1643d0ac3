"""The httpx engine's httpcore pool (_engines/_httpx_*.py): request building, read size,
error mapping."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpcore
import httpx
import pytest

from objectstore_client import AsyncClient, Client, ConnectError, RequestTimeout, Usecase
from objectstore_client._config import build_config
from objectstore_client._constants import COALESCE_WRITE_BYTES, SOCKET_READ_BYTES
from objectstore_client._engines._errors import transport_error
from objectstore_client._engines._httpx_net_async import AsyncBigReadBackend
from objectstore_client._engines._httpx_net_sync import BigReadBackend, connection_pool
from objectstore_client._engines._httpx_pool import HttpcorePool
from objectstore_client._engines._request import RequestBuilder
from objectstore_client._engines._settings import Settings
from objectstore_client._exceptions import TransportError


class RecordingStream(httpcore.NetworkStream):
    def __init__(self) -> None:
        self.asked: list[int] = []

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.asked.append(max_bytes)
        return b""


class RecordingBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.stream = RecordingStream()

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return self.stream


class AsyncRecordingStream(httpcore.AsyncNetworkStream):
    def __init__(self) -> None:
        self.asked: list[int] = []

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.asked.append(max_bytes)
        return b""


class AsyncRecordingBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.stream = AsyncRecordingStream()

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return self.stream


def test_reads_are_at_least_the_socket_read_size() -> None:
    inner = RecordingBackend()
    stream = BigReadBackend(inner).connect_tcp("h", 1)
    stream.read(65536)
    stream.read(SOCKET_READ_BYTES * 2)
    assert inner.stream.asked == [SOCKET_READ_BYTES, SOCKET_READ_BYTES * 2]


async def test_async_reads_are_at_least_the_socket_read_size() -> None:
    inner = AsyncRecordingBackend()
    stream = await AsyncBigReadBackend(inner).connect_tcp("h", 1)
    await stream.read(65536)
    assert inner.stream.asked == [SOCKET_READ_BYTES]


class _Wire:
    """What the httpx engine hands httpcore: the built request in httpcore's form."""

    def __init__(self, http_kwargs: Any) -> None:
        settings = Settings(http_kwargs)
        self.builder = RequestBuilder(settings)
        self.pool = HttpcorePool(settings, connection_pool)

    def request(self, kwargs: dict[str, Any], content: Any) -> httpcore.Request:
        return self.pool.core_request(self.builder.build(kwargs, content, kwargs["url"]))


def _wire(url: str = "http://h:8/prefix", **connection_kwargs: Any) -> _Wire:
    config = build_config(
        url, retries=None, timeout_ms=None, connection_kwargs=connection_kwargs or None
    )
    return _Wire(config.httpx_kwargs)


def test_request_matches_what_httpx_would_send() -> None:
    wire = _wire(headers={"X-Extra": "1"})
    kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/objects:multipart:parts/u/org=1/k%20ey",
        "params": {"upload_id": "u+p/=", "part_number": 3},
        "headers": {"x-extra": "2", "Content-Type": "application/octet-stream"},
    }
    request = wire.request(kwargs, b"abc")
    expected = httpx.Client(base_url="http://h:8/prefix", headers={"X-Extra": "1"}).build_request(
        kwargs["method"], kwargs["url"], params=kwargs["params"], headers=kwargs["headers"],
        content=b"abc",
    )  # fmt: skip
    assert request.method == b"PUT"
    assert request.url.target == expected.url.raw_path
    assert (request.url.scheme, request.url.host, request.url.port) == (b"http", b"h", 8)
    headers = {k.lower(): v for k, v in request.headers}
    assert headers[b"x-extra"] == b"2" and headers[b"host"] == b"h:8"
    assert headers[b"content-length"] == b"3"
    assert headers[b"accept-encoding"] == b"identity"
    assert sum(k.lower() == b"x-extra" for k, _ in request.headers) == 1


def test_request_bodies_and_framing() -> None:
    wire = _wire("https://h")
    streamed = wire.request({"method": "post", "url": "/a", "headers": {}}, iter([b"x"]))
    assert (b"Transfer-Encoding", b"chunked") in streamed.headers
    empty = wire.request({"method": "post", "url": "/a", "headers": {}}, None)
    assert (b"Content-Length", b"0") in empty.headers
    get = wire.request({"method": "get", "url": "/a b", "headers": {}}, None)
    assert get.url.target == b"/a%20b" and get.url.scheme == b"https"
    assert not any(k.lower() == b"content-length" for k, _ in get.headers)
    as_json = wire.request({"method": "post", "url": "/c", "headers": {}, "json": {"a": [1]}}, None)
    assert b"".join(as_json.stream) == b'{"a":[1]}'  # type: ignore[arg-type]
    assert (b"Content-Type", b"application/json") in as_json.headers


def test_httpcore_errors_become_the_sdk_s() -> None:
    slow = transport_error(httpcore.ReadTimeout("slow"), "GET", "/k")
    assert isinstance(slow, RequestTimeout) and slow.maybe_sent
    refused = transport_error(httpcore.ConnectError("no"), "GET", "/k", ("h", 8))
    assert isinstance(refused, ConnectError) and not refused.maybe_sent
    assert "could not connect to h:8" in str(refused)
    assert type(transport_error(httpcore.ProxyError("p"), "GET", "/k")) is TransportError


def test_connection_failures_surface_as_ours() -> None:
    with Client("http://127.0.0.1:1", retries=0, engine="httpx") as client:
        session = client.session(Usecase("u"), org=1)
        with pytest.raises(ConnectError):
            session.head("k")


async def test_a_transport_or_proxy_is_used_as_is() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    with Client("http://h", connection_kwargs={"transport": transport}) as client:
        engine: Any = client._engine
        assert engine._pool is None and engine._http is not None
    async with AsyncClient("http://h", connection_kwargs={"proxy": "http://p:3128"}) as proxied:
        engine = proxied._engine
        assert engine._pool is None and engine._http is not None


class WritingStream(RecordingStream):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[bytes] = []

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.sent.append(buffer)


def test_small_writes_leave_together_before_the_next_read() -> None:
    inner = RecordingBackend()
    inner.stream = WritingStream()
    stream = BigReadBackend(inner).connect_tcp("h", 1)
    stream.write(b"headers\r\n\r\n")
    stream.write(b"small body")
    assert inner.stream.sent == []
    stream.read(10)
    assert inner.stream.sent == [b"headers\r\n\r\nsmall body"]
    big = b"x" * (COALESCE_WRITE_BYTES + 1)
    stream.write(b"headers")
    stream.write(big)
    assert inner.stream.sent[1:] == [b"headers", big]
    stream.read(10)
    assert len(inner.stream.sent) == 3  # nothing was held


class BrokenStream(WritingStream):
    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        raise httpcore.WriteError("broken pipe")


def test_a_failed_held_write_still_reads_the_answer() -> None:
    # httpcore ignores write errors while sending a request so that an early answer is read
    inner = RecordingBackend()
    inner.stream = BrokenStream()
    stream = BigReadBackend(inner).connect_tcp("h", 1)
    stream.write(b"headers\r\n\r\n")
    assert stream.read(10) == b"" and inner.stream.asked == [SOCKET_READ_BYTES]


# -- the default send path against the local server (no transport injected) ----------------


def _roundtrip_items() -> tuple[bytes, list[bytes]]:
    # incompressible and over two socket reads, so the body arrives in several reads
    return os.urandom(2 * SOCKET_READ_BYTES + 123), [b"a" * 10, b"b" * 20]


def test_default_pool_serves_every_operation_sync(objectstore_url: str) -> None:
    big, stream = _roundtrip_items()
    with Client(objectstore_url, engine="httpx") as client:
        engine: Any = client._engine
        assert engine._pool is not None and engine._http is None
        session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:10])
        assert session.put(big, "big", compress="none") == "big"
        assert session.put(iter(stream), "streamed") == "streamed"  # chunked, zstd
        found = session.get("big")
        assert found is not None and found.payload.read() == big
        found = session.get("streamed")
        assert found is not None and found.payload.read() == b"".join(stream)
        head = session.head("streamed")
        assert head is not None and head.compression == "zstd"
        session.delete("big")
        assert session.get("big") is None and session.head("big") is None


async def test_default_pool_serves_every_operation_async(objectstore_url: str) -> None:
    big, stream = _roundtrip_items()

    async def chunks() -> AsyncIterator[bytes]:
        for chunk in stream:
            yield chunk

    async with AsyncClient(objectstore_url, engine="httpx") as client:
        engine: Any = client._engine
        assert engine._pool is not None and engine._http is None
        session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:10])
        assert await session.put(big, "big", compress="none") == "big"
        assert await session.put(chunks(), "streamed") == "streamed"
        found = await session.get("big")
        assert found is not None and await found.payload.read() == big
        found = await session.get("streamed")
        assert found is not None and await found.payload.read() == b"".join(stream)
        await session.delete("big")
        assert await session.get("big") is None


def test_default_pool_keeps_connections_alive(objectstore_url: str) -> None:
    with Client(objectstore_url, engine="httpx") as client:
        session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:10])
        for i in range(5):
            session.put(b"x", f"k{i}")
            assert session.head(f"k{i}") is not None
        engine: Any = client._engine
        assert len(engine._pool.pool.connections) == 1


def test_default_pool_timeouts_surface_as_ours() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with Client(
            f"http://127.0.0.1:{port}", retries=0, timeout_ms=200, engine="httpx"
        ) as client:
            session = client.session(Usecase("u"), org=1)
            with pytest.raises(RequestTimeout) as caught:
                session.head("k")
    assert isinstance(caught.value.__cause__, httpcore.ReadTimeout)
