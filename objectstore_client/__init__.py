"""Python SDK for Objectstore: sync and asyncio clients, streaming zstd, retries, EdDSA tokens."""

from ._async import AsyncClient, AsyncMultipartUpload, AsyncSession
from ._batch import (
    BatchDelete,
    BatchGet,
    BatchHead,
    BatchOperation,
    BatchPut,
    BatchResult,
    DeleteResult,
    GetResult,
    HeadResult,
    OperationError,
    PutResult,
)
from ._config import BatchConfig, TransferConfig
from ._core.metrics import MetricsBackend, NoOpMetricsBackend
from ._core.retry import RetryPolicy
from ._core.tokens import SecretKey, TokenGenerator, TokenProvider
from ._exceptions import (
    ConnectError,
    DecodeError,
    ExpiryExtensionRejected,
    InvalidInput,
    MultipartCompleteError,
    ObjectNotFound,
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
from ._version import __version__ as __version__

__all__ = [
    "AsyncClient",
    "AsyncGetResponse",
    "AsyncMultipartUpload",
    "AsyncPayload",
    "AsyncSession",
    "BatchConfig",
    "BatchDelete",
    "BatchGet",
    "BatchHead",
    "BatchOperation",
    "BatchPut",
    "BatchResult",
    "Client",
    "CompletePart",
    "Compression",
    "ConnectError",
    "DecodeError",
    "DeleteResult",
    "ExpirationPolicy",
    "ExpiryExtensionRejected",
    "GetResponse",
    "GetResult",
    "HeadResult",
    "InvalidInput",
    "Metadata",
    "MetricsBackend",
    "MultipartCompleteError",
    "MultipartUpload",
    "NoOpMetricsBackend",
    "ObjectNotFound",
    "ObjectstoreError",
    "OperationError",
    "PartInfo",
    "Payload",
    "Permission",
    "ProgressEvent",
    "PutResult",
    "RangeNotSatisfiable",
    "RangeResult",
    "RequestError",
    "RequestTimeout",
    "RetryPolicy",
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
