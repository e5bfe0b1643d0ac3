"""Scripted server answers and what a client must make of them (RFC 9112).

Each case is the bytes a server sends for one request (then closes, if ``close``), and the
one right outcome: a status and body (and whether the connection may carry another request),
or a refusal (``ProtocolViolation``, naming ``limit`` where a limit is broken). ``httpx``
holds the outcome h11 gives where it frames differently and still safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from objectstore_client._engines._limits import (
    MAX_CHUNK_LINE_BYTES,
    MAX_HEAD_BYTES,
    MAX_HEADERS,
    MAX_LINE_BYTES,
    MAX_REASON_BYTES,
)


@dataclass(frozen=True)
class Body:
    """A response read to its end: status, body, and whether the connection is reusable."""

    status: int
    body: bytes
    reusable: bool = True


@dataclass(frozen=True)
class Refused:
    """A refusal; ``limit`` is the limit it names (None: a framing error)."""

    limit: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    wire: bytes
    expect: Body | Refused
    method: str = "GET"
    close: bool = False
    #: what the httpx engine (h11) gives instead, where it differs safely
    httpx: Body | Refused | None = None
    #: small enough to split at every byte boundary
    small: bool = field(default=True)
    #: where the first message ends, when bytes follow it
    message_end: int | None = None


def ok(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), extra, body)


CHUNKED = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"

CASES = [
    Case("content-length", ok(b"hello"), Body(200, b"hello")),
    Case(
        "response-after-response",
        ok(b"hello") + ok(b"POISON"),
        Body(200, b"hello", False),
        message_end=len(ok(b"hello")),
    ),
    Case(
        "garbage-after-response",
        ok(b"hello") + b"garbage",
        Body(200, b"hello", False),
        message_end=len(ok(b"hello")),
    ),
    Case(
        "error-then-ok",
        b"HTTP/1.1 503 Busy\r\ncontent-length: 4\r\n\r\nbusy" + ok(b'{"key":"other"}'),
        Body(503, b"busy", False),
        message_end=44,
    ),
    Case(
        "interim-responses",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n"
        + ok(b"final"),
        Body(200, b"final"),
    ),
    Case(
        "fifty-interim-responses",
        b"HTTP/1.1 100 Continue\r\n\r\n" * 50 + ok(b"final"),
        Body(200, b"final"),
        small=False,
    ),
    Case(
        "switching-protocols",
        b"HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\nxx",
        Refused(),
    ),
    Case("switching-protocols-bare", b"HTTP/1.1 101 Switching Protocols\r\n\r\n", Refused()),
    Case(
        "content-length-and-chunked",
        b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n0\r\n\r\n",
        Refused(),
    ),
    Case(
        "duplicate-content-length",
        b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 5\r\n\r\nabcde",
        Refused(),
    ),
    Case("negative-content-length", b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n", Refused()),
    Case("invalid-chunk-size", CHUNKED + b"zz\r\nabc\r\n0\r\n\r\n", Refused()),
    Case("huge-chunk-size", CHUNKED + b"ffffffffffffffffff\r\nabc\r\n", Refused()),
    Case(
        "chunked",
        CHUNKED + b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\ntrailer: t\r\n\r\n",
        Body(200, b"abcde"),
    ),
    Case("missing-last-chunk", CHUNKED + b"3\r\nabc\r\n", Refused(), close=True),
    Case(
        "early-close",
        b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc",
        Refused(),
        close=True,
    ),
    Case("close-before-head-ends", b"HTTP/1.1 200 OK\r\ncontent-le", Refused(), close=True),
    Case(
        "no-content-with-length",
        b"HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n",
        Body(204, b""),
    ),
    Case(
        "not-modified-with-length",
        b"HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\n\r\n",
        Body(304, b""),
    ),
    Case(
        "head-with-length",
        b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n",
        Body(200, b""),
        method="HEAD",
    ),
    Case(
        "head-with-bytes-after",
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
        Body(200, b"", False),
        method="HEAD",
        message_end=38,
    ),
    Case(
        "connection-close",
        ok(b"bye", b"connection: close\r\n"),
        Body(200, b"bye", False),
        close=True,
    ),
    Case(
        "http10-read-to-close",
        b"HTTP/1.0 200 OK\r\n\r\nuntil the end",
        Body(200, b"until the end", False),
        close=True,
    ),
    Case(
        "too-many-headers",
        b"HTTP/1.1 200 OK\r\n" + b"x: y\r\n" * (MAX_HEADERS + 1) + b"content-length: 0\r\n\r\n",
        Refused("MAX_HEADERS"),
        httpx=Refused(),
        small=False,
    ),
    Case(
        "long-header-line",
        b"HTTP/1.1 200 OK\r\nx: " + b"v" * MAX_LINE_BYTES + b"\r\ncontent-length: 0\r\n\r\n",
        Refused("MAX_LINE_BYTES"),
        httpx=Refused(),
        small=False,
    ),
    Case(
        "endless-header-line",
        b"HTTP/1.1 200 OK\r\nx: " + b"v" * (MAX_LINE_BYTES + 10),
        Refused("MAX_LINE_BYTES"),
        httpx=Refused(),
        small=False,
    ),
    Case(
        "huge-head",
        b"HTTP/1.1 200 OK\r\n"
        + b"x: %s\r\n" % (b"v" * 60_000) * (MAX_HEAD_BYTES // 60_000 + 1)
        + b"content-length: 0\r\n\r\n",
        Refused("MAX_HEAD_BYTES"),
        httpx=Refused(),
        small=False,
    ),
    Case(
        "long-reason-phrase",
        b"HTTP/1.1 200 " + b"O" * (MAX_REASON_BYTES + 1) + b"\r\ncontent-length: 0\r\n\r\n",
        Refused("MAX_REASON_BYTES"),
        httpx=Refused(),
        small=False,
    ),
    Case(
        "endless-chunk-extension",
        CHUNKED + b"1;x=" + b"e" * (MAX_CHUNK_LINE_BYTES * 20),
        Refused("MAX_CHUNK_LINE_BYTES"),
        httpx=Refused(),
        small=False,
    ),
]
