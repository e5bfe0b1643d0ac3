"""The failures engines raise among themselves, and the one place they become the SDK's.

Inside an engine, a failure is one of the small classes below (named like the httpx errors
they replace, so that messages read the same whichever engine sent the request). At the
engine's boundary, ``transport_error`` turns it, or an httpx/httpcore error from the httpx
engine, into the SDK's ``TransportError`` family (``_exceptions.map_transport_error``),
naming the request it broke; callers of an engine only ever see SDK errors.
"""

from __future__ import annotations

from .._core.guidance import connect_hint
from .._exceptions import TransportError, map_transport_error

__all__ = [
    "ConnectError",
    "ConnectTimeout",
    "EngineError",
    "LocalProtocolError",
    "PoolTimeout",
    "ReadError",
    "ReadTimeout",
    "RemoteProtocolError",
    "TimeoutException",
    "WriteError",
    "WriteTimeout",
    "transport_error",
]


class EngineError(Exception):
    """A transport failure inside an engine (never leaves it)."""


class TimeoutException(EngineError):
    """A connect, read, write or pool timeout expired."""


class ConnectError(EngineError):
    """The connection could not be established (nothing was sent)."""


class ConnectTimeout(TimeoutException):
    """Connecting took longer than the connect timeout (nothing was sent)."""


class PoolTimeout(TimeoutException):
    """No connection became free within the pool timeout (nothing was sent)."""


class ReadError(EngineError):
    """Reading from the connection failed."""


class ReadTimeout(TimeoutException):
    """The server sent nothing for the read timeout."""


class WriteError(EngineError):
    """Writing the request failed."""


class WriteTimeout(TimeoutException):
    """Writing stalled for the write timeout."""


class RemoteProtocolError(EngineError):
    """The server's bytes are not an acceptable HTTP/1.1 response."""


class LocalProtocolError(EngineError):
    """The request cannot be sent as given (a header holding CR, LF or NUL)."""


def transport_error(
    exc: BaseException, method: str, path: str, connect_to: tuple[str, int] | None = None
) -> TransportError:
    """The SDK error for an engine's failure of ``method path`` (the path as sent, base
    prefix included); ``connect_to`` (host, port) adds where to for connection failures. The
    caller raises it ``from exc``."""
    hint = None
    if connect_to is not None and _connect_failure(exc):
        hint = connect_hint(*connect_to)
    return map_transport_error(exc, method, path, hint=hint)


def _connect_failure(exc: BaseException) -> bool:
    return any(cls.__name__ in ("ConnectError", "ConnectTimeout") for cls in type(exc).__mro__)
