"""What the sync and async clients share: construction, sessions, effects without I/O."""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, Literal, cast

import httpx

from ._batch import BatchOperation, BatchPut
from ._config import (
    SYNC_DEFAULT_LIMITS,
    BatchConfig,
    ClientConfig,
    NoCookies,
    TransferConfig,
    build_config,
)
from ._constants import DEFAULT_PRESIGN_SECONDS
from ._core import batch, flows
from ._core.batch import Indexed, Prepared
from ._core.guidance import connect_hint
from ._core.metrics import MetricRecord, MetricsBackend, NoOpMetricsBackend
from ._core.multipart_wire import check_upload_id
from ._core.plan import SessionInfo
from ._core.presign import presigned_url
from ._core.retry import RetryPolicy
from ._core.sources import BodySpec, classify_body
from ._core.tokens import SecretKey, TokenCache, check_token
from ._core.urls import BaseUrl, mint_token, object_url
from ._core.validate import check_key
from ._core.writes import Write, WriteOptions
from ._engines import EngineName, choose_engine
from ._exceptions import InvalidInput, TransportError, map_transport_error
from ._models import Permission, Scope, Usecase
from ._pool import origin
from ._tracing import trace_header_source

__all__ = [
    "BaseClient",
    "BaseMultipartUpload",
    "BaseSession",
    "put_items",
]

_log = logging.getLogger("objectstore_client")


class BaseClient:
    """Converts the upstream-compatible arguments once and holds the per-client state."""

    _transport_type: type[Any] = httpx.BaseTransport
    _default_limits: httpx.Limits = SYNC_DEFAULT_LIMITS

    def __init__(
        self,
        base_url: str,
        metrics_backend: MetricsBackend | None = None,
        propagate_traces: bool = False,
        retries: int | RetryPolicy | None = None,
        timeout_ms: float | None = None,
        connection_kwargs: Mapping[str, Any] | None = None,
        token: SecretKey | str | None = None,
        spool_dir: str | os.PathLike[str] | None = None,
        *,
        engine: EngineName = "auto",
    ) -> None:
        # upstream 0.2.10 spools compressed uploads there; uploads here never touch the disk
        if spool_dir is not None and not isinstance(spool_dir, (str, os.PathLike)):
            raise InvalidInput(f"spool_dir must be a path, got {type(spool_dir).__name__}")
        try:
            self._engine_name = choose_engine(engine, connection_kwargs or {})
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        config = build_config(
            base_url,
            retries=retries,
            timeout_ms=timeout_ms,
            connection_kwargs=connection_kwargs,
            # the small async default exists for httpcore's async pool, which slows down with
            # every connection it holds; the SDK's own engine does not
            default_limits=(
                SYNC_DEFAULT_LIMITS if self._engine_name == "httptools" else self._default_limits
            ),
        )
        if config.transport is not None and not isinstance(config.transport, self._transport_type):
            raise InvalidInput(
                f"connection_kwargs['transport'] must be an {self._transport_type.__name__} "
                f"for {type(self).__name__}"
            )
        self._base_url = config.base_url
        self._url = BaseUrl.of(config.base_url)
        self._metrics = metrics_backend or NoOpMetricsBackend()
        self._trace = trace_header_source(propagate_traces)
        # checked before any request: a token read from a file keeps its newline
        self._token = check_token(token)
        self._tokens = TokenCache(time.time)
        self._ctx = flows.OpContext(
            config.retry,
            time.monotonic,
            random.random,
            self._url,
            # the default backend discards everything: then no records are even built
            metrics=type(self._metrics) is not NoOpMetricsBackend,
        )
        # behind a transport of the caller's (httpx.MockTransport in unit tests) there is no
        # base URL to get wrong, and /health may not be served: no probe after a 404
        self._ctx.server.confirmed = config.transport is not None
        self._open(_http_kwargs(config))

    def _open(self, http_kwargs: dict[str, Any]) -> None:
        """Open the HTTP engine ``self._engine_name`` (sync or async) and the sleep function."""
        raise NotImplementedError

    def _session_info(
        self, usecase: Usecase, scopes: Mapping[str, str | int | bool]
    ) -> SessionInfo:
        if not isinstance(usecase, Usecase):
            raise InvalidInput(f"usecase must be a Usecase, got {type(usecase).__name__}")
        return SessionInfo(usecase, Scope(**scopes), self._token, self._tokens, self._trace)

    def _emit(self, records: Sequence[MetricRecord]) -> None:
        for record in records:
            try:
                self._metrics.distribution(
                    record.name, record.value, tags=record.tags, unit=record.unit
                )
            except Exception:  # a broken metrics backend must not fail requests
                _log.exception("metrics backend failed for %s", record.name)

    def _transport_error(self, effect: flows.Effect, exc: httpx.TransportError) -> TransportError:
        url = self._url
        if isinstance(effect, flows.Send):
            # the path as sent, with the base URL's prefix; where to, for connection failures
            method, path = effect.plan.method, url.path(effect.plan.path)
        elif isinstance(effect, (flows.ReadBody, flows.Close)):  # reading a small body
            method, path = origin(cast("httpx.Response", effect.response))
        else:  # pragma: no cover - no other effect does I/O
            method, path = "?", url.path("/")
        hint = None
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
            hint = connect_hint(url.host, url.port)
        error = map_transport_error(exc, method, path, hint=hint)
        error.__cause__ = exc
        return error

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self._base_url)!r})"


def _http_kwargs(config: ClientConfig) -> dict[str, Any]:
    return {**config.httpx_kwargs, "transport": config.transport, "cookies": NoCookies()}


class BaseSession:
    """The parts of a session that need no I/O."""

    def __init__(self, client: BaseClient, info: SessionInfo) -> None:
        self._base = client
        self._info = info

    @property
    def usecase(self) -> Usecase:
        """The session's usecase."""
        return self._info.usecase

    @property
    def scope(self) -> Scope:
        """The session's scope."""
        return self._info.scope

    def object_url(self, key: str, token_validity: timedelta | None = None) -> str:
        """The object's absolute URL; with ``token_validity``, a read-only token is embedded."""
        return object_url(self._base._url, self._info, key, token_validity, time.time())

    def presigned_object_url(
        self,
        method: Literal["GET", "HEAD"],
        key: str,
        duration: timedelta = timedelta(seconds=DEFAULT_PRESIGN_SECONDS),
    ) -> str:
        """A pre-signed URL that lets any HTTP client GET (or HEAD) the object, without
        credentials, for ``duration`` (at most 7 days). Needs a SecretKey with object.read.

        A GET URL also works for HEAD and vice versa; the signature covers the path and query,
        so any change to the URL is refused (401).
        """
        return presigned_url(self._base._url, self._info, method, key, duration, time.time())

    def mint_token(
        self,
        permissions: Sequence[Permission | str] | None = None,
        expiry_seconds: int | None = None,
    ) -> str:
        """A fresh token for this session's scope (needs a SecretKey, else ValueError)."""
        return mint_token(self._info, permissions, expiry_seconds, time.time())

    def _write(self, options: WriteOptions) -> Write:
        """The write options checked against the session's usecase (before any I/O)."""
        return options.resolve(self._info.usecase)

    def _upload_args(
        self, source: object, options: WriteOptions, config: TransferConfig | None
    ) -> tuple[BodySpec, Write, TransferConfig]:
        """Validate an automatic upload completely before any I/O."""
        if config is not None and not isinstance(config, TransferConfig):
            raise InvalidInput(f"config must be a TransferConfig, got {type(config).__name__}")
        write = self._write(options)
        spec = classify_body(source, compress=False)
        return spec, write, config or TransferConfig()

    def _batch_jobs(
        self, operations: Sequence[BatchOperation], config: BatchConfig | None
    ) -> tuple[list[Prepared], list[flows.Flow[Indexed]], list[flows.Flow[Indexed]], BatchConfig]:
        """Validate and split batch operations; the flows of batch and individual requests."""
        if config is not None and not isinstance(config, BatchConfig):
            raise InvalidInput(f"config must be a BatchConfig, got {type(config).__name__}")
        prepared = batch.prepare(self._info, operations)
        groups, singles = batch.split(prepared)
        ctx, info = self._base._ctx, self._info
        batches = [batch.batch_flow(ctx, info, batch.plan_batch(info, g), g) for g in groups]
        individual = [batch.individual_flow(ctx, info, op) for op in singles]
        return prepared, batches, individual, config or BatchConfig()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._info.usecase.name!r}, {str(self._info.scope)!r})"


def put_items(items: Mapping[str, bytes] | Sequence[BatchPut]) -> list[BatchOperation]:
    """``put_many``'s items: ``{key: bytes}`` or BatchPut operations."""
    if isinstance(items, Mapping):
        return [BatchPut(value, key) for key, value in items.items()]
    return list(items)


class BaseMultipartUpload:
    """What a multipart upload handle holds: its key and upload id (no I/O here)."""

    def __init__(self, key: str, upload_id: str) -> None:
        self._key = check_key(key)
        self._upload_id = check_upload_id(upload_id)

    @property
    def key(self) -> str:
        """The key the object will be stored under."""
        return self._key

    @property
    def upload_id(self) -> str:
        """The server's opaque id of this upload."""
        return self._upload_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key={self._key!r}, upload_id={self._upload_id!r})"
