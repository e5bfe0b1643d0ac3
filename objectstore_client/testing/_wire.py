"""How the local server's responses leave the socket: one segment each, or like the real server.

uvicorn writes a response head and every body message with its own ``transport.write``. The
wrapper below holds those writes until the event loop runs its next callback, so a response
written without awaiting anything (every response here but a large GET) leaves in one
segment. That is faster, and it is what the real server (hyper) does for responses with a
known length.

The real server does not do that for streamed (chunked) GET bodies: hyper flushes the head,
then each body chunk, and without ``TCP_NODELAY`` on the accepted socket Nagle's algorithm
holds the second segment until the client ACKs the first. Clients delay that ACK, so every GET
on a kept-alive connection stalls for tens of milliseconds (the delayed-ACK stall).
"Real-wire" mode reproduces it: no ``TCP_NODELAY`` here, and the GET handler yields to the
event loop after the head and after each body chunk (see :func:`real_wire_chunks`), so each
becomes its own write.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any, cast

__all__ = [
    "FLUSH_BYTES",
    "REAL_CHUNK_PATTERN",
    "CoalescingTransport",
    "protocol_class",
    "real_wire_chunks",
]

#: Held writes are passed on at once beyond this size (large bodies keep flow control).
FLUSH_BYTES = 64 * 1024
#: The sizes of the real server's GET body chunks, repeating (measured: a 20 MB object came
#: as 7,324 chunks of 4096 / 3967 / 129 bytes).
REAL_CHUNK_PATTERN = (4096, 3967, 129)


class CoalescingTransport:
    """An asyncio transport that joins the writes made in one event-loop step."""

    def __init__(self, inner: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._inner = inner
        self._loop = loop
        self._held: list[bytes] = []
        self._held_size = 0
        self._scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        self._held.append(bytes(data))
        self._held_size += len(data)
        if self._held_size >= FLUSH_BYTES:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._flush_soon)

    def _flush_soon(self) -> None:
        self._scheduled = False
        self.flush()

    def flush(self) -> None:
        """Pass the held bytes on as one write."""
        if not self._held:
            return
        data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        self._held.clear()
        self._held_size = 0
        if not self._inner.is_closing():
            self._inner.write(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def close(self) -> None:
        self.flush()
        self._inner.close()

    def write_eof(self) -> None:
        self.flush()
        self._inner.write_eof()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def protocol_class(base: type[asyncio.Protocol], *, real_wire: bool) -> type[asyncio.Protocol]:
    """``base`` (a uvicorn HTTP protocol) writing through :class:`CoalescingTransport`;
    with ``real_wire``, on sockets without ``TCP_NODELAY``."""

    class WireProtocol(base):  # type: ignore[valid-type, misc]
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                # asyncio and uvloop set TCP_NODELAY on accepted sockets; the real server
                # (axum's serve) leaves it off. The default keeps it on: no Nagle waits.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0 if real_wire else 1)
            loop = asyncio.get_running_loop()  # uvloop's transports are not asyncio classes
            super().connection_made(CoalescingTransport(cast(asyncio.Transport, transport), loop))

    name = ("RealWire" if real_wire else "Coalescing") + base.__name__
    WireProtocol.__name__ = WireProtocol.__qualname__ = name
    return WireProtocol


def real_wire_chunks(data: Iterator[bytes]) -> Iterator[bytes]:
    """Re-cut a byte stream into the real server's chunk sizes (4096 / 3967 / 129, ...)."""
    pattern = 0
    carry = b""
    for piece in data:
        if carry:
            piece, carry = carry + piece, b""
        view = memoryview(piece)
        pos = 0
        while len(piece) - pos >= REAL_CHUNK_PATTERN[pattern]:
            size = REAL_CHUNK_PATTERN[pattern]
            yield bytes(view[pos : pos + size])
            pos += size
            pattern = (pattern + 1) % len(REAL_CHUNK_PATTERN)
        carry = bytes(view[pos:])
    if carry:
        yield carry
