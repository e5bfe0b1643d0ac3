"""The limits the default engine puts on what a server controls before a response's body.

llhttp (under httptools) has no size limit of its own: an endless header block, reason
phrase or chunk extension is parsed for as long as bytes flow, and a read timeout measures
silence, so it never fires while they do. The engine counts instead, and refuses a response
past any of these numbers with :class:`ResponseRefused` (``.limit`` names the constant).

Why these numbers: the Objectstore server (hyper) accepts request heads up to ~400 KiB and
~100 headers, and echoes object metadata back as response headers, so a legitimate response
head can approach that size; http.client/urllib3 refuse a 64 KiB line or more than 100
headers, h11 an incomplete event (head or chunk line) of 16 KiB.
"""

from __future__ import annotations

from ._errors import RemoteProtocolError

__all__ = [
    "LIMITS",
    "MAX_CHUNK_LINE_BYTES",
    "MAX_HEADERS",
    "MAX_HEAD_BYTES",
    "MAX_LINE_BYTES",
    "MAX_REASON_BYTES",
    "ResponseRefused",
    "over_limit",
]

#: Every byte before the final response's body: status lines and headers of the final
#: response and of every 1xx interim response before it. Above the ~400 KiB head the server
#: can echo (metadata), far below anything that threatens memory.
MAX_HEAD_BYTES = 512 * 1024
#: One header or trailer line (name, value and separators): http.client's and urllib3's
#: ``_MAXLINE``. A line still unterminated at this size is refused as soon as it passes it.
MAX_LINE_BYTES = 64 * 1024
#: Header fields of one response, trailers included. urllib3 stops at 100; the server takes
#: ~100 request headers and echoes their metadata next to its own, so room above that.
MAX_HEADERS = 256
#: The reason phrase of a status line ("OK", "Not Found"); nothing legitimate comes close.
MAX_REASON_BYTES = 1024
#: Bytes of chunk framing (a chunk-size line with its extensions, or trailers) received
#: without a body byte or the end of a chunk in between: h11's 16 KiB incomplete-event size.
#: Extensions are never stored, so this bounds time, not memory.
MAX_CHUNK_LINE_BYTES = 16 * 1024

#: The limits by name, as ``ResponseRefused.limit`` names them (docs/failure-semantics.md).
LIMITS = {
    "MAX_HEAD_BYTES": MAX_HEAD_BYTES,
    "MAX_LINE_BYTES": MAX_LINE_BYTES,
    "MAX_HEADERS": MAX_HEADERS,
    "MAX_REASON_BYTES": MAX_REASON_BYTES,
    "MAX_CHUNK_LINE_BYTES": MAX_CHUNK_LINE_BYTES,
}


class ResponseRefused(RemoteProtocolError):
    """A response the engine refuses: malformed, a protocol switch, or past a limit.

    ``limit`` is the name of the limit it broke (a key of ``LIMITS``), or None.
    """

    def __init__(self, message: str, limit: str | None = None) -> None:
        super().__init__(message)
        self.limit = limit


def over_limit(what: str, limit: str) -> ResponseRefused:
    """The error for a response past ``limit``."""
    return ResponseRefused(
        f"the response's {what} exceeds {LIMITS[limit]} bytes"
        if limit != "MAX_HEADERS"
        else f"the response has more than {MAX_HEADERS} header fields",
        limit,
    )
