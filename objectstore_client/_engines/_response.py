"""What every engine answers with: the SDK's response protocol and its header fields.

A response is the status, the header fields, the raw (still encoded) body as a stream of
chunks, ``close``, and the request and server it answers for error messages. The drivers and
payloads read nothing else, so no HTTP library's response type crosses the engine boundary;
the body stream raises the SDK's ``TransportError`` family (``_errors.transport_error``).
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Protocol

from .._exceptions import DecodeError

__all__ = ["AsyncResponse", "Headers", "Response", "decoded"]


class Headers(Mapping[str, str]):
    """A response's header fields, looked up by case-insensitive name (a repeated field's
    values joined with ", "), kept as received (``raw``) and decoded on first use: ASCII,
    else UTF-8, else Latin-1, for the whole block (as httpx decodes them)."""

    __slots__ = ("_lookup", "_pairs", "raw")

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        self.raw = raw
        self._pairs: list[tuple[str, str]] | None = None
        self._lookup: dict[str, str] | None = None

    def multi_items(self) -> list[tuple[str, str]]:
        """Every field as (lower-case name, value), in order, repeats kept."""
        if self._pairs is None:
            encoding = _encoding(self.raw)
            self._pairs = [(k.decode(encoding).lower(), v.decode(encoding)) for k, v in self.raw]
        return self._pairs

    def _fields(self) -> dict[str, str]:
        if self._lookup is None:
            lookup: dict[str, str] = {}
            for name, value in self.multi_items():
                lookup[name] = f"{lookup[name]}, {value}" if name in lookup else value
            self._lookup = lookup
        return self._lookup

    def __getitem__(self, name: str) -> str:
        return self._fields()[name.lower()]

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._fields().get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._fields()

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields())

    def __len__(self) -> int:
        return len(self._fields())

    def __repr__(self) -> str:
        return f"Headers({self.multi_items()!r})"


def _encoding(raw: list[tuple[bytes, bytes]]) -> str:
    for encoding in ("ascii", "utf-8"):
        try:
            for name, value in raw:
                name.decode(encoding)
                value.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "iso-8859-1"


class Response(Protocol):
    """An engine's answer for a blocking client; the body is unread until ``iter_raw``."""

    status_code: int
    headers: Headers
    #: the request it answers, as sent (base prefix included), for error messages
    method: str
    path: str
    #: ``host:port`` it came from
    server: str

    def iter_raw(self) -> Iterator[bytes]:
        """The body as received (a ``Content-Encoding`` left in place), chunk by chunk;
        raises the SDK's ``TransportError`` family. Reading it to the end frees the
        connection."""
        ...

    def close(self) -> None:
        """Free the connection (a connection with unread body bytes is dropped)."""
        ...


class AsyncResponse(Protocol):
    """An engine's answer for an asyncio client; the body is unread until ``aiter_raw``."""

    status_code: int
    headers: Headers
    method: str
    path: str
    server: str

    def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as received, chunk by chunk (see ``Response.iter_raw``)."""
        ...

    async def aclose(self) -> None:
        """Free the connection."""
        ...


def decoded(body: bytes, content_encoding: str | None) -> bytes:
    """A small body with its ``Content-Encoding`` (gzip, deflate, zstd, br with the brotli
    package) undone, as httpx decodes one (unknown codings are left alone); raises
    DecodeError for bytes that do not decode."""
    if not content_encoding:
        return body
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",")]):
        try:
            body = _decode(body, coding)
        except DecodeError:
            raise
        except Exception as exc:
            raise DecodeError(f"the response body is not valid {coding}: {exc}") from exc
    return body


def _decode(body: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return zlib.decompress(body, zlib.MAX_WBITS | 16)
    if coding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)
    if coding == "zstd":
        import zstandard

        parts = []
        while body:
            decoder = zstandard.ZstdDecompressor().decompressobj()
            parts.append(decoder.decompress(body))
            body = decoder.unused_data
        return b"".join(parts)
    if coding == "br":
        try:
            import brotli  # type: ignore[import-not-found]
        except ImportError:
            return body
        return brotli.decompress(body)  # type: ignore[no-any-return]
    return body
