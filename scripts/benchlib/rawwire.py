"""The cheapest client there is here: raw HTTP/1.1 on non-blocking sockets, one thread.

``connections`` kept-alive connections, each sending its next request as soon as its answer is
in (no pipelining); one ``select`` loop drives them all. Per request the client does one
``send`` and a ``recv`` or two and a minimal parse, so the server, not the client, is what
limits the rate: this measures the server's ceiling for small operations.
"""

from __future__ import annotations

import selectors
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: One request: method, path, extra header lines (already formatted), body.
Request = tuple[str, str, bytes, bytes]


class ProtocolError(Exception):
    """The server's answer could not be parsed (or a connection closed early)."""


@dataclass
class _Conn:
    sock: socket.socket
    buffer: bytearray = field(default_factory=bytearray)
    method: str = ""
    busy: bool = False


def _response_end(buf: bytearray, method: str) -> tuple[int, int] | None:
    """``(status, total length)`` of the first complete response in ``buf``, or None."""
    head_end = buf.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    head = bytes(buf[:head_end]).lower()
    status = int(head[9:12])
    body_start = head_end + 4
    if method == "HEAD" or status in (204, 304):
        return status, body_start
    marker = head.find(b"\r\ncontent-length:")
    if marker >= 0:
        line_end = head.find(b"\r\n", marker + 2)
        length = int(head[marker + 17 : line_end if line_end > 0 else len(head)])
        total = body_start + length
        return (status, total) if len(buf) >= total else None
    if b"\r\ntransfer-encoding: chunked" not in head:
        raise ProtocolError("a response with neither a length nor chunked encoding")
    pos = body_start
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
        pos = line_end + 2 + size + 2
        if len(buf) < pos:
            return None
        if size == 0:
            return status, pos


def run(
    url: str,
    requests: Sequence[Request],
    connections: int = 4,
    check: Callable[[int, str], None] | None = None,
) -> None:
    """Send every request once, ``connections`` at a time; ``check(status, method)`` each."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    host_line = f"host: {host}:{port}\r\n".encode()
    selector = selectors.DefaultSelector()
    conns = []
    for _ in range(min(connections, len(requests))):
        sock = socket.create_connection((host, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        conn = _Conn(sock)
        conns.append(conn)
        selector.register(sock, selectors.EVENT_READ, conn)
    pending = iter(requests)
    outstanding = 0

    def start(conn: _Conn) -> bool:
        request = next(pending, None)
        if request is None:
            return False
        method, path, headers, body = request
        length = f"content-length: {len(body)}\r\n".encode() if body or method == "PUT" else b""
        head = f"{method} {path} HTTP/1.1\r\n".encode() + host_line + headers + length
        conn.sock.sendall(head + b"\r\n" + body)
        conn.method, conn.busy = method, True
        return True

    try:
        for conn in conns:
            outstanding += start(conn)
        while outstanding:
            for key, _ in selector.select():
                conn = key.data
                data = conn.sock.recv(1 << 20)
                if not data:
                    raise ProtocolError("the server closed a connection")
                conn.buffer += data
                done = _response_end(conn.buffer, conn.method)
                if done is None:
                    continue
                status, end = done
                del conn.buffer[:end]
                if check is not None:
                    check(status, conn.method)
                conn.busy = False
                outstanding -= 1
                outstanding += start(conn)
    finally:
        for conn in conns:
            selector.unregister(conn.sock)
            conn.sock.close()
        selector.close()
