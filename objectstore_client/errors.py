"""Upstream-compatible module: the SDK's exceptions."""

from ._exceptions import (
    ConnectError,
    InvalidInput,
    ObjectstoreError,
    RequestError,
    RequestTimeout,
    TransportError,
)

__all__ = [
    "ConnectError",
    "InvalidInput",
    "ObjectstoreError",
    "RequestError",
    "RequestTimeout",
    "TransportError",
]
