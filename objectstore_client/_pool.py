"""What every engine shares on the way out (``RequestBuilder``: one request value,
``OutgoingRequest``, for the httptools and the httpx engine alike), and the httpx engine's
connection pool: httpcore driven directly, one mechanism for both drivers.

Why not ``httpx.Client.send``: for a 1 KiB request, httpx's client layer (request building,
URL parsing and merging, auth/redirect/cookie hooks, the transport's model conversions) costs
more CPU than the HTTP exchange itself, and our requests need none of it: the paths are
already encoded, the headers are ours, redirects and cookies are not used. So requests go to
an ``httpcore.ConnectionPool`` as ``httpcore.Request`` and come back as an ``httpx.Response``
(what the rest of the SDK reads), with httpcore errors turned into httpx's.

Why our own network backend (``_pool_async`` and its generated twin ``_pool_sync``): httpcore
reads sockets 64 KiB at a time, which makes a 100 MiB download thousands of read calls
through the h11 event machinery; reading up to
``SOCKET_READ_BYTES`` per call keeps h11 happy (it buffers what it has not parsed yet) and
affects only this pool, not other httpx users in the process.

A caller's ``transport`` or ``proxy`` (``connection_kwargs``) bypasses all this: the SDK then
sends through an ``httpx.Client`` built with them, as is.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import quote

import httpcore
import httpx

from ._config import tls_context
from ._constants import COALESCE_WRITE_BYTES
from ._exceptions import server_of

__all__ = [
    "BODYLESS_METHODS",
    "CORE_ERRORS",
    "Coalescer",
    "OutgoingRequest",
    "RequestBuilder",
    "StreamWatch",
    "Wire",
    "json_body",
    "origin",
    "request_target",
    "server_of_response",
    "stored_body",
    "to_httpx_error",
]

#: httpcore's errors and their httpx twins have the same names.
CORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
)
_ORIGIN = "objectstore_origin"
#: What a path from the generated request builders consists of (already percent-encoded).
_ENCODED_PATH = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*")


def to_httpx_error(exc: Exception) -> httpx.TransportError:
    """The httpx exception for an httpcore one (the caller raises it ``from exc``)."""
    cls = getattr(httpx, type(exc).__name__, None)
    if not (isinstance(cls, type) and issubclass(cls, httpx.TransportError)):
        cls = httpx.TransportError
    return cls(str(exc))


def origin(response: httpx.Response) -> tuple[str, str]:
    """Method and path (with the base URL's prefix) of the request a response answers, for
    error messages."""
    found = response.extensions.get(_ORIGIN)
    if found is not None:
        return found  # type: ignore[no-any-return]
    return response.request.method, response.request.url.path


def server_of_response(response: httpx.Response) -> str:
    """``host:port`` a response came from, for error messages; "" when the engine did not
    attach its request (the message then names method and path only)."""
    try:
        url = response.request.url
    except RuntimeError:
        return ""
    return server_of(url)


def stored_body(response: httpx.Response) -> bytes:
    """The body, still encoded, of a response that was built from bytes (a mock transport's
    ``content=``): ``response.content`` is decoded by httpx already, and the payload would
    decode it a second time."""
    stream = response.stream
    # httpx.Client wraps a transport's stream (BoundSyncStream / BoundAsyncStream)
    for candidate in (stream, getattr(stream, "_stream", None)):
        if isinstance(candidate, httpx.ByteStream):
            return b"".join(candidate)
    return response.content


class Coalescer:
    """Holds back small writes until the next write or read, so that a request's header block
    and a small body leave in one segment (as http.client sends them): the server then parses
    one packet instead of waking up twice. Nothing waits longer than until the next I/O.
    """

    def __init__(self) -> None:
        self.held = b""

    def plan(self, buffer: bytes) -> tuple[bytes, bytes]:
        """What to send now: (held bytes to send first, then ``buffer``); either may be empty."""
        first, self.held = self.held, b""
        if first and len(first) + len(buffer) <= COALESCE_WRITE_BYTES:
            first, buffer = b"", first + buffer
        if len(buffer) <= COALESCE_WRITE_BYTES:
            self.held, buffer = buffer, b""
        return first, buffer

    def release(self) -> bytes:
        """The held bytes, before a read."""
        held, self.held = self.held, b""
        return held


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

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        url: httpx.URL = http_kwargs["base_url"]
        prefix = url.raw_path
        self.prefix = prefix if prefix.endswith(b"/") else prefix + b"/"
        self._prefix_text = self.prefix.decode("ascii")
        # what httpx.Client sends by default, then the client's own headers
        defaults = httpx.Headers({"Accept": "*/*", "Connection": "keep-alive"})
        defaults.update(http_kwargs.get("headers") or {})
        self._defaults = [(k, v, k.decode("latin-1").lower()) for k, v in defaults.raw]
        self._default_names = frozenset(lower for _, _, lower in self._defaults)
        self._host = (b"Host", url.netloc)
        # Host and every default, serialised once: what most requests start with
        self._usual = _common([self._host, *((k, v) for k, v, _ in self._defaults)])

    def message_path(self, path: str) -> str:
        """The path as sent, for error messages: the base URL's prefix, then ``path``."""
        return self._prefix_text + path.lstrip("/")

    def build(self, kwargs: Mapping[str, Any], content: Any, path: str) -> OutgoingRequest:
        """The request for ``build_request``-style kwargs and a body (or None); ``path``
        names it in messages. Raises ``httpx.LocalProtocolError`` for a header holding CR,
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


def _common(fields: list[tuple[bytes, bytes]]) -> tuple[list[tuple[bytes, bytes]], bytes]:
    _check_fields(fields)
    return fields, b"".join([k + b": " + v + b"\r\n" for k, v in fields])


def _check_fields(fields: list[tuple[bytes, bytes]]) -> None:
    if fields and _UNSAFE_HEADER.search(b"".join([k + v for k, v in fields])):
        raise httpx.LocalProtocolError("a header name or value contains CR, LF or NUL")


class StreamWatch(Protocol):
    """Follows the bytes of one httpcore connection (``_engines._h1.ResponseWatch``).

    h11 keeps bytes that arrive after a response for the next one on the connection; the
    watcher parses the responses too, and ``spoilt`` tells the pool not to reuse a
    connection that had bytes past the end of a response.
    """

    spoilt: bool

    def sent(self, data: bytes) -> None:
        """Bytes written (a request head starts a new response to follow)."""

    def received(self, data: bytes) -> None:
        """Bytes read (``b""`` at EOF); may raise ``httpx.RemoteProtocolError``."""


class Wire:
    """Turns planned requests into ``httpcore.Request`` and answers into ``httpx.Response``.

    Built once per client from its httpx options; ``pool`` is the sync or async httpcore pool
    that ``connection_pool`` opens (``_pool_sync`` / ``_pool_async``), ``stream`` the class
    that adapts its response bodies for httpx.
    """

    def __init__(
        self,
        http_kwargs: Mapping[str, Any],
        connection_pool: Callable[..., Any],
        stream: Callable[[Any], httpx.SyncByteStream | httpx.AsyncByteStream],
        watch: Callable[[], StreamWatch] | None = None,
    ) -> None:
        url: httpx.URL = http_kwargs["base_url"]
        self._scheme = url.raw_scheme
        self._host = url.raw_host
        self._port = url.port
        self.builder = RequestBuilder(http_kwargs)
        self._timeout = httpx.Timeout(http_kwargs["timeout"]).as_dict()
        limits: httpx.Limits = http_kwargs["limits"]
        ssl_context = None
        if url.scheme == "https":
            ssl_context = tls_context(http_kwargs.get("verify", True), http_kwargs.get("cert"))
        options: dict[str, Any] = {
            "ssl_context": ssl_context,
            "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry,
            "watch": watch,
        }
        self._connection_pool = connection_pool
        self._options = options
        self.pool: Any = connection_pool(**options)
        #: The process the pool was opened in (``forked``).
        self.pid = os.getpid()
        self._stream = stream

    def forked(self) -> None:
        """In a child forked since the pool opened: replace the pool by an empty one (the
        inherited connections share their sockets with the parent, which still uses them)."""
        if self.pid != os.getpid():
            self.pool = self._connection_pool(**self._options)
            self.pid = os.getpid()

    @staticmethod
    def usable(http_kwargs: Mapping[str, Any]) -> bool:
        """Whether the options leave the connection handling to the SDK (no transport, proxy)."""
        return http_kwargs.get("transport") is None and http_kwargs.get("proxy") is None

    def request(
        self, kwargs: Mapping[str, Any], content: Any, path: str | None = None
    ) -> httpcore.Request:
        """The httpcore request for ``build_request``-style kwargs and a body (or None)."""
        return self.core_request(self.builder.build(kwargs, content, path or kwargs["url"]))

    def core_request(self, request: OutgoingRequest) -> httpcore.Request:
        """The httpcore form of a built request."""
        body = request.body
        if isinstance(body, memoryview):
            body = (body,)  # httpcore takes bytes or an iterable of chunks
        return httpcore.Request(
            request.method.encode("ascii"),
            httpcore.URL(
                scheme=self._scheme, host=self._host, port=self._port, target=request.target
            ),
            headers=request.headers,
            content=body,
            extensions={"timeout": self._timeout},
        )

    def response(self, answer: httpcore.Response, request: OutgoingRequest) -> httpx.Response:
        """The httpx response (body unread) for httpcore's answer to ``request``."""
        extensions = {**answer.extensions, _ORIGIN: (request.method, request.path)}
        return httpx.Response(
            answer.status,
            headers=answer.headers,
            stream=self._stream(answer.stream),
            extensions=extensions,
        )


def request_target(prefix: bytes, kwargs: Mapping[str, Any]) -> bytes:
    """The request target for a generated builder's kwargs: the base URL's path ``prefix``
    (ending in ``/``), the path as encoded (an already-encoded path is kept verbatim) and the
    query. Every engine sends exactly this."""
    path: str = kwargs["url"]
    target = prefix + (
        path.lstrip("/").encode("ascii")
        if _ENCODED_PATH.fullmatch(path)
        else httpx.URL(path).raw_path.lstrip(b"/")
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
