"""Deep in a large body the sync engine reads fewer, larger pieces (``recv_gathering``):
the read waits for a fuller queue for at most a millisecond, never for the read timeout, and
leaves the socket as it found it. Real loopback sockets, the sender with Nagle on and small
writes, like the real server."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from objectstore_client._engines import _sockets, _sync_h1

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SO_RCVLOWAT is used on Linux")


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """(client, server) connected over loopback; the server keeps Nagle on."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
    _sockets.tune_socket(client)
    yield client, server
    client.close()
    server.close()


def _send_in_small_writes(sock: socket.socket, total: int, piece: int = 2700) -> threading.Thread:
    def run() -> None:
        sent = 0
        while sent < total:
            n = min(piece, total - sent)
            sock.sendall(b"x" * n)
            sent += n

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _lowat(sock: socket.socket) -> int:
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT)


def test_deep_reads_take_several_segments_at_once(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    total = 4 << 20
    sender = _send_in_small_writes(server, total)
    buffer = bytearray(256 * 1024)
    sizes: list[int] = []
    while sum(sizes) < total:
        _sockets.arm_quickack(client)
        sizes.append(_sockets.recv_gathering(client, buffer, 5.0, deep=True))
        assert sizes[-1] > 0
    sender.join(5)
    assert sum(sizes) == total
    # most reads waited for a full low-water mark (the last ones may be short)
    full = sum(1 for size in sizes if size >= _sockets.GATHER_BYTES)
    assert full >= len(sizes) // 2, sizes[:20]
    assert _lowat(client) == 1 and client.gettimeout() == 5.0


def test_a_short_tail_waits_a_moment_not_the_timeout(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    server.sendall(b"y" * 1000)
    time.sleep(0.05)
    started = time.monotonic()
    count = _sockets.recv_gathering(client, bytearray(65536), 10.0, deep=True)
    waited = time.monotonic() - started
    assert count == 1000 and _sockets.GATHER_WAIT_SECONDS <= waited < 1.0
    assert _lowat(client) == 1 and client.gettimeout() == 10.0
    server.close()  # an end of stream is reported as usual
    assert _sockets.recv_gathering(client, bytearray(10), 10.0, deep=True) == 0


def test_the_sync_engine_gathers_only_deep_in_a_large_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import objectstore_client as oc

    deep_reads: list[int] = []
    real = _sockets.recv_gathering

    def spy(sock: socket.socket, buffer: bytearray, timeout: float | None, deep: bool) -> int:
        count = real(sock, buffer, timeout, deep)
        if deep:
            deep_reads.append(count)
        return count

    monkeypatch.setattr(_sync_h1, "recv_gathering", spy)
    body = bytes(range(256)) * (12 * 1024)  # 3 MiB
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            with conn:
                for _ in range(2):  # a small object, then the large one, kept alive
                    request = b""
                    while b"\r\n\r\n" not in request:
                        request += conn.recv(65536)
                    payload = b"tiny" if b"/small" in request.split(b"\r\n")[0] else body
                    conn.sendall(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                    for at in range(0, len(payload), 2700):  # the real server's chunk size
                        piece = payload[at : at + 2700]
                        conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                    conn.sendall(b"0\r\n\r\n")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with oc.Client(f"http://127.0.0.1:{port}") as client:
            session = client.session(oc.Usecase("bench", compression="none"), org="1")
            small = session.get("small")
            assert small is not None and small[1].read() == b"tiny"
            assert deep_reads == []  # a small response never waits
            large = session.get("large")
            assert large is not None and large[1].read() == body
        thread.join(5)
    assert deep_reads and sum(deep_reads) <= len(body) - (1 << 20) + 65536
