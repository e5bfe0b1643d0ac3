"""The connection settings the default engine takes from the client's options, read once.

``_config.build_config`` has normalised them (a parsed base URL, a timeout with its four
phases, pool limits), so they are read by attribute here and no HTTP library is imported.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

from .._config import tls_context
from ._errors import EngineError

__all__ = ["Settings"]


class Settings:
    """Host, timeouts, pool limits and TLS, read once from the client's ``http_kwargs``."""

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        url = http_kwargs["base_url"]
        if url.scheme not in ("http", "https"):
            raise EngineError(f"unsupported URL scheme {url.scheme!r}")
        self.host: str = url.host
        self.port: int = url.port or (443 if url.scheme == "https" else 80)
        timeout = http_kwargs["timeout"]  # connect, read, write, pool (httpx.Timeout's shape)
        self.connect_timeout: float | None = timeout.connect
        self.read_timeout: float | None = timeout.read
        self.write_timeout: float | None = timeout.write
        self.pool_timeout: float | None = timeout.pool
        limits = http_kwargs["limits"]  # max_connections, max_keepalive_connections, expiry
        #: None: no cap, the pool opens a connection whenever none is free.
        self.max_connections: int | None = limits.max_connections
        self.max_keepalive: int = (
            limits.max_keepalive_connections
            if limits.max_keepalive_connections is not None
            else limits.max_connections or 1_000_000
        )
        self.keepalive_expiry: float | None = limits.keepalive_expiry
        self.ssl_context: ssl.SSLContext | None = None
        if url.scheme == "https":
            self.ssl_context = tls_context(http_kwargs.get("verify", True), http_kwargs.get("cert"))
