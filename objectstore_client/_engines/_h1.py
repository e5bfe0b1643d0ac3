"""What the sync and async HTTP/1.1 engines share: response parsing, framing, socket options.

Responses are parsed by ``httptools`` (llhttp, in C): a chunked body of thousands of small
chunks costs one Python callback per chunk, and the engine hands the reader everything one
socket read brought as one piece.
"""

from __future__ import annotations

from typing import Any

import httptools
import httpx

from .._sockets import arm_quickack, tune_socket

__all__ = [
    "ORIGIN_EXTENSION",
    "READ_BYTES",
    "Exchange",
    "WriteJoiner",
    "body_chunks",
    "arm_quickack",
    "chunk_frame",
    "parse_error",
    "tune_socket",
]

#: The response extension ``_pool.origin`` reads: the planned method and path, for messages.
ORIGIN_EXTENSION = "objectstore_origin"
#: Bytes asked of the socket per read; one read becomes at most one body piece.
READ_BYTES = 256 * 1024


def chunk_frame(size: int) -> bytes:
    """The chunk-size line of one ``Transfer-Encoding: chunked`` chunk."""
    return b"%x\r\n" % size


#: Writes up to this size are joined with what is pending, so that a small request leaves in
#: one segment; larger chunks are written as they are (no copy).
JOIN_BYTES = 64 * 1024


class WriteJoiner:
    """The writes of one request: its head, then its body chunks (one, for a body in
    memory) with their framing for ``Transfer-Encoding: chunked``. Small pieces are joined;
    both engines make exactly the writes this returns, in order.
    """

    __slots__ = ("_chunked", "_pending")

    def __init__(self, head: bytes, chunked: bool) -> None:
        self._pending = head
        self._chunked = chunked

    def add(self, chunk: Any) -> tuple[bytes, Any] | None:
        """Take one body chunk (bytes-like); returns the writes due now, if any: what was
        pending, then the chunk itself."""
        size = len(chunk) if isinstance(chunk, bytes) else memoryview(chunk).nbytes
        if not size:
            return None  # an empty chunk would end a chunked body
        due = None
        if self._chunked:
            self._pending += chunk_frame(size)
        if size + len(self._pending) <= JOIN_BYTES:
            self._pending += chunk
        else:
            due = (self._pending, chunk)
            self._pending = b""
        if self._chunked:
            self._pending += b"\r\n"
        return due

    def finish(self) -> bytes:
        """The last write: what is pending, and the end of a chunked body (maybe ``b""``)."""
        return self._pending + b"0\r\n\r\n" if self._chunked else self._pending


def body_chunks(body: Any) -> Any:
    """A request body (None, bytes-like or an iterable of chunks) as an iterable of chunks."""
    if body is None:
        return ()
    return (body,) if isinstance(body, (bytes, bytearray, memoryview)) else body


def parse_error(exc: Exception) -> httpx.RemoteProtocolError:
    """The httpx error for a response the parser refused."""
    return httpx.RemoteProtocolError(f"malformed HTTP response: {exc}")


class Exchange:
    """The parser callbacks for one response, and what they collected.

    ``pieces`` holds body bytes parsed but not yet handed out; ``head_done`` and ``done``
    mark the end of the header block and of the message.
    """

    __slots__ = (
        "done",
        "framed",
        "head_done",
        "headers",
        "keep_alive",
        "no_body",
        "parser",
        "pieces",
        "status",
    )

    def __init__(self, no_body: bool) -> None:
        #: A response to HEAD: its header block is the whole message, whatever it announces.
        self.no_body = no_body
        self.headers: list[tuple[bytes, bytes]] = []
        self.pieces: list[bytes] = []
        self.status = 0
        self.head_done = False
        self.done = False
        self.keep_alive = False
        #: Whether the body has a length or chunked framing (else it ends when the peer closes).
        self.framed = False
        self.parser: Any = httptools.HttpResponseParser(self)

    def feed(self, data: Any) -> None:
        """Parse received bytes; raises ``httpx.RemoteProtocolError`` on a malformed response."""
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            if not self.done:
                raise parse_error(exc) from exc
            # bytes after a complete message: the connection is not reusable
            self.keep_alive = False

    def eof(self) -> None:
        """The peer closed the connection: the end of an unframed body, else an error."""
        if self.head_done and not self.framed and not self.no_body:
            self.done = True
            self.keep_alive = False
        elif not self.done:
            what = "body" if self.head_done else "response"
            raise httpx.RemoteProtocolError(f"the server closed the connection mid-{what}")

    def take(self) -> bytes:
        """The body bytes parsed so far, as one piece (b"" if none)."""
        pieces = self.pieces
        if not pieces:
            return b""
        self.pieces = []
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    # -- httptools callbacks ------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))
        lower = name.lower()
        if lower == b"content-length" or (
            lower == b"transfer-encoding" and value.lower().endswith(b"chunked")
        ):
            self.framed = True

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.keep_alive = self.parser.should_keep_alive()
        self.head_done = True
        if self.no_body or self.status in (204, 304) or self.status < 200:
            self.framed = True
        if self.no_body:
            self.done = True

    def on_body(self, body: bytes) -> None:
        if not self.no_body:
            self.pieces.append(body)

    def on_message_complete(self) -> None:
        self.done = True
