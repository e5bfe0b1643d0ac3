"""How responses leave the socket: one segment by default, the real server's way in real-wire.

The stall itself is a timing effect and is measured by ``scripts/bench`` (docs/benchmarks.md);
these tests check its causes structurally, over real HTTP: the ``TCP_NODELAY`` option of the
server's accepted socket, and the writes the server makes for each response.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from objectstore_client.testing import LocalObjectstore, _wire
from objectstore_client.testing._wire import (
    REAL_CHUNK_PATTERN,
    CoalescingTransport,
    real_wire_chunks,
)

PATH = "/v1/objects/u/_/k"


class _Recorder:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


def test_writes_of_one_loop_step_are_joined() -> None:
    async def main() -> list[bytes]:
        inner = _Recorder()
        transport = CoalescingTransport(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"head")
        transport.write(b"body")
        assert inner.writes == []  # held until the loop runs its next callback
        await asyncio.sleep(0)
        transport.write(b"next")
        transport.close()  # flushes first
        assert inner.closed
        return inner.writes

    assert asyncio.run(main()) == [b"headbody", b"next"]


def test_large_writes_are_passed_on_at_once() -> None:
    async def main() -> list[bytes]:
        inner = _Recorder()
        transport = CoalescingTransport(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"h")
        transport.write(b"x" * _wire.FLUSH_BYTES)
        return inner.writes

    assert asyncio.run(main()) == [b"h" + b"x" * _wire.FLUSH_BYTES]


def test_real_wire_chunks_repeat_the_real_pattern() -> None:
    data = bytes(range(256)) * 100  # 25,600 bytes, fed in odd pieces
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    chunks = list(real_wire_chunks(iter(pieces)))
    assert b"".join(chunks) == data
    expected = [REAL_CHUNK_PATTERN[i % 3] for i in range(len(chunks) - 1)]
    assert [len(c) for c in chunks[:-1]] == expected
    assert 0 < len(chunks[-1]) <= REAL_CHUNK_PATTERN[len(chunks[:-1]) % 3]


@pytest.fixture
def flushes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every write the server passes to its sockets, in order."""
    seen: list[bytes] = []
    original = CoalescingTransport.flush

    def flush(self: CoalescingTransport) -> None:
        seen.extend([b"".join(self._held)] if self._held else [])
        original(self)

    monkeypatch.setattr(CoalescingTransport, "flush", flush)
    yield seen


def _responses(flushes: list[bytes]) -> list[bytes]:
    return [w for w in flushes if w.startswith(b"HTTP/1.1 ")]


@pytest.mark.parametrize("stack", ["httptools", "h11"])
def test_default_mode_writes_each_small_response_once(flushes: list[bytes], stack: Any) -> None:
    with LocalObjectstore(storage="memory", http_stack=stack) as server, httpx.Client() as client:
        client.put(server.url + PATH, content=b"x" * 1024)
        flushes.clear()
        assert client.get(server.url + PATH).content == b"x" * 1024
        assert client.head(server.url + PATH).status_code == 204
        assert client.put(server.url + PATH, content=b"y").status_code == 200
    assert len(flushes) == 3, flushes
    get, head, put = flushes
    assert get.startswith(b"HTTP/1.1 200 ") and get.endswith(b"x" * 1024 + b"\r\n0\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 204 ")
    assert put.startswith(b"HTTP/1.1 200 ") and put.endswith(b'{"key":"k"}')


def test_real_wire_writes_the_get_head_and_each_chunk_alone(flushes: list[bytes]) -> None:
    body = os.urandom(10_000)
    with LocalObjectstore(storage="memory", real_wire=True) as server, httpx.Client() as c:
        c.put(server.url + PATH, content=body)
        flushes.clear()
        assert c.get(server.url + PATH).content == body
        get_writes = list(flushes)
        flushes.clear()
        assert c.put(server.url + PATH, content=b"y").status_code == 200
        assert flushes[0].startswith(b"HTTP/1.1 200 ") and flushes[0].endswith(b'{"key":"k"}')
        assert len(flushes) == 1  # a response with a length: one segment, like hyper's
    head, *chunks, end = get_writes
    assert head.startswith(b"HTTP/1.1 200 ") and head.endswith(b"\r\n\r\n")
    assert b"transfer-encoding: chunked\r\n" in head
    sizes = [int(chunk.split(b"\r\n", 1)[0], 16) for chunk in chunks]
    assert sizes == [4096, 3967, 129, 1808]
    assert end == b"0\r\n\r\n"


def _server_side_nodelay(server: LocalObjectstore, client: socket.socket) -> int:
    """TCP_NODELAY of the server's end of ``client``'s connection (same process: its fd)."""
    peer = client.getsockname()
    for name in os.listdir("/proc/self/fd"):
        try:
            fd = os.dup(int(name))
        except OSError:
            continue
        try:
            sock = socket.socket(fileno=fd)
        except OSError:
            os.close(fd)  # not a socket
            continue
        with sock:
            try:
                if sock.type == socket.SOCK_STREAM and sock.getpeername() == peer:
                    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            except OSError:
                continue
    raise AssertionError("the server's socket was not found")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
@pytest.mark.parametrize(("real_wire", "nodelay"), [(False, 1), (True, 0)])
def test_accepted_sockets_have_nodelay_unless_real_wire(real_wire: bool, nodelay: int) -> None:
    with LocalObjectstore(storage="memory", real_wire=real_wire) as server:
        host, port = server.url.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port))) as client:
            client.sendall(b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n")
            assert client.recv(4096).startswith(b"HTTP/1.1 200 ")
            assert bool(_server_side_nodelay(server, client)) == bool(nodelay)


def test_real_wire_answers_like_the_real_server() -> None:
    with LocalObjectstore(storage="memory", real_wire=True) as server, httpx.Client() as c:
        c.put(server.url + PATH, content=b"z" * 1024)
        head = c.head(server.url + PATH)
        assert head.status_code == 204 and head.content == b""
        assert head.headers["content-length"] == "0"  # like the real server's HEAD
        for path in ("/v1/objects/u/_/missing", "/nope" + PATH):
            response = c.get(server.url + path)
            assert response.status_code == 404 and response.content == b""
        response = c.get(server.url + PATH)
        assert response.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in response.headers
