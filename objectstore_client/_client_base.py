"""What the sync and async clients share: the upstream-compatible arguments converted once into
the per-client state (configuration, engine choice, base URL, retry context, metrics, tokens)."""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Mapping, Sequence
from typing import Any

from ._config import SYNC_DEFAULT_LIMITS, ClientConfig, PoolSize, build_config
from ._core import flows
from ._core.metrics import MetricRecord, MetricsBackend, NoOpMetricsBackend
from ._core.plan import SessionInfo
from ._core.retry import RetryPolicy
from ._core.tokens import SecretKey, TokenCache, check_token
from ._core.urls import BaseUrl
from ._engines import EngineName, choose_engine
from ._exceptions import InvalidInput
from ._models import Scope, Usecase
from ._tracing import trace_header_source

__all__ = ["BaseClient"]

_log = logging.getLogger("objectstore_client")


class BaseClient:
    """Converts the upstream-compatible arguments once and holds the per-client state."""

    #: the httpx transport class a caller's ``transport`` must be (looked up only then)
    _transport_type: str = "BaseTransport"
    _default_limits: PoolSize = SYNC_DEFAULT_LIMITS

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
        if config.transport is not None:
            import httpx  # the caller handed in an httpx object

            if not isinstance(config.transport, getattr(httpx, self._transport_type)):
                raise InvalidInput(
                    f"connection_kwargs['transport'] must be an {self._transport_type} "
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

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self._base_url)!r})"


def _http_kwargs(config: ClientConfig) -> dict[str, Any]:
    return {**config.http_kwargs, "transport": config.transport}
