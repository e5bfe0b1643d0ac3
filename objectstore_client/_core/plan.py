"""Request plans: what to send, built with the generated layer's request builders.

A plan is data: method, the ``build_request`` kwargs (without the body), a description of the
body source, and what makes the request safe to replay. The drivers turn it into an
``httpx.Request`` (adding the body stream) for every attempt.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from typing import Any, Literal, Protocol

import attrs
from objectstore_generated.api.health import health
from objectstore_generated.api.objects import (
    delete_object,
    get_object,
    head_object,
    insert_object,
    put_object,
)
from objectstore_generated.types import UNSET, File, Unset

from .._constants import (
    AUTH_HEADER,
    HEADER_META_PREFIX,
    MULTITHREAD_COMPRESSION_MIN_BYTES,
    ONE_SHOT_MAX_BYTES,
)
from .._exceptions import InvalidInput
from .._models import ExpirationPolicy, Scope, Usecase, format_expiration
from .codec import ZstdEncoder, compress_once
from .retry import RequestKind
from .tokens import SecretKey, TokenCache
from .validate import check_compression, check_header_value, check_key, check_metadata

__all__ = [
    "BodyCounter",
    "AsyncContents",
    "BodySpec",
    "Chunk",
    "Contents",
    "CountingEncoder",
    "Readable",
    "RequestPlan",
    "SessionInfo",
    "classify_body",
    "plan_delete",
    "plan_get",
    "plan_head",
    "plan_put",
]

SourceKind = Literal["bytes", "path", "file", "iter", "aiter"]

#: One piece of an upload.
Chunk = bytes | bytearray | memoryview


class Readable(Protocol):
    """A binary file or stream: anything whose ``read(size)`` returns bytes."""

    def read(self, size: int = ..., /) -> bytes: ...


#: What ``put`` and ``upload`` send: bytes, a path, a binary file or stream, or an iterable
#: of byte chunks (``str`` and text files are refused: encode them first).
Contents = Chunk | os.PathLike[str] | Readable | Iterable[Chunk]
#: The asyncio client also takes async iterables of byte chunks.
AsyncContents = Contents | AsyncIterable[Chunk]
_NO_BODY = File(payload=io.BytesIO())


@attrs.frozen(eq=False)
class SessionInfo:
    """The usecase, scope and credentials shared by every request of a session."""

    usecase: Usecase
    scope: Scope
    token: SecretKey | str | None = attrs.field(repr=False)
    tokens: TokenCache = attrs.field(repr=False)
    trace_headers: Callable[[], Mapping[str, str]] | None = None

    @property
    def scope_path(self) -> str:
        """The scopes path segment (``_`` when empty)."""
        return str(self.scope)

    def request_headers(self) -> dict[str, str]:
        """Per-attempt headers: a valid token (reused while fresh) and trace propagation."""
        headers: dict[str, str] = {}
        if isinstance(self.token, SecretKey):
            token = self.tokens.token(self.token, self.usecase.name, self.scope)
            headers[AUTH_HEADER] = f"Bearer {token}"
        elif self.token:
            headers[AUTH_HEADER] = f"Bearer {self.token}"
        if self.trace_headers is not None:
            headers.update(self.trace_headers())
        return headers


@attrs.define
class BodyCounter:
    """Bytes read from the source and bytes sent, for the current attempt."""

    read: int = 0
    sent: int = 0


@attrs.frozen(eq=False)
class BodySpec:
    """Where an upload's bytes come from and how they are encoded."""

    source: Any
    kind: SourceKind
    compress: bool
    #: start offset of a seekable file, to rewind on replay
    start: int | None = None
    counter: BodyCounter = attrs.field(factory=BodyCounter)

    @property
    def replayable(self) -> bool:
        """Bytes, paths and seekable files can be sent again; iterators cannot."""
        return self.kind in ("bytes", "path") or (self.kind == "file" and self.start is not None)

    def encoder(self, size: int | None) -> ZstdEncoder:
        """A fresh encoder for one attempt (multi-threaded for large known sizes)."""
        threads = -1 if size is not None and size >= MULTITHREAD_COMPRESSION_MIN_BYTES else 0
        return ZstdEncoder(threads=threads, size=-1 if size is None else size)

    def one_shot(self) -> bytes | None:
        """The whole body for small bytes sources (sent with a Content-Length), else None."""
        if self.kind != "bytes" or len(self.source) > ONE_SHOT_MAX_BYTES:
            return None
        data = bytes(self.source)
        self.counter.read = len(data)
        body = compress_once(data) if self.compress else data
        self.counter.sent = len(body)
        return body


class CountingEncoder:
    """One upload attempt's body transform: counts source and sent bytes into the spec's
    counter while compressing (or passing through) chunk by chunk. Shared by both drivers;
    no I/O."""

    def __init__(self, spec: BodySpec, size: int | None) -> None:
        self._counter = spec.counter
        self._counter.read = self._counter.sent = 0
        self._encoder = spec.encoder(size) if spec.compress else None

    @property
    def compressing(self) -> bool:
        """Whether ``feed`` does CPU work worth moving off an event loop."""
        return self._encoder is not None

    def feed(self, chunk: bytes | bytearray | memoryview) -> bytes:
        """The bytes to send for ``chunk`` (maybe ``b""`` while the compressor buffers)."""
        self._counter.read += len(chunk)
        out = self._encoder.feed(chunk) if self._encoder is not None else bytes(chunk)
        self._counter.sent += len(out)
        return out

    def flush(self) -> bytes:
        """The remaining bytes to send once the source is exhausted."""
        tail = self._encoder.flush() if self._encoder is not None else b""
        self._counter.sent += len(tail)
        return tail


def classify_body(contents: object, *, compress: bool) -> BodySpec:
    """Describe an upload source: bytes, a path, a binary file, or a (async) iterable of bytes."""
    if isinstance(contents, (bytes, bytearray, memoryview)):
        return BodySpec(memoryview(contents).cast("B"), "bytes", compress)
    if isinstance(contents, str):
        raise InvalidInput("contents must be bytes, a binary file, a path or an iterable of bytes")
    if isinstance(contents, os.PathLike):
        # kept as given (not os.fspath): a single put of an upload classifies it again
        return BodySpec(contents, "path", compress)
    if hasattr(contents, "read"):
        if isinstance(contents, io.TextIOBase):
            raise InvalidInput("contents is a text file: open it in binary mode ('rb')")
        start: int | None = None
        try:
            if contents.seekable():  # type: ignore[attr-defined]
                start = contents.tell()  # type: ignore[attr-defined]
        except (AttributeError, OSError, ValueError):
            start = None
        return BodySpec(contents, "file", compress, start)
    if isinstance(contents, AsyncIterable):
        return BodySpec(contents, "aiter", compress)
    if isinstance(contents, Iterable):
        return BodySpec(contents, "iter", compress)
    raise InvalidInput(
        f"contents must be bytes, a binary file, a path or an iterable of bytes, "
        f"got {type(contents).__name__}"
    )


@attrs.frozen(eq=False)
class RequestPlan:
    """One logical request; the driver sends it (again on retries)."""

    method: str
    path: str
    kwargs: dict[str, Any]
    kind: RequestKind
    body: BodySpec | None = None

    def build_kwargs(self, session: SessionInfo) -> dict[str, Any]:
        """Fresh ``build_request`` kwargs for one attempt (headers copied, token current)."""
        kwargs = dict(self.kwargs)
        headers = dict(kwargs.get("headers") or {})
        headers.update(session.request_headers())
        kwargs["headers"] = headers
        if not kwargs.get("params"):
            kwargs.pop("params", None)
        return kwargs


def _plan(
    method: str, kwargs: dict[str, Any], kind: RequestKind, body: BodySpec | None = None
) -> RequestPlan:
    kwargs.pop("content", None)
    return RequestPlan(method, str(kwargs["url"]), kwargs, kind, body)


def _opt(value: str | None) -> str | Unset:
    return UNSET if value is None else value


def plan_put(
    session: SessionInfo,
    contents: object,
    *,
    key: str | None,
    compression: str | None,
    content_type: str | None,
    metadata: Mapping[str, str] | None,
    expiration_policy: ExpirationPolicy | None,
    origin: str | None,
    filename: str | None,
) -> RequestPlan:
    """Validate a put and plan it: PUT with a key, POST (server-generated key) without."""
    chosen = check_compression(compression, allow_none=True) or session.usecase.compression
    compress = chosen == "zstd"
    custom = check_metadata(metadata)
    policy = expiration_policy or session.usecase.expiration_policy
    expiration = format_expiration(policy) if policy is not None else None
    header_args: dict[str, Any] = {
        "x_sn_expiration": _opt(expiration),
        # upstream sends origin only when truthy, filename whenever not None
        "x_sn_origin": check_header_value("origin", origin) if origin else UNSET,
        "x_sn_filename": _opt(
            None if filename is None else check_header_value("filename", filename)
        ),
        "content_encoding": "zstd" if compress else UNSET,
    }
    if key is not None and not isinstance(key, str):
        raise InvalidInput(f"key must be a str, got {type(key).__name__}")
    if key:
        check_key(key)
    body = classify_body(contents, compress=compress)
    usecase, scopes = session.usecase.name, session.scope_path
    if key:
        kwargs = put_object.build_request_kwargs(usecase, scopes, key, body=_NO_BODY, **header_args)
    else:
        kwargs = insert_object.build_request_kwargs(usecase, scopes, body=_NO_BODY, **header_args)
    headers = kwargs["headers"]
    if content_type is not None:
        headers["Content-Type"] = check_header_value("content_type", content_type)
    for name, value in custom.items():
        headers[f"{HEADER_META_PREFIX}{name}"] = value
    kind = RequestKind(idempotent=bool(key), replayable=body.replayable)
    return _plan("PUT" if key else "POST", kwargs, kind, body)


_READ = RequestKind(idempotent=True, replayable=True)


def plan_get(session: SessionInfo, key: str) -> RequestPlan:
    """Plan a streamed GET."""
    kwargs = get_object.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key)
    )
    return _plan("GET", kwargs, _READ)


def plan_head(session: SessionInfo, key: str) -> RequestPlan:
    """Plan a HEAD."""
    kwargs = head_object.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key)
    )
    return _plan("HEAD", kwargs, _READ)


def plan_health() -> RequestPlan:
    """Plan a GET of the server's liveness endpoint (``/health``, answers ``OK``)."""
    return _plan("GET", health.build_request_kwargs(), _READ)


def plan_delete(session: SessionInfo, key: str) -> RequestPlan:
    """Plan a DELETE."""
    kwargs = delete_object.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key)
    )
    return _plan("DELETE", kwargs, _READ)


def object_path(session: SessionInfo, key: str) -> str:
    """The encoded path of an object, relative to the base URL (``/v1/objects/...``)."""
    return str(plan_get(session, key).path)
