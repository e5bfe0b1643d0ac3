"""The one exception hierarchy of the SDK.

::

    ObjectstoreError
    ├── RequestError            the server answered with an error status (.status, .response)
    │   ├── MultipartCompleteError  complete answered 200 with an error body (.code, .message)
    │   ├── RangeNotSatisfiable     416: the range starts beyond the object (.size)
    │   ├── ObjectNotFound          extend_expiry: the object is absent or expired (404)
    │   └── ExpiryExtensionRejected extend_expiry: the server refused to extend (409)
    ├── TransportError          no usable HTTP response (.method, .path)
    │   ├── ConnectError        the connection could not be established
    │   ├── RequestTimeout      a connect, read, write or pool timeout expired
    │   └── ProtocolViolation   the response broke HTTP/1.1 or an engine limit (.limit)
    ├── InvalidInput            bad arguments, refused before any network call (also a ValueError)
    └── DecodeError             stored bytes labelled zstd do not decode, or end inside a frame

An engine's transport failures become ours only in :func:`map_transport_error`, which every
engine calls at its boundary (``_engines/_errors.transport_error``).
Messages name the method, path and status; they never contain a token.
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = [
    "ConnectError",
    "DecodeError",
    "ExpiryExtensionRejected",
    "InvalidInput",
    "MultipartCompleteError",
    "ObjectNotFound",
    "ObjectstoreError",
    "ProtocolViolation",
    "RangeNotSatisfiable",
    "RequestError",
    "RequestTimeout",
    "TransportError",
    "map_transport_error",
    "name_server",
    "raise_for_status",
]

_BODY_EXCERPT_CHARS = 500


class ObjectstoreError(Exception):
    """Root of every error raised by the SDK."""


class InvalidInput(ObjectstoreError, ValueError):
    """An argument was refused before any network call. Also a :class:`ValueError`."""


class DecodeError(ObjectstoreError, ValueError):
    """A download labelled zstd is not valid zstd data, or ended inside a frame.

    Raised while reading the payload: a truncated body never passes for a shorter object.
    """


class RequestError(ObjectstoreError):
    """The server answered with an error status.

    Constructed positionally like upstream: ``RequestError(message, status, response)``, where
    ``response`` is the response body decoded as UTF-8 (errors replaced). Every error the SDK
    raises has both (upstream 0.2.10 types them Optional for its resumable uploads' failures).
    """

    def __init__(
        self,
        message: str,
        status: int,
        response: str,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.response = response
        self.method = method
        self.path = path

    @classmethod
    def from_response(
        cls, method: str, path: str, status: int, body: bytes, *, hint: str | None = None
    ) -> RequestError:
        """Build the error for a response, with a bounded excerpt of its body (and ``hint``:
        what to do about it)."""
        text = body.decode("utf-8", errors="replace")
        excerpt = text.strip()
        if len(excerpt) > _BODY_EXCERPT_CHARS:
            excerpt = excerpt[:_BODY_EXCERPT_CHARS] + "..."
        message = f"Objectstore request failed with status {status}: {method} {path}"
        if excerpt:
            message += f": {excerpt}"
        if hint:
            message += f" ({hint})"
        return cls(message, status, text, method=method, path=path)

    def __reduce__(self) -> tuple[object, ...]:
        args = (self.message, self.status, self.response, self.method, self.path)
        return (_rebuild_request_error, args)


def _rebuild_request_error(
    message: str, status: int, response: str, method: str | None, path: str | None
) -> RequestError:
    return RequestError(message, status, response, method=method, path=path)


class ObjectNotFound(RequestError):
    """The object is absent or expired (``extend_expiry`` answered 404)."""

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_subclass, (type(self), self.message, self.status, self.response))


class ExpiryExtensionRejected(RequestError):
    """``extend_expiry`` was refused (409): the object never expires, lacks its creation time,
    or changed concurrently (it may have been deleted)."""

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_subclass, (type(self), self.message, self.status, self.response))


def _rebuild_subclass(
    cls: type[RequestError], message: str, status: int, response: str
) -> RequestError:
    return cls(message, status, response)


def _response_status(response: Any) -> int:
    status = getattr(response, "status_code", None)  # httpx, requests
    if status is None:
        status = response.status  # urllib3, http.client
    return int(status)


def _response_body(response: Any) -> bytes:
    if hasattr(response, "data"):  # urllib3: data once preloaded or read, else read now
        return bytes(response.data or response.read() or b"")
    if hasattr(response, "read"):  # httpx: read() returns the whole body, read before or not
        return bytes(response.read() or b"")
    return b""


def raise_for_status(response: Any, *, error_type: type[RequestError] = RequestError) -> None:
    """Raise ``error_type`` for a response with a status of 400 or more, like upstream.

    Accepts an ``httpx.Response`` or anything shaped like a urllib3 response (``status`` and
    ``data``/``read()``). The message is ``Objectstore request failed with status N``; the
    error carries the status and the body decoded as UTF-8 (errors replaced).
    """
    status = _response_status(response)
    if status < 400:
        return
    text = _response_body(response).decode("utf-8", errors="replace")
    raise error_type(f"Objectstore request failed with status {status}", status, text)


class MultipartCompleteError(RequestError):
    """Completing a multipart upload failed: the server answered 200 with an error body.

    ``code`` is the server's error code (``InvalidPart``, ``internal error``, ...), ``message``
    its description, ``status`` is 200 like upstream. The upload still exists and can be
    completed again with corrected parts, or aborted.
    """

    def __init__(
        self, code: str, message: str, *, method: str | None = None, path: str | None = None
    ) -> None:
        text = f"completing the multipart upload failed: {code}: {message}"
        super().__init__(text, 200, message, method=method, path=path)
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_complete_error, (self.code, self.message, self.method, self.path))


def _rebuild_complete_error(
    code: str, message: str, method: str | None, path: str | None
) -> MultipartCompleteError:
    return MultipartCompleteError(code, message, method=method, path=path)


class RangeNotSatisfiable(RequestError):
    """416: the requested range starts at or beyond the end of the object (or it is empty).

    ``size`` is the object's stored size from ``Content-Range: bytes */<size>`` (None if the
    server did not send it).
    """

    def __init__(self, message: str, size: int | None, *, method: str, path: str) -> None:
        super().__init__(message, 416, "", method=method, path=path)
        self.size = size

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_range_error, (self.message, self.size, self.method, self.path))


def _rebuild_range_error(
    message: str, size: int | None, method: str, path: str
) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(message, size, method=method, path=path)


class TransportError(ObjectstoreError):
    """No usable HTTP response: the connection failed, was reset, or a timeout expired."""

    def __init__(self, message: str, *, method: str, path: str, maybe_sent: bool = True) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        #: False when the request certainly never reached the server (safe to replay any request).
        self.maybe_sent = maybe_sent


class ConnectError(TransportError):
    """The connection could not be established; no byte of the request was sent."""


class RequestTimeout(TransportError):
    """A connect, read, write or pool timeout expired."""


class ProtocolViolation(TransportError):
    """The server's response broke HTTP/1.1 (malformed, badly framed, cut short, a protocol
    switch) or one of the engine's limits on what precedes a body.

    ``limit`` names the limit it broke (``MAX_HEAD_BYTES``, ``MAX_LINE_BYTES``,
    ``MAX_HEADERS``, ``MAX_REASON_BYTES``, ``MAX_CHUNK_LINE_BYTES``; see
    docs/failure-semantics.md), or is None. The connection it came on is closed.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        maybe_sent: bool = True,
        limit: str | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, maybe_sent=maybe_sent)
        self.limit = limit


_E = TypeVar("_E", bound=ObjectstoreError)


def name_server(error: _E, server: str) -> _E:
    """Add the server (``host:port``) an error came from to its message, once, and set its
    ``server`` attribute; returns ``error``. Applied where errors leave a client, so every
    status and transport error says which server it is about."""
    if getattr(error, "server", None) is not None or not server:
        return error
    error.server = server  # type: ignore[attr-defined]
    old = str(error.args[0]) if error.args else ""
    message = f"{old} [server {server}]"
    error.args = (message, *error.args[1:])
    if isinstance(error, RequestError) and error.message == old:
        error.message = message  # the text str() shows (MultipartCompleteError keeps its own)
    return error


def server_of(url: Any) -> str:
    """``host:port`` of a parsed URL (``host``, ``port``, ``scheme``), with the scheme's
    default port."""
    return f"{url.host}:{url.port or {'https': 443}.get(url.scheme, 80)}"


def map_transport_error(
    exc: BaseException, method: str, path: str, *, hint: str | None = None
) -> TransportError:
    """Translate an engine's transport failure into ours (the caller raises it ``from exc``);
    ``hint`` says what to check.

    The kind comes from the failure's class names (an engine's own ``_engines._errors``
    classes, or httpx's and httpcore's, which share those names), so this bottom layer
    imports no HTTP library.
    """
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    kind = type(exc).__name__
    detail = _detail(exc)
    message = f"Objectstore request {method} {path} failed: {kind}: {detail}"
    if hint:
        message += f" ({hint})"
    if "PoolTimeout" in kinds:
        message += (
            " (every pooled connection stayed busy and the pool is capped: read each "
            "download's payload to the end or close it (`with result.payload:`), or let the "
            "pool open more connections: connection_kwargs={'maxsize': N} without "
            "'block': True, or an httpx.Limits with max_connections=None)"
        )
    unsent = not kinds.isdisjoint(("ConnectError", "ConnectTimeout", "PoolTimeout"))
    if "TimeoutException" in kinds:
        return RequestTimeout(message, method=method, path=path, maybe_sent=not unsent)
    if "ConnectError" in kinds:
        return ConnectError(message, method=method, path=path, maybe_sent=False)
    if "RemoteProtocolError" in kinds:
        limit = getattr(exc, "limit", None)
        return ProtocolViolation(message, method=method, path=path, limit=limit)
    return TransportError(message, method=method, path=path)


def _detail(exc: BaseException) -> str:
    """The first message along the chain of causes: asyncio's ``ReadError()`` has none of its
    own, the OSError below it says what happened."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current)
        if text:
            return text if current is exc else f"{type(current).__name__}: {text}"
        current = current.__cause__ or current.__context__
    return "the connection was closed or reset (no further detail)"
