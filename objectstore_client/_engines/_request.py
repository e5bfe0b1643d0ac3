"""The bytes of a request head, from the generated layer's ``build_request`` kwargs.

The generated layer is the single source of every request: it gives the method, the encoded
path, the query parameters, the headers and (for batch bodies) ``json``. This module only
serialises them the way ``httpx.Client`` would (default headers, ``Host``, framing headers),
for the engines that write HTTP/1.1 themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from .._pool import json_body, request_target

__all__ = ["BODYLESS_METHODS", "HeadBuilder", "Prepared"]

#: Methods whose request has no body unless one is given.
BODYLESS_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


class Prepared:
    """A serialised request: the head, the body (bytes, an iterable or None) and its framing."""

    __slots__ = ("body", "chunked", "head", "method")

    def __init__(self, method: str, head: bytes, body: Any, chunked: bool) -> None:
        self.method = method
        self.head = head
        self.body = body
        #: Whether the body is sent with ``Transfer-Encoding: chunked`` framing.
        self.chunked = chunked


class HeadBuilder:
    """Serialises requests for one base URL and the client's default headers."""

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        url: httpx.URL = http_kwargs["base_url"]
        prefix = url.raw_path
        self._prefix = prefix if prefix.endswith(b"/") else prefix + b"/"
        # what httpx.Client sends by default, then the client's own headers
        defaults = httpx.Headers({"Accept": "*/*", "Connection": "keep-alive"})
        defaults.update(http_kwargs.get("headers") or {})
        self._defaults = [
            (b"%s: %s\r\n" % (k, v), k.decode("latin-1").lower()) for k, v in defaults.raw
        ]
        self._all_defaults = b"".join(line for line, _ in self._defaults)
        _check_lines(self._all_defaults, len(self._defaults))
        self._host = b"Host: " + url.netloc + b"\r\n"

    def _defaults_for(self, given: set[str]) -> bytes:
        if not given.intersection(lower for _, lower in self._defaults):
            return self._all_defaults
        return b"".join(line for line, lower in self._defaults if lower not in given)

    def target(self, kwargs: Mapping[str, Any]) -> bytes:
        """The request target: the base URL's path, the encoded path and the query."""
        return request_target(self._prefix, kwargs)

    def build(self, kwargs: Mapping[str, Any], content: Any) -> Prepared:
        """The serialised request for ``build_request``-style kwargs and a body (or None)."""
        method = kwargs["method"].upper()
        headers: Mapping[str, str] = kwargs.get("headers") or {}
        if "json" in kwargs:
            content, headers = json_body(kwargs["json"], headers)
        given = {name.lower() for name in headers}
        own = b"".join(
            [
                b"%s: %s\r\n" % (name.encode("ascii"), value.encode("ascii"))
                for name, value in headers.items()
            ]
        )
        _check_lines(own, len(headers))
        lines = [self._defaults_for(given), own]
        if "host" not in given:
            lines.append(self._host)
        chunked = "transfer-encoding" in given
        if "content-length" not in given and not chunked:
            if isinstance(content, (bytes, bytearray, memoryview)):
                lines.append(b"Content-Length: %d\r\n" % memoryview(content).nbytes)
            elif content is not None:
                lines.append(b"Transfer-Encoding: chunked\r\n")
                chunked = True
            elif method not in BODYLESS_METHODS:
                lines.append(b"Content-Length: 0\r\n")
        target = self.target(kwargs)
        head = b"%s %s HTTP/1.1\r\n%s\r\n" % (method.encode("ascii"), target, b"".join(lines))
        return Prepared(method, head, content, chunked)


def _check_lines(fields: bytes, count: int) -> None:
    """Refuse header lines whose names or values hold CR, LF or NUL (header injection)."""
    if fields.count(b"\n") != count or fields.count(b"\r") != count or b"\x00" in fields:
        raise httpx.LocalProtocolError("a header name or value contains CR, LF or NUL")
