"""The engine configuration: one typed value, read once per client from its options.

``_config.build_config`` has normalised the options into the SDK's own values (``_config.Url``,
``Timeout``, ``Limits``, the client's header fields as pairs, one TLS context; the engine tests
pass httpx's, which have the same attribute names); ``Settings`` reads
them once, by attribute, and every part of an engine (the request builder, the default
engine's pool, the httpx engine's httpcore pool) takes its values from it. No HTTP library is
imported here.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

from .._config import tls_context
from ._errors import EngineError

__all__ = ["Settings"]


class Settings:
    """Where to connect, the base path prefix, the client's header fields, timeouts, pool
    limits and TLS of one client."""

    __slots__ = (
        "connect_timeout",
        "headers",
        "host",
        "keepalive_expiry",
        "max_connections",
        "max_keepalive",
        "max_keepalive_connections",
        "netloc",
        "pool_timeout",
        "port",
        "prefix",
        "raw_host",
        "read_timeout",
        "scheme",
        "server",
        "ssl_context",
        "write_timeout",
    )

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        url = http_kwargs["base_url"]  # scheme, host, raw_host, port, netloc, raw_path
        if url.scheme not in ("http", "https"):
            raise EngineError(f"unsupported URL scheme {url.scheme!r}")
        self.scheme: str = url.scheme
        self.host: str = url.host
        self.raw_host: bytes = url.raw_host
        self.port: int = url.port or (443 if url.scheme == "https" else 80)
        #: ``host:port``, for messages
        self.server = f"{self.host}:{self.port}"
        #: the Host header's value
        self.netloc: bytes = url.netloc
        prefix: bytes = url.raw_path
        #: the base URL's path, ending in ``/``: every request target starts with it
        self.prefix = prefix if prefix.endswith(b"/") else prefix + b"/"
        #: the client's header fields (User-Agent, Accept-Encoding, connection_kwargs')
        self.headers = _raw_fields(http_kwargs.get("headers") or {})
        timeout = http_kwargs["timeout"]  # connect, read, write, pool
        self.connect_timeout: float | None = timeout.connect
        self.read_timeout: float | None = timeout.read
        self.write_timeout: float | None = timeout.write
        self.pool_timeout: float | None = timeout.pool
        limits = http_kwargs["limits"]  # max_connections, max_keepalive_connections, expiry
        #: None: no cap, the pool opens a connection whenever none is free.
        self.max_connections: int | None = limits.max_connections
        self.max_keepalive_connections: int | None = limits.max_keepalive_connections
        self.max_keepalive: int = (
            limits.max_keepalive_connections
            if limits.max_keepalive_connections is not None
            else limits.max_connections or 1_000_000
        )
        self.keepalive_expiry: float | None = limits.keepalive_expiry
        self.ssl_context: ssl.SSLContext | None = None
        if url.scheme == "https":
            self.ssl_context = tls_context(http_kwargs.get("verify", True), http_kwargs.get("cert"))


def _raw_fields(headers: Any) -> list[tuple[bytes, bytes]]:
    raw = getattr(headers, "raw", None)  # an httpx.Headers' fields, as configured
    if raw is not None:
        return list(raw)
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [(k.encode("ascii"), v.encode("ascii")) for k, v in pairs]
