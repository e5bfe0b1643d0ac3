"""Which engine serves a client, and what only the httpx engine can do."""

from __future__ import annotations

import socket
import sys

import httpx
import pytest

from objectstore_client._engines import _h1, choose_engine
from objectstore_client._engines._async import open_engine as open_async_engine
from objectstore_client._engines._request import RequestBuilder
from objectstore_client._engines._settings import Settings
from objectstore_client._engines._sync import open_engine as open_sync_engine
from tests.engines.conftest import http_kwargs

URL = "http://127.0.0.1:1"


def test_auto_picks_httptools() -> None:
    assert choose_engine("auto", http_kwargs(URL)) == "httptools"
    assert open_sync_engine("auto", http_kwargs(URL)).name == "httptools"
    assert open_async_engine("auto", http_kwargs(URL)).name == "httptools"


def test_transport_or_proxy_needs_httpx() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    assert choose_engine("auto", http_kwargs(URL, transport=transport)) == "httpx"
    assert choose_engine("auto", http_kwargs(URL, proxy="http://127.0.0.1:3128")) == "httpx"
    with pytest.raises(ValueError, match="cannot use connection_kwargs"):
        choose_engine("httptools", http_kwargs(URL, transport=transport))


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="unknown engine 'curl'"):
        choose_engine("curl", http_kwargs(URL))


def test_mock_transport_through_the_interface() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, content=b"mocked")

    engine = open_sync_engine("auto", http_kwargs(URL, transport=httpx.MockTransport(handler)))
    kwargs = {"method": "PUT", "url": "/v1/k", "headers": {"X-A": "1"}}
    response = engine.send(kwargs, b"body", "PUT", "/v1/k")
    assert (response.status_code, b"".join(response.iter_raw())) == (201, b"mocked")
    assert seen[0].content == b"body" and seen[0].headers["x-a"] == "1"
    engine.close()


async def test_async_mock_transport_through_the_interface() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=await request.aread())

    engine = open_async_engine("auto", http_kwargs(URL, transport=httpx.MockTransport(handler)))
    response = await engine.send({"method": "PUT", "url": "/k", "headers": {}}, b"e", "PUT", "/k")
    assert b"".join([chunk async for chunk in response.aiter_raw()]) == b"e"
    await engine.aclose()


def test_request_head_matches_httpx() -> None:
    """The serialised head carries what httpx.Client would send for the same kwargs."""
    kwargs = http_kwargs("http://example.test:8080/base")
    request = RequestBuilder(Settings(kwargs)).build(
        {"method": "put", "url": "/v1/a%2Fb", "headers": {"Accept": "x/y"}, "params": {"q": 1}},
        b"abc",
        "/v1/a%2Fb",
    )
    head = request.head()
    assert head.startswith(b"PUT /base/v1/a%2Fb?q=1 HTTP/1.1\r\n")
    lines = head.split(b"\r\n")
    assert b"Host: example.test:8080" in lines
    assert b"Accept: x/y" in lines and b"Accept: */*" not in lines
    assert b"Content-Length: 3" in lines and request.chunked is False
    assert head.endswith(b"\r\n\r\n")
    assert request.path == "/base/v1/a%2Fb"


def test_json_body_like_httpx() -> None:
    prepared = RequestBuilder(Settings(http_kwargs(URL))).build(
        {"method": "POST", "url": "/b", "headers": {}, "json": {"k": "ü"}}, None, "/b"
    )
    assert prepared.body == '{"k":"ü"}'.encode()
    assert b"Content-Type: application/json\r\n" in prepared.head()


@pytest.mark.skipif(sys.platform != "linux", reason="TCP_QUICKACK is Linux-only")
def test_quickack_is_armed() -> None:
    """Re-arming sets the socket option (the kernel clears it on its own later)."""
    server = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(server.getsockname())
    try:
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 0)
        _h1.arm_quickack(client)
        assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK) == 1
    finally:
        client.close()
        server.close()


def test_quickack_before_every_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync engine re-arms quick ACKs before each socket read of a response."""
    from objectstore_client._engines import _sync_h1
    from tests.engines.rawserver import Connection, RawServer

    def handler(conn: Connection) -> None:
        while conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            conn.send(b"3\r\nabc\r\n0\r\n\r\n")

    armed: list[socket.socket] = []
    real_arm = _h1.arm_quickack
    reads: list[int] = []
    real_read = _sync_h1._SocketConnection.read_into

    def arm(sock: socket.socket) -> None:
        armed.append(sock)
        real_arm(sock)

    def read_into(
        self: _sync_h1._SocketConnection, exchange: _h1.Exchange, timeout: float | None
    ) -> None:
        before = len(armed)
        real_read(self, exchange, timeout)
        reads.append(len(armed) - before)

    monkeypatch.setattr(_sync_h1, "arm_quickack", arm)
    monkeypatch.setattr(_sync_h1._SocketConnection, "read_into", read_into)
    with RawServer(handler, nodelay=False) as server:
        engine = open_sync_engine("httptools", http_kwargs(server.url))
        for _ in range(3):
            assert (
                b"".join(
                    engine.send(
                        {"method": "GET", "url": "/k", "headers": {}}, None, "GET", "/k"
                    ).iter_raw()
                )
                == b"abc"
            )
        engine.close()
    assert reads and all(count == 1 for count in reads)


def test_client_engine_argument() -> None:
    """Clients take ``engine=``; bad names and impossible combinations fail before any I/O."""
    from objectstore_client import AsyncClient, Client, InvalidInput

    with Client(URL) as client:
        assert client._engine.name == "httptools"
    with Client(URL, engine="httpx") as client:
        assert client._engine.name == "httpx"
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    with Client(URL, connection_kwargs={"transport": transport}) as client:
        assert client._engine.name == "httpx"
    with pytest.raises(InvalidInput, match="unknown engine"):
        AsyncClient(URL, engine="curl")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="cannot use connection_kwargs"):
        Client(URL, engine="httptools", connection_kwargs={"transport": transport})
