"""Python SDK for Objectstore: sync and asyncio clients, streaming zstd, retries, EdDSA tokens."""

from ._async import AsyncClient, AsyncSession
from ._core.metrics import MetricsBackend, NoOpMetricsBackend
from ._core.tokens import SecretKey, TokenGenerator, TokenProvider
from ._exceptions import (
    ConnectError,
    DecodeError,
    InvalidInput,
    ObjectstoreError,
    RequestError,
    RequestTimeout,
    TransportError,
)
from ._io_async import AsyncGetResponse, AsyncPayload
from ._io_sync import GetResponse, Payload
from ._models import (
    Compression,
    ExpirationPolicy,
    Metadata,
    Permission,
    Scope,
    TimeToIdle,
    TimeToLive,
    Usecase,
)
from ._sync import Client, Session
from ._utils import guess_mime_type, parse_accept_encoding

__all__ = [
    "AsyncClient",
    "AsyncGetResponse",
    "AsyncPayload",
    "AsyncSession",
    "Client",
    "Compression",
    "ConnectError",
    "DecodeError",
    "ExpirationPolicy",
    "GetResponse",
    "InvalidInput",
    "Metadata",
    "MetricsBackend",
    "NoOpMetricsBackend",
    "ObjectstoreError",
    "Payload",
    "Permission",
    "RequestError",
    "RequestTimeout",
    "Scope",
    "SecretKey",
    "Session",
    "TimeToIdle",
    "TimeToLive",
    "TokenGenerator",
    "TokenProvider",
    "TransportError",
    "Usecase",
    "guess_mime_type",
    "parse_accept_encoding",
]
