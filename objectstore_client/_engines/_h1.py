"""What the sync and async HTTP/1.1 engines share: response parsing, framing, socket options.

Responses are parsed by ``httptools`` (llhttp, in C): a chunked body of thousands of small
chunks costs one Python callback per chunk, and the engine hands the reader everything one
socket read brought as one piece.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

import httptools

from ._errors import EngineError, WriteError
from ._limits import (
    MAX_CHUNK_LINE_BYTES,
    MAX_HEAD_BYTES,
    MAX_HEADERS,
    MAX_LINE_BYTES,
    MAX_REASON_BYTES,
    ResponseRefused,
    over_limit,
)
from ._sockets import arm_quickack, tune_socket

__all__ = [
    "READ",
    "READ_BYTES",
    "WRITE",
    "Exchange",
    "ResponseWatch",
    "WriteJoiner",
    "body_chunks",
    "arm_quickack",
    "chunk_frame",
    "exchange_steps",
    "next_step",
    "parse_error",
    "tune_socket",
]

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


#: The steps of one exchange that ``exchange_steps`` asks its engine to perform.
WRITE = 0  # write the whole request
READ = 1  # read once from the connection into the exchange


def exchange_steps(exchange: Exchange) -> Generator[int, None, None]:
    """Sending a request and reading its response head, without I/O: one ``WRITE``, then
    ``READ`` until the head is parsed. Both engines perform these steps (``next_step``);
    this is the one home of the rule that a write the server cut short is followed by reads
    of the answer it may have sent before closing (a 413, a 401), and fails with the write
    error only if there is none.
    """
    try:
        yield WRITE
    except WriteError as failed:
        try:
            while not exchange.head_done:
                yield READ
        except EngineError:
            raise failed from None
        return
    while not exchange.head_done:
        yield READ


def next_step(steps: Generator[int, None, None], failed: EngineError | None = None) -> int | None:
    """The step after the one just performed (``failed``: its error, thrown into the steps,
    which raise it or another); None once the response head is in."""
    try:
        return steps.send(None) if failed is None else steps.throw(failed)
    except StopIteration:
        return None


def parse_error(exc: Exception) -> ResponseRefused:
    """The error for a response the parser refused."""
    return ResponseRefused(f"malformed HTTP response: {exc}")


#: A header line's name and value, without ": " and CRLF, at most.
_MAX_NAME_VALUE = MAX_LINE_BYTES - 4


class _Stop(Exception):
    """Raised in a parser callback to stop parsing; the reason is in ``Exchange.error``."""


class Exchange:
    """Parses one response, strictly (RFC 9112), and collects it.

    ``pieces`` holds body bytes parsed but not yet handed out; ``head_done`` and ``done``
    mark the end of the final response's header block and of the message. Interim (1xx)
    responses before it are skipped. Parsing stops at the end of the message: bytes beyond
    it (``trailing``) belong to no response, and the connection is not reused. Everything a
    server controls before the body is bounded (``_limits``).
    """

    __slots__ = (
        "_chunk_stall",
        "_fields",
        "_head_bytes",
        "_interim",
        "_line_run",
        "_progress",
        "_reason",
        "done",
        "error",
        "framed",
        "head_done",
        "headers",
        "keep_alive",
        "no_body",
        "parser",
        "pieces",
        "status",
        "trailing",
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
        #: Whether bytes arrived beyond the end of the message (the connection is spoilt).
        self.trailing = False
        #: Whether the body has a length or chunked framing (else it ends when the peer closes).
        self.framed = False
        #: Why a callback stopped the parser, raised by ``feed``.
        self.error: ResponseRefused | None = None
        self._head_bytes = 0  # fed while the final head was incomplete
        self._line_run = 0  # bytes of the current unterminated head line
        self._fields = 0
        self._reason = 0
        self._interim = False
        self._progress = False  # a body byte or a chunk boundary since the last feed
        self._chunk_stall = 0  # body-phase bytes fed without progress
        self.parser: Any = httptools.HttpResponseParser(self)

    def feed(self, data: Any) -> None:
        """Parse received bytes; raises ``ResponseRefused`` for a response it refuses.

        Bytes after the end of the message are not parsed: they set ``trailing``.
        """
        if self.done:
            self.trailing = True
            self.keep_alive = False
            return
        if not self.head_done:
            room = MAX_HEAD_BYTES - self._head_bytes
            if len(data) <= room:
                self._feed_head(data)
                return
            view = memoryview(data)
            self._feed_head(view[:room])
            if not self.head_done:
                raise over_limit("head", "MAX_HEAD_BYTES")
            data = view[room:]
            if not data:
                return
            if self.done:
                self.trailing = True
                self.keep_alive = False
                return
        self._progress = False
        try:
            self.parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            self._refuse(exc)
        if self._progress or self.done:
            self._chunk_stall = 0
            return
        # no body byte and no chunk boundary in this read: chunk framing (size line,
        # extensions) or trailers, which llhttp would take forever
        self._chunk_stall += len(data)
        if self._chunk_stall > MAX_CHUNK_LINE_BYTES:
            raise over_limit(
                "chunk framing (size line, extensions or trailers)", "MAX_CHUNK_LINE_BYTES"
            )

    def _feed_head(self, data: Any) -> None:
        self._head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            self._refuse(exc)
        if not self.head_done and not self.done:
            # the line in progress: an endless header value is refused at MAX_LINE_BYTES
            chunk = bytes(data)
            last = chunk.rfind(b"\n")
            self._line_run = self._line_run + len(chunk) if last < 0 else len(chunk) - last - 1
            if self._line_run > MAX_LINE_BYTES:
                raise over_limit("header line", "MAX_LINE_BYTES")

    def _refuse(self, exc: Exception) -> None:
        """After the parser stopped: raise why, unless it stopped past the message's end."""
        if self.error is not None:
            raise self.error from None
        if self.done:
            self.trailing = True  # bytes after the message (another one, or not even HTTP)
            self.keep_alive = False
            return
        if isinstance(exc, httptools.HttpParserUpgrade):
            raise _switch_refused() from exc
        raise parse_error(exc) from exc

    def _stop(self, error: ResponseRefused | None = None) -> None:
        self.error = error
        raise _Stop

    def eof(self) -> None:
        """The peer closed the connection: the end of an unframed body, else an error."""
        if self.head_done and not self.framed and not self.no_body:
            self.done = True
            self.keep_alive = False
        elif not self.done:
            what = "body (shorter than announced)" if self.head_done else "response"
            raise ResponseRefused(f"the server closed the connection mid-{what}")

    def take(self) -> bytes:
        """The body bytes parsed so far, as one piece (b"" if none)."""
        pieces = self.pieces
        if not pieces:
            return b""
        self.pieces = []
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    # -- httptools callbacks ------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self.done:
            # a second response after the final one: not ours, and nothing of it is kept
            self.trailing = True
            self.keep_alive = False
            self._stop()
        self._reason = 0

    def on_status(self, reason: bytes) -> None:
        self._reason += len(reason)
        if self._reason > MAX_REASON_BYTES:
            self._stop(over_limit("reason phrase", "MAX_REASON_BYTES"))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._fields += 1
        if self._fields > MAX_HEADERS:
            self._stop(over_limit("header count", "MAX_HEADERS"))
        if len(name) + len(value) > _MAX_NAME_VALUE:
            self._stop(over_limit("header line", "MAX_LINE_BYTES"))
        if self.head_done:
            return  # a trailer: counted, not kept
        self.headers.append((name, value))
        lower = name.lower()
        if lower == b"content-length" or (
            lower == b"transfer-encoding" and value.lower().endswith(b"chunked")
        ):
            self.framed = True

    def on_headers_complete(self) -> None:
        parser = self.parser
        status = parser.get_status_code()
        if status == 101 or parser.should_upgrade():
            self._stop(_switch_refused())
        if status < 200:
            # an interim response (100 Continue, 103 Early Hints): skipped, its fields too
            self._interim = True
            self.headers = []
            self.framed = False
            self._fields = 0
            return
        self.status = status
        self.keep_alive = parser.should_keep_alive()
        self.head_done = True
        if self.no_body or status in (204, 304):
            self.framed = True
        if self.no_body:
            self.done = True

    def on_body(self, body: bytes) -> None:
        if self.no_body:
            # bytes after the head of a response to HEAD: beyond the message
            self.trailing = True
            self.keep_alive = False
            self._stop()
        self._progress = True
        self.pieces.append(body)

    def on_chunk_header(self) -> None:
        self._progress = True

    def on_chunk_complete(self) -> None:
        self._progress = True

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        self._progress = True
        self.done = True


#: A request head as h11 writes it: the method of a new exchange on the connection.
_REQUEST_LINE = re.compile(rb"([A-Z]+) [^ ]+ HTTP/1\.1\r\n")


class ResponseWatch:
    """Follows the responses of one httpcore connection (the httpx engine) with ``Exchange``.

    h11 keeps bytes that arrive after a response for the next response on the connection;
    this parses each response as well, and a connection that had bytes past a response's end
    is ``spoilt``: the pool closes it instead of reusing it. It also applies the engine's
    limits (``_limits``) to the httpx engine, raising ``ResponseRefused``.
    """

    __slots__ = ("_exchange", "spoilt")

    def __init__(self) -> None:
        self._exchange: Exchange | None = None
        self.spoilt = False

    def sent(self, data: bytes) -> None:
        """A write: the head of a new request starts a new response to follow."""
        exchange = self._exchange
        if exchange is None or exchange.done:
            found = _REQUEST_LINE.match(data)
            if found is not None:
                self._exchange = Exchange(no_body=found.group(1) == b"HEAD")

    def received(self, data: bytes) -> None:
        """A read (``b""`` at EOF, which h11 judges on its own)."""
        exchange = self._exchange
        if not data:
            return
        if exchange is None:
            self.spoilt = True  # bytes nobody asked for
            return
        exchange.feed(data)
        exchange.pieces = []  # only the framing matters here; h11 hands out the body
        if exchange.trailing:
            self.spoilt = True


def _switch_refused() -> ResponseRefused:
    return ResponseRefused(
        "the server switched protocols (101 or Upgrade); the SDK speaks HTTP/1.1 only"
    )
