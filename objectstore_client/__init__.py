"""Python SDK for Objectstore: sync and asyncio clients, streaming zstd, retries, EdDSA tokens."""

from ._async import AsyncClient, AsyncMultipartUpload, AsyncSession
from ._config import TransferConfig
from ._core.metrics import MetricsBackend, NoOpMetricsBackend
from ._core.tokens import SecretKey, TokenGenerator, TokenProvider
from ._exceptions import (
    ConnectError,
    DecodeError,
    InvalidInput,
    MultipartCompleteError,
    ObjectstoreError,
    RangeNotSatisfiable,
    RequestError,
    RequestTimeout,
    TransportError,
)
from ._io_async import AsyncGetResponse, AsyncPayload
from ._io_sync import GetResponse, Payload
from ._models import (
    CompletePart,
    Compression,
    ExpirationPolicy,
    Metadata,
    PartInfo,
    Permission,
    ProgressEvent,
    RangeResult,
    Scope,
    TimeToIdle,
    TimeToLive,
    Usecase,
)
from ._sync import Client, MultipartUpload, Session
from ._utils import guess_mime_type, parse_accept_encoding

__all__ = [
    "AsyncClient",
    "AsyncGetResponse",
    "AsyncMultipartUpload",
    "AsyncPayload",
    "AsyncSession",
    "Client",
    "CompletePart",
    "Compression",
    "ConnectError",
    "DecodeError",
    "ExpirationPolicy",
    "GetResponse",
    "InvalidInput",
    "Metadata",
    "MetricsBackend",
    "MultipartCompleteError",
    "MultipartUpload",
    "NoOpMetricsBackend",
    "ObjectstoreError",
    "PartInfo",
    "Payload",
    "Permission",
    "ProgressEvent",
    "RangeNotSatisfiable",
    "RangeResult",
    "RequestError",
    "RequestTimeout",
    "Scope",
    "SecretKey",
    "Session",
    "TimeToIdle",
    "TimeToLive",
    "TokenGenerator",
    "TokenProvider",
    "TransferConfig",
    "TransportError",
    "Usecase",
    "guess_mime_type",
    "parse_accept_encoding",
]
