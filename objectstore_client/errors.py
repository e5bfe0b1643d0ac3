"""Upstream-compatible module: the SDK's exceptions."""

from ._exceptions import (
    ConnectError,
    DecodeError,
    InvalidInput,
    ObjectstoreError,
    RequestError,
    RequestTimeout,
    TransportError,
)

__all__ = [
    "ConnectError",
    "DecodeError",
    "InvalidInput",
    "ObjectstoreError",
    "RequestError",
    "RequestTimeout",
    "TransportError",
]
