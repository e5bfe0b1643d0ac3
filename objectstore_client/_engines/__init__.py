"""HTTP engines: how the SDK's planned requests reach the server.

Every engine takes the generated layer's ``build_request`` kwargs (method, encoded path,
params, headers, ``json``) plus the body, turns them into the one request value every engine
sends (``_request.RequestBuilder``), sends it, and answers with the SDK's own response
(``_response.Response`` / ``AsyncResponse``: status, headers, the raw body as a stream, close,
the request and server it answers), whose body streams from the connection (read it or close
it to free the connection). Engines raise the SDK's ``TransportError`` family (ConnectError,
RequestTimeout, ProtocolViolation), mapped once at each engine's boundary
(``_errors.transport_error``), so retry decisions are the same whichever engine sent the
request. httpx is imported by the httpx engine only.

- ``"httptools"`` (default): HTTP/1.1 written by the SDK over its own sockets and parsed by
  httptools (llhttp, in C); sync over blocking sockets, async as a native asyncio protocol.
  Owning the socket lets it re-arm ``TCP_QUICKACK`` before every read (Linux), which removes
  the delayed-ACK stall of kept-alive GETs against servers that do not set ``TCP_NODELAY``.
- ``"httpx"``: httpcore driven directly, or ``httpx.Client``/``AsyncClient`` when
  ``connection_kwargs`` has a ``transport`` (``MockTransport``, custom transports) or a
  ``proxy``. It is also the fallback where httptools is not installed.

``_engines._sync.open_engine`` and ``_engines._async.open_engine`` open the chosen engine for
a blocking or an asyncio client (two modules, so that the sync driver generated from the
async one imports its own).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol

from ._response import AsyncResponse, Headers, Response

__all__ = [
    "ENGINES",
    "AsyncEngine",
    "AsyncResponse",
    "Engine",
    "EngineName",
    "Headers",
    "Response",
    "choose_engine",
]

EngineName = Literal["auto", "httptools", "httpx"]
#: The names a user may pass (``"auto"`` picks httptools where it can).
ENGINES: tuple[EngineName, ...] = ("auto", "httptools", "httpx")


class Engine(Protocol):
    """Sends requests for a blocking client."""

    name: str

    def send(self, kwargs: Mapping[str, Any], content: Any, method: str, path: str) -> Response:
        """Send one request (``content``: None, bytes or an iterable of bytes); the answer's
        body is unread. ``method`` and ``path`` name the request in error messages. Raises
        the SDK's ``TransportError`` family."""
        ...

    def close(self) -> None:
        """Close every pooled connection."""
        ...


class AsyncEngine(Protocol):
    """Sends requests for an asyncio client."""

    name: str

    async def send(
        self, kwargs: Mapping[str, Any], content: Any, method: str, path: str
    ) -> AsyncResponse:
        """Send one request (``content``: None, bytes or an (async) iterable of bytes); the
        answer's body is unread. Raises the SDK's ``TransportError`` family."""
        ...

    async def aclose(self) -> None:
        """Close every pooled connection."""
        ...


def _httptools_available() -> bool:
    try:
        import httptools  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the installation
        return False
    return True


def choose_engine(engine: str, http_kwargs: Mapping[str, Any]) -> Literal["httptools", "httpx"]:
    """Which engine serves a client: the one asked for, or for ``"auto"`` httptools unless a
    transport or proxy is configured (only httpx can use those) or httptools is missing.

    Raises ValueError for an unknown name or for ``"httptools"`` with a transport/proxy.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    needs_httpx = http_kwargs.get("transport") is not None or http_kwargs.get("proxy") is not None
    if engine == "httpx":
        return "httpx"
    if engine == "httptools":
        if needs_httpx:
            raise ValueError(
                "engine 'httptools' cannot use connection_kwargs 'transport' or 'proxy'; "
                "use engine='httpx' (or 'auto')"
            )
        if not _httptools_available():  # pragma: no cover - depends on the installation
            raise ValueError("engine 'httptools' needs the httptools package")
        return "httptools"
    return "httpx" if needs_httpx or not _httptools_available() else "httptools"
