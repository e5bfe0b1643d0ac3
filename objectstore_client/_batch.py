"""Batch operations and their results: frozen value objects (the logic is in ``_core/batch``).

Results come back in request order. A missing object is a result (``found`` is False), not
an error; anything else that went wrong for one operation is an :class:`OperationError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._exceptions import InvalidInput
from ._models import Compression, ExpirationPolicy, Metadata

__all__ = [
    "BatchDelete",
    "BatchGet",
    "BatchHead",
    "BatchOperation",
    "BatchPut",
    "BatchResult",
    "DeleteResult",
    "GetResult",
    "HeadResult",
    "OperationError",
    "OperationKind",
    "PutResult",
]

OperationKind = Literal["get", "head", "insert", "delete"]


def _key(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"key must be a non-empty str, got {value!r}")


def _optional_key(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        _key(instance, attribute, value)


def _contents(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidInput(f"batch put contents must be bytes, got {type(value).__name__}")


@attrs.frozen
class BatchGet:
    """Read an object (decompressed unless ``decompress=False``)."""

    key: str = attrs.field(validator=_key)
    decompress: bool = attrs.field(default=True, kw_only=True)


@attrs.frozen
class BatchHead:
    """Read an object's metadata."""

    key: str = attrs.field(validator=_key)


@attrs.frozen
class BatchDelete:
    """Delete an object."""

    key: str = attrs.field(validator=_key)


@attrs.frozen
class BatchPut:
    """Store ``contents`` (bytes) under ``key`` (None: the server picks one).

    Inserts larger than 1 MiB after compression are sent as individual puts.
    """

    contents: bytes | bytearray | memoryview = attrs.field(validator=_contents, repr=False)
    key: str | None = attrs.field(default=None, validator=_optional_key)
    compression: Compression | None = attrs.field(default=None, kw_only=True)
    content_type: str | None = attrs.field(default=None, kw_only=True)
    metadata: Mapping[str, str] | None = attrs.field(default=None, kw_only=True)
    expiration_policy: ExpirationPolicy | None = attrs.field(default=None, kw_only=True)
    origin: str | None = attrs.field(default=None, kw_only=True)
    filename: str | None = attrs.field(default=None, kw_only=True)


BatchOperation = BatchGet | BatchHead | BatchDelete | BatchPut


@attrs.frozen
class GetResult:
    """A batch get: ``metadata`` and ``data`` are None when the object does not exist."""

    key: str
    metadata: Metadata | None
    data: bytes | None = attrs.field(repr=False)

    @property
    def found(self) -> bool:
        """Whether the object exists."""
        return self.metadata is not None


@attrs.frozen
class HeadResult:
    """A batch head: ``metadata`` is None when the object does not exist."""

    key: str
    metadata: Metadata | None

    @property
    def found(self) -> bool:
        """Whether the object exists."""
        return self.metadata is not None


@attrs.frozen
class PutResult:
    """A stored insert, with the key it was stored under."""

    key: str


@attrs.frozen
class DeleteResult:
    """A delete that succeeded."""

    key: str


@attrs.frozen
class OperationError:
    """One operation failed: ``status`` is its HTTP status (None when the batch request
    itself failed before any status, e.g. a connection error), ``message`` the detail."""

    index: int
    kind: OperationKind
    key: str | None
    status: int | None
    message: str


BatchResult = GetResult | HeadResult | PutResult | DeleteResult | OperationError
