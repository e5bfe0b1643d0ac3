"""Contains all the data models used in inputs/outputs"""

from .batch_operation_kind import BatchOperationKind
from .complete_error import CompleteError
from .complete_failed import CompleteFailed
from .complete_multipart_upload import CompleteMultipartUpload
from .complete_part import CompletePart
from .complete_succeeded import CompleteSucceeded
from .content_encoding import ContentEncoding
from .error_body import ErrorBody
from .key_response import KeyResponse
from .multipart_upload_started import MultipartUploadStarted
from .part_info import PartInfo
from .part_uploaded import PartUploaded
from .parts_page import PartsPage

__all__ = (
    "BatchOperationKind",
    "CompleteError",
    "CompleteFailed",
    "CompleteMultipartUpload",
    "CompletePart",
    "CompleteSucceeded",
    "ContentEncoding",
    "ErrorBody",
    "KeyResponse",
    "MultipartUploadStarted",
    "PartInfo",
    "PartsPage",
    "PartUploaded",
)
