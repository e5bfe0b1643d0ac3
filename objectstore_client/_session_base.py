"""What the sync and async sessions and multipart upload handles share, without I/O: URLs and
tokens, write and upload arguments checked before any request, batch jobs."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Literal

from ._batch import BatchOperation, BatchPut
from ._client_base import BaseClient
from ._config import BatchConfig, TransferConfig
from ._constants import DEFAULT_PRESIGN_SECONDS
from ._core.batch import BatchItem, Indexed, batch_jobs
from ._core.flows import Flow
from ._core.multipart_requests import check_upload_id
from ._core.plan import SessionInfo
from ._core.presign import presigned_url
from ._core.sources import BodySpec, classify_body
from ._core.urls import mint_token, object_url
from ._core.validate import check_key
from ._core.writes import Write, WriteOptions
from ._exceptions import InvalidInput
from ._models import Permission, Scope, Usecase

__all__ = ["BaseMultipartUpload", "BaseSession", "put_items"]


class BaseSession:
    """The parts of a session that need no I/O."""

    def __init__(self, client: BaseClient, info: SessionInfo) -> None:
        self._base = client
        self._info = info

    @property
    def usecase(self) -> Usecase:
        """The session's usecase."""
        return self._info.usecase

    @property
    def scope(self) -> Scope:
        """The session's scope."""
        return self._info.scope

    def object_url(self, key: str, token_validity: timedelta | None = None) -> str:
        """The object's absolute URL; with ``token_validity``, a read-only token is embedded."""
        return object_url(self._base._url, self._info, key, token_validity, time.time())

    def presigned_object_url(
        self,
        method: Literal["GET", "HEAD"],
        key: str,
        duration: timedelta = timedelta(seconds=DEFAULT_PRESIGN_SECONDS),
    ) -> str:
        """A pre-signed URL that lets any HTTP client GET (or HEAD) the object, without
        credentials, for ``duration`` (at most 7 days). Needs a SecretKey with object.read.

        A GET URL also works for HEAD and vice versa; the signature covers the path and query,
        so any change to the URL is refused (401).
        """
        return presigned_url(self._base._url, self._info, method, key, duration, time.time())

    def mint_token(
        self,
        permissions: Sequence[Permission | str] | None = None,
        expiry_seconds: int | None = None,
    ) -> str:
        """A fresh token for this session's scope (needs a SecretKey, else ValueError)."""
        return mint_token(self._info, permissions, expiry_seconds, time.time())

    def _write(self, options: WriteOptions) -> Write:
        """The write options checked against the session's usecase (before any I/O)."""
        return options.resolve(self._info.usecase)

    def _upload_args(
        self, source: object, options: WriteOptions, config: TransferConfig | None
    ) -> tuple[BodySpec, Write, TransferConfig]:
        """Validate an automatic upload completely before any I/O."""
        if config is not None and not isinstance(config, TransferConfig):
            raise InvalidInput(f"config must be a TransferConfig, got {type(config).__name__}")
        write = self._write(options)
        spec = classify_body(source, compress=False)
        return spec, write, config or TransferConfig()

    def _batch_jobs(
        self, operations: Sequence[BatchOperation], config: BatchConfig | None
    ) -> tuple[list[BatchItem], list[Flow[Indexed]], list[Flow[Indexed]], BatchConfig]:
        """Validate and split batch operations; the flows of batch and individual requests."""
        if config is not None and not isinstance(config, BatchConfig):
            raise InvalidInput(f"config must be a BatchConfig, got {type(config).__name__}")
        items, batches, individual = batch_jobs(self._base._ctx, self._info, operations)
        return items, batches, individual, config or BatchConfig()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._info.usecase.name!r}, {str(self._info.scope)!r})"


def put_items(items: Mapping[str, bytes] | Sequence[BatchPut]) -> list[BatchOperation]:
    """``put_many``'s items: ``{key: bytes}`` or BatchPut operations."""
    if isinstance(items, Mapping):
        return [BatchPut(value, key) for key, value in items.items()]
    return list(items)


class BaseMultipartUpload:
    """What a multipart upload handle holds: its key and upload id (no I/O here)."""

    def __init__(self, key: str, upload_id: str) -> None:
        self._key = check_key(key)
        self._upload_id = check_upload_id(upload_id)

    @property
    def key(self) -> str:
        """The key the object will be stored under."""
        return self._key

    @property
    def upload_id(self) -> str:
        """The server's opaque id of this upload."""
        return self._upload_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key={self._key!r}, upload_id={self._upload_id!r})"
