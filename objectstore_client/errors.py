"""Upstream-compatible module: the SDK's exceptions and ``raise_for_status``."""

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
    raise_for_status,
)

__all__ = [
    "ConnectError",
    "DecodeError",
    "ExpiryExtensionRejected",
    "InvalidInput",
    "MultipartCompleteError",
    "ObjectNotFound",
    "ObjectstoreError",
    "ProtocolViolation",
    "RangeNotSatisfiable",
    "RequestError",
    "RequestTimeout",
    "TransportError",
    "raise_for_status",
]
