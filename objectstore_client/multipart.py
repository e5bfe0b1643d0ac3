"""Upstream-compatible module: the multipart upload API (``objectstore_client.multipart``)."""

from ._async import AsyncMultipartUpload
from ._exceptions import MultipartCompleteError, RequestError, raise_for_status
from ._metrics import measure_storage_operation
from ._models import CompletePart, PartInfo
from ._sync import MultipartUpload
from ._tracing import storage_span

__all__ = [
    "AsyncMultipartUpload",
    "CompletePart",
    "MultipartCompleteError",
    "MultipartUpload",
    "PartInfo",
    "RequestError",
    "measure_storage_operation",
    "raise_for_status",
    "storage_span",
]
