"""Bad input is refused before any network call; transport failures are typed."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest

from objectstore_client import ConnectError, InvalidInput, RequestTimeout, TimeToLive, Usecase
from tests.e2e.adapter import ClientAdapter


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
async def offline(kind: str) -> AsyncIterator[ClientAdapter]:
    """A client whose server does not exist: any request would fail with ConnectError."""
    adapter = ClientAdapter(kind, _closed_port_url(), retries=1)
    yield adapter
    await adapter.close()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"compress": "brotli"}, "Invalid compression: brotli"),
        ({"metadata": {"name": 3}}, "metadata value for 'name' must be a str"),
        ({"metadata": {"with space": "x"}}, "invalid metadata name"),
        ({"origin": b"x"}, "origin must be a str"),
        ({"filename": 1.5}, "filename must be a str"),
        ({"content_type": "text/plain\r\nx: y"}, "content_type"),
        ({"key": 42}, "key must be a str"),
        ({"key": "a/../b"}, "'..' path segments"),
        ({"key": "a/./b"}, "'.' and '..' path segments"),
        ({"key": ".."}, "path segments"),
        ({"contents": "text"}, "contents must be bytes"),
        ({"contents": 3.5}, "got float"),
    ],
)
async def test_bad_put_input(offline: ClientAdapter, call: dict[str, Any], message: str) -> None:
    session = offline.session("attachments", org=1)
    call = dict(call)
    contents = call.pop("contents", b"x")
    with pytest.raises(ValueError, match=message) as info:
        await session.put(contents, **call)
    assert isinstance(info.value, InvalidInput)


async def test_bad_session_input(offline: ClientAdapter) -> None:
    with pytest.raises(ValueError, match="Invalid scope value"):
        offline.session("attachments", org="a/b")
    with pytest.raises(ValueError, match="Scope value cannot be empty"):
        offline.session("attachments", org=None)
    with pytest.raises(ValueError, match="usecase name must not be empty"):
        offline.session("")
    with pytest.raises(ValueError, match="negative"):
        TimeToLive(timedelta(days=-1))
    with pytest.raises(ValueError, match="key must not be empty"):
        await offline.session().get("")
    for method in ("get", "head", "delete"):
        with pytest.raises(ValueError, match="path segments"):
            await getattr(offline.session(), method)("reports/./summary")
    with pytest.raises(ValueError, match="usecase must be a Usecase"):
        offline.raw.session("attachments")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="invalid usecase name"):
        Usecase("a b")


async def test_connection_refused_is_typed(offline: ClientAdapter) -> None:
    session = offline.session()
    for call in (session.put(b"x"), session.get("k"), session.head("k"), session.delete("k")):
        with pytest.raises(ConnectError) as info:
            await call
        assert "/v1/objects/attachments/_/" in str(info.value)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


async def test_read_timeout_is_typed(kind: str, silent_server: str) -> None:
    adapter = ClientAdapter(kind, silent_server, retries=0, timeout_ms=200)
    try:
        with pytest.raises(RequestTimeout) as info:
            await adapter.session().get("k")
        assert "GET /v1/objects/attachments/_/k" in str(info.value)
    finally:
        await adapter.close()


@pytest.fixture
def slow_reader() -> Iterator[str]:
    """Answers one upload with 200 after pausing 0.5 s before reading its body."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                head += conn.recv(65536)
            headers, _, body = head.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in headers.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            time.sleep(0.5)  # the client is blocked writing meanwhile
            received = len(body)
            while received < length:
                received += len(conn.recv(1 << 20))
            reply = b'{"key":"k"}'
            conn.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(reply), reply)
            )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    thread.join(timeout=10)
    listener.close()


async def test_connect_timeout_does_not_limit_slow_uploads(kind: str, slow_reader: str) -> None:
    adapter = ClientAdapter(kind, slow_reader, retries=0)  # 100 ms connect timeout
    try:
        key = await adapter.session().put(b"x" * (32 << 20), key="k", compress="none")
        assert key == "k"
    finally:
        await adapter.close()
