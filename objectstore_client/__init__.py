"""Python SDK for Objectstore: sync and asyncio clients, streaming zstd, retries, EdDSA tokens."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from ._core.retry import RetryNotice, RetryPolicy
from ._core.tokens import SecretKey, TokenGenerator, TokenProvider
from ._exceptions import (
    ConnectError,
    DecodeError,
    ExpiryExtensionRejected,
    InvalidInput,
    MultipartCompleteError,
    ObjectNotFound,
    ObjectstoreError,
    ProtocolViolation,
    RangeNotSatisfiable,
    RequestError,
    RequestTimeout,
    TransportError,
)
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

if TYPE_CHECKING:
    from ._async import AsyncClient, AsyncMultipartUpload, AsyncSession
    from ._io_async import AsyncGetResponse, AsyncPayload

#: The asyncio client's names, loaded on first use: they bring asyncio (~25 ms of every
#: `import objectstore_client`, which the CLI and each pytest run with the plugin pay).
_ASYNC_NAMES = {
    "AsyncClient": "._async",
    "AsyncMultipartUpload": "._async",
    "AsyncSession": "._async",
    "AsyncGetResponse": "._io_async",
    "AsyncPayload": "._io_async",
}


def __getattr__(name: str) -> Any:
    module = _ASYNC_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


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
    "ProtocolViolation",
    "PutResult",
    "RangeNotSatisfiable",
    "RangeResult",
    "RequestError",
    "RequestTimeout",
    "RetryNotice",
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
