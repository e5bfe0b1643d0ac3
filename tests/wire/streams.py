"""Hypothesis strategies for response streams: valid responses (any framing, interim
responses, headers), mutated copies of them, split points, and a stray second response
whose bytes (``B``) must never reach the first one's reader."""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import strategies as st

#: Examples per property; raise it for a longer run (scripts/README.md).
EXAMPLES = int(os.environ.get("OBJECTSTORE_FUZZ_EXAMPLES", "0")) or None

#: A response after the first one: its status and body appear nowhere else.
STRAY = b"HTTP/1.1 299 Stray\r\ncontent-length: 4\r\n\r\nBBBB"
STRAY_STATUS = 299


@dataclass(frozen=True)
class Stream:
    """The bytes a server sends for one request, and the response they carry if unmutated."""

    wire: bytes
    status: int
    body: bytes
    method: str
    #: the server closes the connection after the bytes (a body framed by the close)
    close: bool
    mutated: bool
    stray: bool
    cuts: tuple[int, ...]


_NAMES = st.from_regex(rb"x-[a-z0-9-]{1,12}", fullmatch=True)
_VALUES = st.from_regex(rb"[!-~]([ -~]{0,30}[!-~])?", fullmatch=True)
_BODY = st.binary(max_size=400).map(lambda b: b.replace(b"B", b"b"))
_INTERIM = st.sampled_from(
    [b"HTTP/1.1 100 Continue\r\n\r\n", b"HTTP/1.1 103 Early Hints\r\nlink: </s.css>\r\n\r\n"]
)
_NO_B = st.binary(min_size=1, max_size=8).map(lambda b: b.replace(b"B", b"\r"))


@st.composite
def streams(draw: st.DrawFn, allow_mutation: bool = True, heads: bool = True) -> Stream:
    method = draw(st.sampled_from(["GET", "GET", "HEAD"] if heads else ["GET"]))
    status = draw(st.sampled_from([200, 201, 204, 206, 304, 404, 500, 503]))
    framing = draw(st.sampled_from(["length", "chunked", "close"]))
    body = b"" if method == "HEAD" or status in (204, 304) else draw(_BODY)
    head = b"".join(draw(st.lists(_INTERIM, max_size=3)))
    head += b"HTTP/1.1 %d Reason\r\n" % status
    for name, value in draw(st.lists(st.tuples(_NAMES, _VALUES), max_size=6)):
        head += name + b": " + value + b"\r\n"
    if framing == "length":
        head += b"content-length: %d\r\n" % len(body)
        payload = b"" if method == "HEAD" or status in (204, 304) else body
    elif framing == "chunked" and status not in (204, 304):
        head += b"transfer-encoding: chunked\r\n"
        payload = b""
        rest = body
        while rest:
            size = draw(st.integers(1, max(1, len(rest))))
            extension = draw(st.sampled_from([b"", b";x=1", b';n="v"']))
            payload += b"%x%s\r\n%s\r\n" % (size, extension, rest[:size])
            rest = rest[size:]
        payload += b"0\r\n" + draw(st.sampled_from([b"", b"x-t: 1\r\n"])) + b"\r\n"
        payload = b"" if method == "HEAD" else payload
    else:
        framing = "close" if status not in (204, 304) else "length"
        head += b"connection: close\r\n" if framing == "close" else b""
        payload = b"" if method == "HEAD" or framing == "length" else body
    wire = head + b"\r\n" + payload
    close = framing == "close"
    mutated = allow_mutation and draw(st.booleans())
    if mutated:
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(wire)))
            kind = draw(st.sampled_from(["insert", "delete", "replace"]))
            if kind == "insert":
                wire = wire[:at] + draw(_NO_B) + wire[at:]
            elif kind == "delete":
                wire = wire[:at] + wire[at + draw(st.integers(1, 8)) :]
            else:
                wire = wire[:at] + draw(_NO_B)[:1] + wire[at + 1 :]
        close = close or draw(st.booleans())
    stray = not close and draw(st.booleans())
    cuts = tuple(sorted(draw(st.lists(st.integers(1, max(1, len(wire) - 1)), max_size=4))))
    if stray:
        wire += STRAY
    return Stream(wire, status, body, method, close, mutated, stray, cuts)
