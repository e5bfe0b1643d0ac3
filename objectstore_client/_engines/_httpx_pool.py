"""The httpx engine's connection pool: httpcore driven directly, one mechanism for both
drivers (``HttpcorePool``), and what its network backends share (``Coalescer``,
``StreamWatch``).

Why not ``httpx.Client.send``: for a 1 KiB request, httpx's client layer (request building,
URL parsing and merging, auth/redirect/cookie hooks, the transport's model conversions) costs
more CPU than the HTTP exchange itself, and our requests need none of it: the paths are
already encoded, the headers are ours, redirects and cookies are not used. So requests go to
an ``httpcore.ConnectionPool`` as ``httpcore.Request`` (from ``_request.RequestBuilder``)
and come back as the SDK's own response (``_httpx_net_*.CoreResponse``).

Why our own network backend (``_httpx_net_async`` and its generated twin
``_httpx_net_sync``): httpcore reads sockets 64 KiB at a time, which makes a 100 MiB
download thousands of read calls through the h11 event machinery; reading up to
``SOCKET_READ_BYTES`` per call keeps h11 happy (it buffers what it has not parsed yet) and
affects only this pool, not other httpx users in the process.

A caller's ``transport`` or ``proxy`` (``connection_kwargs``) bypasses all this: the SDK then
sends through an ``httpx.Client`` built with them, as is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import httpcore
import httpx

from .._constants import COALESCE_WRITE_BYTES
from ._errors import EngineError
from ._request import OutgoingRequest
from ._settings import Settings

__all__ = [
    "CORE_ERRORS",
    "Coalescer",
    "HttpcorePool",
    "StreamWatch",
    "stored_body",
]

#: What httpcore raises for a failed exchange, and the engine's own failures (a response
#: the watcher refused): both become the SDK's errors at the engine's boundary.
CORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
    EngineError,
)


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
        """Bytes read (``b""`` at EOF); may raise ``_limits.ResponseRefused``."""


class HttpcorePool:
    """An httpcore pool and how requests reach it: ``core_request`` turns the built request
    into an ``httpcore.Request``.

    Built once per client from its options; ``pool`` is the sync or async httpcore pool that
    ``connection_pool`` opens (``_httpx_net_sync`` / ``_httpx_net_async``).
    """

    def __init__(
        self,
        settings: Settings,
        connection_pool: Callable[..., Any],
        watch: Callable[[], StreamWatch] | None = None,
    ) -> None:
        self._scheme = settings.scheme.encode("ascii")
        self._host = settings.raw_host
        self._port = settings.port
        self._timeout = {
            "connect": settings.connect_timeout,
            "read": settings.read_timeout,
            "write": settings.write_timeout,
            "pool": settings.pool_timeout,
        }
        options: dict[str, Any] = {
            "ssl_context": settings.ssl_context,
            "max_connections": settings.max_connections,
            "max_keepalive_connections": settings.max_keepalive_connections,
            "keepalive_expiry": settings.keepalive_expiry,
            "watch": watch,
        }
        self._connection_pool = connection_pool
        self._options = options
        self.pool: Any = connection_pool(**options)
        #: The process the pool was opened in (``forked``).
        self.pid = os.getpid()

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
