"""Engines against scripted wire behaviour: pooling, framing, errors and timeouts.

Engines raise the SDK's typed errors (mapped at each engine's boundary), checked here so
that retry decisions (``maybe_sent``) are the same for every engine.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import httpx
import pytest

from objectstore_client._exceptions import (
    ConnectError,
    ProtocolViolation,
    RequestTimeout,
    TransportError,
)
from tests.engines.conftest import VARIANTS, EngineAdapter, EngineFactory, http_kwargs
from tests.engines.rawserver import Connection, RawServer, Request, ok, serve_forever


def _sdk_error(exc: BaseException) -> TransportError:
    assert isinstance(exc, TransportError), exc
    assert exc.method == "GET" and exc.path == "/k", (exc.method, exc.path)
    return exc


async def test_one_connection_for_sequential_requests(make_engine: EngineFactory) -> None:
    with RawServer(serve_forever(lambda request: ok(b"hi"))) as server:
        engine = make_engine(server.url)
        for _ in range(5):
            response = await engine.send("GET", "/k")
            assert await engine.read(response) == b"hi"
        assert server.accepted == 1


async def test_split_writes_without_nodelay(make_engine: EngineFactory) -> None:
    """The real server's shape: Nagle on, head and chunked body in separate writes."""

    def handler(conn: Connection) -> None:
        while conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            conn.send(b"1000\r\n" + b"a" * 4096 + b"\r\nf7f\r\n" + b"b" * 3967 + b"\r\n")
            conn.send(b"81\r\n" + b"c" * 129 + b"\r\n0\r\n\r\n")

    with RawServer(handler, nodelay=False) as server:
        engine = make_engine(server.url)
        for _ in range(3):
            response = await engine.send("GET", "/k")
            assert await engine.read(response) == b"a" * 4096 + b"b" * 3967 + b"c" * 129
        assert server.accepted == 1


async def test_head_response_announcing_a_length(make_engine: EngineFactory) -> None:
    """A HEAD answer ends after its header block, whatever Content-Length says."""

    def answer(request: Request) -> bytes:
        if request.method == b"HEAD":
            return b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n"
        return ok(b"after")

    with RawServer(serve_forever(answer)) as server:
        engine = make_engine(server.url)
        response = await engine.send("HEAD", "/k")
        assert response.headers["content-length"] == "100"
        assert await engine.read(response) == b""
        response = await engine.send("GET", "/k")
        assert await engine.read(response) == b"after"
        assert server.accepted == 1


async def test_body_until_close(make_engine: EngineFactory) -> None:
    """No length, no chunking: the body ends when the server closes; no reuse after it."""

    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil")
            conn.send(b" the end")

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        for _ in range(2):
            response = await engine.send("GET", "/k")
            assert await engine.read(response) == b"until the end"
        assert server.accepted == 2


async def test_server_closing_an_idle_connection(make_engine: EngineFactory) -> None:
    """A kept-alive connection the server has closed meanwhile is not used again."""

    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.send(ok(b"once"))
        # returning closes the socket without a Connection: close header

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        for _ in range(3):
            response = await engine.send("GET", "/k")
            assert await engine.read(response) == b"once"
            await asyncio.sleep(0.05)  # let the FIN arrive
        assert server.accepted == 3


async def test_keepalive_expiry(make_engine: EngineFactory) -> None:
    with RawServer(serve_forever(lambda request: ok(b"x"))) as server:
        limits = httpx.Limits(max_connections=4, keepalive_expiry=0.0)
        engine = make_engine(server.url, limits=limits)
        for _ in range(2):
            await engine.read(await engine.send("GET", "/k"))
            await asyncio.sleep(0.01)
        assert server.accepted == 2


async def test_request_head_on_the_wire(make_engine: EngineFactory) -> None:
    """Default and own headers, Host, framing: what the server receives."""
    seen: list[Request] = []

    def handler(conn: Connection) -> None:
        while (request := conn.read_request(keep_body=True)) is not None:
            seen.append(request)
            conn.send(ok())

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        await engine.read(await engine.send("PUT", "/a/b%20c", b"12345", {"X-Sn-Meta": "v"}))
        await engine.read(await engine.send("DELETE", "/d"))
        await engine.read(await engine.send("POST", "/e"))
    put, delete, post = seen
    assert put.method == b"PUT" and put.target == b"/a/b%20c"
    assert put.headers[b"host"] == f"127.0.0.1:{server.port}".encode()
    assert put.headers[b"user-agent"] == b"engine-tests"
    assert put.headers[b"x-sn-meta"] == b"v"
    assert put.headers[b"content-length"] == b"5" and bytes(put.body) == b"12345"
    assert b"content-length" not in delete.headers
    assert post.headers[b"content-length"] == b"0"


async def test_header_injection_is_refused(make_engine: EngineFactory) -> None:
    with RawServer(serve_forever(lambda request: ok())) as server:
        engine = make_engine(server.url)
        with pytest.raises(TransportError, match="CR, LF or NUL"):
            await engine.send("GET", "/k", headers={"X-A": "v\r\nX-Injected: 1"})
        assert server.accepted == 0 or engine.name == "httpx"


async def test_connect_refused(make_engine: EngineFactory) -> None:
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    engine = make_engine(f"http://127.0.0.1:{port}")
    with pytest.raises(ConnectError) as caught:
        await engine.send("GET", "/k")
    error = _sdk_error(caught.value)
    assert isinstance(error, ConnectError) and error.maybe_sent is False


async def test_read_timeout(make_engine: EngineFactory) -> None:
    release = threading.Event()

    def handler(conn: Connection) -> None:
        conn.read_request()
        release.wait(10)

    with RawServer(handler) as server:
        engine = make_engine(server.url, timeout=httpx.Timeout(10.0, read=0.2))
        started = time.monotonic()
        with pytest.raises(RequestTimeout) as caught:
            await engine.send("GET", "/k")
        release.set()
    assert time.monotonic() - started < 5
    error = _sdk_error(caught.value)
    assert isinstance(error, RequestTimeout) and error.maybe_sent is True


async def test_read_timeout_mid_body(make_engine: EngineFactory) -> None:
    release = threading.Event()

    def handler(conn: Connection) -> None:
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc")
        release.wait(10)

    with RawServer(handler) as server:
        engine = make_engine(server.url, timeout=httpx.Timeout(10.0, read=0.2))
        response = await engine.send("GET", "/k")
        with pytest.raises(RequestTimeout):
            await engine.read(response)
        release.set()


async def test_server_closes_mid_body(make_engine: EngineFactory) -> None:
    def handler(conn: Connection) -> None:
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc")

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        response = await engine.send("GET", "/k")
        with pytest.raises(TransportError) as caught:
            await engine.read(response)
    assert type(_sdk_error(caught.value)) is ProtocolViolation


async def test_malformed_response(make_engine: EngineFactory) -> None:
    def handler(conn: Connection) -> None:
        conn.read_request()
        conn.send(b"NOT HTTP AT ALL\r\n\r\n")

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        with pytest.raises(ProtocolViolation) as caught:
            await engine.send("GET", "/k")
    assert type(_sdk_error(caught.value)) is ProtocolViolation


async def test_pool_timeout(make_engine: EngineFactory) -> None:
    """With every connection busy, a request waits at most the pool timeout; nothing sent."""
    with RawServer(serve_forever(lambda request: ok(b"x" * 10))) as server:
        engine = make_engine(
            server.url,
            limits=httpx.Limits(max_connections=1),
            timeout=httpx.Timeout(10.0, pool=0.2),
        )
        held = await engine.send("GET", "/k")  # body unread: the connection stays busy
        with pytest.raises(RequestTimeout) as caught:
            await engine.send("GET", "/k")
        error = _sdk_error(caught.value)
        assert isinstance(error, RequestTimeout) and error.maybe_sent is False
        assert await engine.read(held) == b"x" * 10
        # the slot is free again
        assert await engine.read(await engine.send("GET", "/k")) == b"x" * 10


async def test_closing_a_response_early_frees_its_slot(make_engine: EngineFactory) -> None:
    with RawServer(serve_forever(lambda request: ok(b"y" * 100_000))) as server:
        engine = make_engine(server.url, limits=httpx.Limits(max_connections=1))
        for _ in range(3):
            response = await engine.send("GET", "/k")
            await engine.close_response(response)
        assert await engine.read(await engine.send("GET", "/k")) == b"y" * 100_000


async def test_errors_name_the_path_with_the_base_prefix(make_engine: EngineFactory) -> None:
    """A body cut short: the error names the path as sent, base prefix included."""

    def handler(conn: Connection) -> None:
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc")

    with RawServer(handler) as server:
        engine = make_engine(server.url + "/base")
        response = await engine.send("GET", "/v1/k")
        assert (response.method, response.path) == ("GET", "/base/v1/k")
        with pytest.raises(TransportError) as caught:
            await engine.read(response)
    error = caught.value
    assert error.path == "/base/v1/k" and "GET /base/v1/k" in str(error)


async def test_every_engine_sends_the_same_head() -> None:
    """One request builder: the same fields, in the same order, from every engine."""
    seen: list[list[tuple[bytes, bytes]]] = []

    def handler(conn: Connection) -> None:
        while (request := conn.read_request(keep_body=True)) is not None:
            seen.append([(request.method, request.target), *request.headers.items()])
            conn.send(ok())

    with RawServer(handler) as server:
        for name, kind in VARIANTS:
            engine = EngineAdapter(name, kind, http_kwargs(server.url + "/p"))
            for method, content in (("PUT", b"abc"), ("POST", None), ("GET", None)):
                headers = {"X-Sn-Meta": "v"}
                await engine.read(await engine.send(method, "/a%20b", content, headers))
            await engine.close()
    per_engine = [seen[i : i + 3] for i in range(0, len(seen), 3)]
    assert len(per_engine) == len(VARIANTS)
    assert all(heads == per_engine[0] for heads in per_engine)
    put, post, get = per_engine[0]
    assert put[0] == (b"PUT", b"/p/a%20b") and (b"content-length", b"3") in put
    assert (b"content-length", b"0") in post
    assert not any(name == b"content-length" for name, _ in get[1:])
