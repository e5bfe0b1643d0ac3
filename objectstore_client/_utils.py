"""Small helpers kept from the upstream client: MIME sniffing, Accept-Encoding parsing, and the
percent-encodings of paths, queries and metadata header values."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import IO, TypeVar
from urllib.parse import quote

from ._durations import parse_duration
from ._fields import decode_header_value, encode_header_value

__all__ = [
    "decode_header_value",
    "encode_header_value",
    "encode_path",
    "encode_query",
    "guess_mime_type",
    "itertools_batched",
    "parse_accept_encoding",
    "parse_timedelta",
    "TIME_SPLIT",
]

# RFC 3986 leaves unreserved characters (quote never escapes them), sub-delims and ":@/" raw
# in a path: the same set urllib3 and httpx leave alone, so an encoded path is sent verbatim.
_PATH_SAFE = "/:@!$&'()*+,;="
_QUERY_SAFE = _PATH_SAFE + "?"


def encode_path(path: str) -> str:
    """Percent-encode a request path as sent on the wire; the input is literal (``%`` ->
    ``%25``, ``?`` -> ``%3F``, space -> ``%20``, non-ASCII as UTF-8), ``/`` stays."""
    return quote(path, safe=_PATH_SAFE)


def encode_query(query: str) -> str:
    """Percent-encode a query string as sent on the wire: like :func:`encode_path`, and ``?``
    also stays (``=`` and ``&`` stay, so pass the assembled ``name=value&...`` string)."""
    return quote(query, safe=_QUERY_SAFE)


T = TypeVar("T")


def itertools_batched(
    iterable: Iterable[T], n: int, strict: bool = False
) -> Iterator[tuple[T, ...]]:
    """``itertools.batched`` for every Python version: tuples of ``n`` items, the last one
    shorter unless ``strict`` (then ValueError)."""
    if n < 1:
        raise ValueError("n must be at least one")
    iterator = iter(iterable)
    while batch := tuple(itertools.islice(iterator, n)):
        if strict and len(batch) < n:
            raise ValueError("final batch is shorter than n")
        yield batch


_SNIFF_BYTES = 261
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"\x28\xb5\x2f\xfd", "application/zstd"),
    (0, b"BM", "image/bmp"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"\x00\x00\x01\x00", "image/x-icon"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"\xfd7zXZ\x00", "application/x-xz"),
    (0, b"BZh", "application/x-bzip2"),
    (0, b"\x7fELF", "application/x-executable"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/x-flac"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\x1aE\xdf\xa3", "video/webm"),
    (0, b"wOFF", "font/woff"),
    (0, b"wOF2", "font/woff2"),
    (0, b"SQLite format 3\x00", "application/x-sqlite3"),
    (257, b"ustar", "application/x-tar"),
)


def _sniff(head: bytes) -> str | None:
    for offset, magic, mime in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/x-wav"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    return None


def guess_mime_type(contents: bytes | IO[bytes]) -> str | None:
    """Guess a MIME type from the first bytes (PNG, JPEG, PDF, ...); None when unknown.

    File objects must be seekable (their position is restored); others give None unread.
    """
    if isinstance(contents, (bytes, bytearray, memoryview)):
        return _sniff(bytes(contents[:_SNIFF_BYTES]))
    try:
        if not contents.seekable():
            return None
        position = contents.tell()
        head = contents.read(_SNIFF_BYTES)
        contents.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return _sniff(bytes(head or b""))


_ZERO_Q = re.compile(r"^q\s*=\s*0(\.0*)?$")


def parse_accept_encoding(header: str) -> list[str]:
    """Encodings from an ``Accept-Encoding`` header, lower-cased, without those with ``q=0``.

    ``*`` is kept; the order is the header's (not sorted by q).
    """
    result: list[str] = []
    for item in header.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        if not name:
            continue
        if any(_ZERO_Q.match(param.lower()) for param in params):
            continue
        result.append(name.lower())
    return result


#: Splits a duration into numbers and unit words (kept from upstream; parsing does not use it).
TIME_SPLIT = re.compile(r"[^\W\d_]+|\d+")


def parse_timedelta(delta: str) -> timedelta:
    """Parse a duration: the wire format (``1d 2h``) and every humantime form servers emit
    (``1day``, ``1month 13h``, ``1 days 3661 seconds``); ValueError on an unknown unit."""
    return parse_duration(delta)
