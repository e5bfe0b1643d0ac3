"""Upstream-compatible module: the multipart upload API (``objectstore_client.multipart``)."""

from ._async import AsyncMultipartUpload
from ._exceptions import MultipartCompleteError
from ._models import CompletePart, PartInfo
from ._sync import MultipartUpload

__all__ = [
    "AsyncMultipartUpload",
    "CompletePart",
    "MultipartCompleteError",
    "MultipartUpload",
    "PartInfo",
]
