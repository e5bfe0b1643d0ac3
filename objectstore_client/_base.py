"""What the sync and async clients share: construction, sessions, effects without I/O."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import attrs
import httpx

from ._config import ClientConfig, NoCookies, build_config
from ._core import flows
from ._core.metrics import MetricRecord, MetricsBackend, NoOpMetricsBackend
from ._core.plan import SessionInfo
from ._core.tokens import SecretKey, TokenCache
from ._core.urls import mint_token, object_url
from ._exceptions import InvalidInput, TransportError, map_transport_error
from ._models import Metadata, Permission, Scope, Usecase
from ._tracing import trace_header_source

__all__ = ["BaseClient", "BaseSession"]

_log = logging.getLogger("objectstore_client")


class BaseClient:
    """Converts the upstream-compatible arguments once and holds the per-client state."""

    _transport_type: type[Any] = httpx.BaseTransport

    def __init__(
        self,
        base_url: str,
        metrics_backend: MetricsBackend | None = None,
        propagate_traces: bool = False,
        retries: int | None = None,
        timeout_ms: float | None = None,
        connection_kwargs: Mapping[str, Any] | None = None,
        token: SecretKey | str | None = None,
    ) -> None:
        config = build_config(
            base_url, retries=retries, timeout_ms=timeout_ms, connection_kwargs=connection_kwargs
        )
        if config.transport is not None and not isinstance(config.transport, self._transport_type):
            raise InvalidInput(
                f"connection_kwargs['transport'] must be an {self._transport_type.__name__} "
                f"for {type(self).__name__}"
            )
        if token is not None and not isinstance(token, (SecretKey, str)):
            raise InvalidInput(f"token must be a SecretKey or a str, got {type(token).__name__}")
        self._base_url = config.base_url
        self._metrics = metrics_backend or NoOpMetricsBackend()
        self._trace = trace_header_source(propagate_traces)
        self._token = token
        self._tokens = TokenCache(time.time)
        self._ctx = flows.OpContext(config.retry, time.monotonic, random.random)
        self._open(_http_kwargs(config))

    def _open(self, http_kwargs: dict[str, Any]) -> None:
        """Create the httpx client (sync or async) and the sleep function."""
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

    @staticmethod
    def _transport_error(effect: flows.Effect, exc: httpx.TransportError) -> TransportError:
        plan = effect.plan if isinstance(effect, flows.Send) else None
        error = map_transport_error(exc, plan.method if plan else "?", plan.path if plan else "?")
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
        return object_url(self._base._base_url, self._info, key, token_validity, time.time())

    def mint_token(
        self,
        permissions: Sequence[Permission | str] | None = None,
        expiry_seconds: int | None = None,
    ) -> str:
        """A fresh token for this session's scope (needs a SecretKey, else ValueError)."""
        return mint_token(self._info, permissions, expiry_seconds, time.time())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._info.usecase.name!r}, {str(self._info.scope)!r})"


def response_metadata(
    response: httpx.Response, decompress: bool, accept_encoding: Sequence[str] | None
) -> tuple[Metadata, bool]:
    """Metadata of a download and whether to decode it (compression reset when decoding)."""
    metadata = Metadata.from_headers(response.headers)
    if not flows.decode_wanted(metadata, decompress, accept_encoding):
        return metadata, False
    return attrs.evolve(metadata, compression=None), True
