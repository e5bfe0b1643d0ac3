"""The one request builder every engine sends from (``RequestBuilder``), and the request
value it makes (``OutgoingRequest``), without I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ._errors import LocalProtocolError
from ._settings import Settings

__all__ = [
    "BODYLESS_METHODS",
    "OutgoingRequest",
    "RequestBuilder",
    "json_body",
    "request_target",
]

#: What a path from the generated request builders consists of (already percent-encoded).
_ENCODED_PATH = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*")


#: Methods whose request has no body unless one is given (no ``Content-Length: 0`` either).
BODYLESS_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})
#: CR, LF or NUL in a header name or value would inject lines into the request head.
_UNSAFE_HEADER = re.compile(rb"[\r\n\x00]")


class OutgoingRequest:
    """One request as every engine sends it, built by ``RequestBuilder``.

    ``target`` is the request target (the base URL's prefix, the encoded path, the query),
    ``headers`` the header fields in the order they are sent (Host, the client's defaults,
    the request's own, framing), ``body`` None, bytes-like or an (async) iterable of chunks,
    ``chunked`` whether it goes with ``Transfer-Encoding: chunked``; ``path`` names the
    request in error messages (the path as sent, base prefix included).
    """

    __slots__ = ("_common", "_own", "body", "chunked", "method", "path", "target")

    def __init__(
        self,
        method: str,
        target: bytes,
        common: tuple[list[tuple[bytes, bytes]], bytes],
        own: list[tuple[bytes, bytes]],
        body: Any,
        chunked: bool,
        path: str,
    ) -> None:
        self.method = method
        self.target = target
        #: the fields every request of the client shares (Host, defaults), and their bytes
        self._common = common
        #: the request's own fields and its framing
        self._own = own
        self.body = body
        self.chunked = chunked
        self.path = path

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        """Every header field, in the order sent."""
        return self._common[0] + self._own

    def head(self) -> bytes:
        """The HTTP/1.1 request head."""
        lines = [self._common[1]]
        lines += [k + b": " + v + b"\r\n" for k, v in self._own]
        return b"%s %s HTTP/1.1\r\n%s\r\n" % (
            self.method.encode("ascii"),
            self.target,
            b"".join(lines),
        )


class RequestBuilder:
    """Builds every engine's requests for one base URL and the client's default headers:
    what ``httpx.Client`` would send for the generated layer's ``build_request`` kwargs.

    The one home of the base URL's path prefix on the way out: in the request target and in
    the path that error messages name.
    """

    def __init__(self, settings: Settings) -> None:
        self.prefix = settings.prefix
        self._prefix_text = self.prefix.decode("ascii")
        # what httpx.Client sends by default, then the client's own headers
        self._defaults = _merged(
            [(b"Accept", b"*/*"), (b"Connection", b"keep-alive")],
            settings.headers,
        )
        self._default_names = frozenset(lower for _, _, lower in self._defaults)
        self._host = (b"Host", settings.netloc)
        # Host and every default, serialised once: what most requests start with
        self._usual = _common([self._host, *((k, v) for k, v, _ in self._defaults)])

    def message_path(self, path: str) -> str:
        """The path as sent, for error messages: the base URL's prefix, then ``path``."""
        return self._prefix_text + path.lstrip("/")

    def build(self, kwargs: Mapping[str, Any], content: Any, path: str) -> OutgoingRequest:
        """The request for ``build_request``-style kwargs and a body (or None); ``path``
        names it in messages. Raises ``_errors.LocalProtocolError`` for a header holding CR,
        LF or NUL, before anything is sent."""
        method = kwargs["method"].upper()
        headers: Mapping[str, str] = kwargs.get("headers") or {}
        if "json" in kwargs:
            content, headers = json_body(kwargs["json"], headers)
        given = {name.lower() for name in headers}
        if "host" not in given and given.isdisjoint(self._default_names):
            common = self._usual
        else:
            fields = [] if "host" in given else [self._host]
            fields += [(k, v) for k, v, lower in self._defaults if lower not in given]
            common = _common(fields)
        own = [(k.encode("ascii"), v.encode("ascii")) for k, v in headers.items()]
        if own:
            _check_fields(own)
        chunked = "transfer-encoding" in given
        if "content-length" not in given and not chunked:
            if isinstance(content, (bytes, bytearray, memoryview)):
                own.append((b"Content-Length", b"%d" % memoryview(content).nbytes))
            elif content is not None:
                own.append((b"Transfer-Encoding", b"chunked"))
                chunked = True
            elif method not in BODYLESS_METHODS:
                own.append((b"Content-Length", b"0"))
        target = request_target(self.prefix, kwargs)
        return OutgoingRequest(
            method, target, common, own, content, chunked, self.message_path(path)
        )


def _merged(
    defaults: list[tuple[bytes, bytes]], given: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes, str]]:
    """``defaults`` without the names ``given`` sets, then ``given`` (as httpx merges them),
    with each lower-case name."""
    names = {k.decode("latin-1").lower() for k, _ in given}
    kept = [(k, v) for k, v in defaults if k.decode("latin-1").lower() not in names]
    return [(k, v, k.decode("latin-1").lower()) for k, v in kept + given]


#: A valid percent-escape, kept as is when a path is encoded.
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def _encoded(path: str) -> bytes:
    """A path that is not encoded yet, percent-encoded (existing escapes kept)."""
    pieces = []
    last = 0
    for found in _ESCAPE.finditer(path):
        pieces.append(quote(path[last : found.start()], safe="!$&'()*+,;=:@/~"))
        pieces.append(found.group())
        last = found.end()
    pieces.append(quote(path[last:], safe="!$&'()*+,;=:@/~"))
    return "".join(pieces).encode("ascii")


def _common(fields: list[tuple[bytes, bytes]]) -> tuple[list[tuple[bytes, bytes]], bytes]:
    _check_fields(fields)
    return fields, b"".join([k + b": " + v + b"\r\n" for k, v in fields])


def _check_fields(fields: list[tuple[bytes, bytes]]) -> None:
    if fields and _UNSAFE_HEADER.search(b"".join([k + v for k, v in fields])):
        raise LocalProtocolError("a header name or value contains CR, LF or NUL")


def request_target(prefix: bytes, kwargs: Mapping[str, Any]) -> bytes:
    """The request target for a generated builder's kwargs: the base URL's path ``prefix``
    (ending in ``/``), the path as encoded (an already-encoded path is kept verbatim) and the
    query. Every engine sends exactly this."""
    path: str = kwargs["url"]
    target = prefix + (
        path.lstrip("/").encode("ascii")
        if _ENCODED_PATH.fullmatch(path)
        else _encoded(path).lstrip(b"/")
    )
    params = kwargs.get("params")
    if params:
        query = "&".join(
            f"{quote(str(k), safe='')}={quote(_param(v), safe='')}" for k, v in params.items()
        )
        target += b"?" + query.encode("ascii")
    return target


def json_body(value: Any, headers: Mapping[str, str]) -> tuple[bytes, Mapping[str, str]]:
    """A JSON request body encoded as httpx encodes it, and the headers with a JSON
    ``Content-Type`` unless one is given."""
    content = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if not any(name.lower() == "content-type" for name in headers):
        headers = {"Content-Type": "application/json", **headers}
    return content.encode("utf-8"), headers


def _param(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
