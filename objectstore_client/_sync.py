"""The blocking client: ``Client`` and ``Session``, and the one sync ``_drive`` loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import IO, Any, TypeVar, cast

import httpx

from . import _transfer_sync
from ._base import (
    BaseClient,
    BaseMultipartUpload,
    BaseSession,
    UploadArgs,
    part_body,
    put_items,
    read_exactly,
    response_metadata,
)
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
from ._core import flows
from ._core import multipart_wire as mp
from ._core.batch import assemble
from ._core.plan import SessionInfo, plan_delete, plan_get, plan_head, plan_put
from ._core.ranges import byte_range, plan_range, range_flow
from ._io_sync import GetResponse, Payload, request_body
from ._models import (
    CompletePart,
    Compression,
    ExpirationPolicy,
    Metadata,
    PartInfo,
    ProgressEvent,
    RangeResult,
    Usecase,
)
from ._pool import CORE_ERRORS, Wire, to_httpx_error

__all__ = ["Client", "MultipartUpload", "Session"]

T = TypeVar("T")


class Client(BaseClient):
    """A connection pool to one Objectstore server; open sessions with :meth:`session`.

    ``Client(base_url, metrics_backend=None, propagate_traces=False, retries=None,
    timeout_ms=None, connection_kwargs=None, token=None)``. Thread-safe; one pool per client,
    sized for concurrent use. Use it as a context manager or call :meth:`close`. The README
    documents ``connection_kwargs``, retries and timeouts.
    """

    _transport_type = httpx.BaseTransport

    def _open(self, http_kwargs: dict[str, Any]) -> None:
        self._wire = Wire(http_kwargs, is_async=False) if Wire.usable(http_kwargs) else None
        self._http = None if self._wire else httpx.Client(**http_kwargs)
        self._sleep = time.sleep

    def session(self, usecase: Usecase, **scopes: str | int | bool) -> Session:
        """A session for ``usecase`` and the given scopes (in order); no network call."""
        return Session(self, self._session_info(usecase, scopes))

    def close(self) -> None:
        """Close every pooled connection."""
        if self._wire is not None:
            self._wire.pool.close()
        if self._http is not None:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _drive(self, flow: flows.Flow[T], progress: Callable[[int], None] | None = None) -> T:
        """Run a flow to completion, performing its effects with blocking I/O."""
        answer: Any = None
        error: BaseException | None = None
        while True:
            try:
                effect = flow.send(answer) if error is None else flow.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            answer, error = None, None
            try:
                if isinstance(effect, flows.Progress):
                    if progress is not None:
                        progress(effect.delta)
                    continue
                answer = self._perform(effect)
            except httpx.TransportError as exc:
                error = self._transport_error(effect, exc)
            except BaseException:
                flow.close()
                raise

    def _perform(self, effect: flows.Effect) -> Any:
        if isinstance(effect, flows.Send):
            kwargs = effect.plan.build_kwargs(effect.session)
            if effect.plan.body is not None:
                kwargs["content"], extra = request_body(effect.plan.body)
                kwargs["headers"].update(extra)
            if self._http is not None:
                return self._http.send(self._http.build_request(**kwargs), stream=True)
            wire = cast("Wire", self._wire)
            try:
                answer = wire.pool.handle_request(wire.request(kwargs, kwargs.get("content")))
            except CORE_ERRORS as exc:
                raise to_httpx_error(exc) from exc
            return wire.response(answer, effect.plan.method, effect.plan.path)
        if isinstance(effect, flows.ReadBody):
            try:
                if effect.raw and not effect.response.is_stream_consumed:
                    return b"".join(effect.response.iter_raw())
                return effect.response.read()
            finally:
                effect.response.close()
        if isinstance(effect, flows.Close):
            effect.response.close()
        elif isinstance(effect, flows.Sleep):
            self._sleep(effect.seconds)
        elif isinstance(effect, flows.Emit):
            self._emit(effect.records)
        return None


class Session(BaseSession):
    """Operations on one usecase and scope. Create with :meth:`Client.session`."""

    def __init__(self, client: Client, info: SessionInfo) -> None:
        super().__init__(client, info)
        self._client = client

    def put(
        self,
        contents: Any,
        key: str | None = None,
        compression: Compression | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expiration_policy: ExpirationPolicy | None = None,
        origin: str | None = None,
        filename: str | None = None,
    ) -> str:
        """Upload ``contents`` (bytes, binary file, ``os.PathLike`` or iterable of bytes).

        Streamed and compressed chunk by chunk. Without ``key`` (or with ``""``) the server
        picks one. Returns the stored key. ``compression`` overrides the usecase's default.
        """
        plan = plan_put(
            self._info, contents, key=key, compression=compression, content_type=content_type,
            metadata=metadata, expiration_policy=expiration_policy, origin=origin,
            filename=filename,
        )  # fmt: skip
        return self._client._drive(flows.put_flow(self._client._ctx, self._info, plan))

    def get(
        self, key: str, decompress: bool = True, accept_encoding: Sequence[str] | None = None
    ) -> GetResponse | None:
        """Stream an object; None when it does not exist.

        The payload is decompressed as you read unless ``decompress=False`` or the stored
        encoding is in ``accept_encoding`` (then ``metadata.compression`` names it).
        """
        plan = plan_get(self._info, key)
        response = self._client._drive(flows.get_flow(self._client._ctx, self._info, plan))
        if response is None:
            return None
        try:
            metadata, decode = response_metadata(response, decompress, accept_encoding)
        except BaseException:
            response.close()
            raise
        return GetResponse(metadata, Payload(response, decode))

    def get_range(
        self,
        key: str,
        start: int | None = None,
        end: int | None = None,
        *,
        suffix: int | None = None,
    ) -> RangeResult | None:
        """Read stored bytes ``start..end`` (inclusive; ``end=None`` to the end) or the last
        ``suffix`` bytes into memory; None when the object does not exist.

        The result carries the object's total stored ``size``. Ranges address the stored
        bytes: on a compressed object they are a slice of the zstd stream, returned as is
        (``metadata.compression == "zstd"``). A start beyond the end raises
        RangeNotSatisfiable.
        """
        wanted = byte_range(start, end, suffix)
        plan = plan_range(self._info, key, wanted)
        return self._client._drive(range_flow(self._client._ctx, self._info, plan, wanted))

    def head(self, key: str) -> Metadata | None:
        """An object's metadata; None when it does not exist."""
        plan = plan_head(self._info, key)
        return self._client._drive(flows.head_flow(self._client._ctx, self._info, plan))

    def delete(self, key: str) -> None:
        """Delete an object."""
        plan = plan_delete(self._info, key)
        self._client._drive(flows.delete_flow(self._client._ctx, self._info, plan))

    def initiate_multipart_upload(
        self,
        *,
        key: str | None = None,
        compression: Compression | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expiration_policy: ExpirationPolicy | None = None,
        origin: str | None = None,
        filename: str | None = None,
    ) -> MultipartUpload:
        """Start a multipart upload (the server picks the key when ``key`` is None).

        ``compression`` is only recorded: compress each part yourself (one zstd frame per
        part), or use :meth:`upload`, which does it all.
        """
        plan, _ = mp.plan_initiate(
            self._info, key=key, compression=compression, content_type=content_type,
            metadata=metadata, expiration_policy=expiration_policy, origin=origin,
            filename=filename,
        )  # fmt: skip
        flow = mp.initiate_flow(self._client._ctx, self._info, plan)
        return MultipartUpload(self, *self._client._drive(flow))

    def resume_multipart_upload(self, key: str, upload_id: str) -> MultipartUpload:
        """A handle on an existing upload; no network call."""
        return MultipartUpload(self, key, upload_id)

    def upload(
        self,
        source: Any,
        key: str | None = None,
        *,
        compression: Compression | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expiration_policy: ExpirationPolicy | None = None,
        origin: str | None = None,
        filename: str | None = None,
        config: TransferConfig | None = None,
        progress: Callable[[ProgressEvent], None] | None = None,
    ) -> str:
        """Upload bytes, a path, a binary file or an iterable of bytes of any size.

        Below ``config.multipart_threshold`` (and for streams that fit in one part) this is a
        single streamed put; above it a parallel multipart upload: each part compressed as its
        own zstd frame in a worker, at most ``config.concurrency`` parts in flight, failed parts
        retried, the upload aborted on final failure. Memory holds at most
        ``concurrency x part_size`` bytes of the source. ``progress`` receives ProgressEvents
        (negative deltas when a part is sent again). Returns the key; reads back
        byte-identical to a single put.
        """
        args = UploadArgs(
            key=key, compression=compression, content_type=content_type, metadata=metadata,
            expiration_policy=expiration_policy, origin=origin, filename=filename,
        )  # fmt: skip
        spec, put_plan, initiate, conf = self._upload_args(source, args, config)
        return _transfer_sync.upload(
            self._client, self._info, spec, put_plan, initiate, conf, progress
        )

    def many(
        self, operations: Sequence[BatchOperation], *, config: BatchConfig | None = None
    ) -> list[BatchResult]:
        """Run get/head/put/delete operations in few batch requests; results in request order.

        Batches hold at most 1000 operations and ~100 MB and run ``config.batch_concurrency``
        at a time; inserts over 1 MiB after compression go as individual puts. A missing
        object is a result (``found`` False); other failures are OperationErrors in place.
        """
        prepared, batches, singles, conf = self._batch_jobs(operations, config)
        run = _transfer_sync.run_bounded
        done = run(self._client, batches, conf.batch_concurrency)
        done += run(self._client, singles, conf.individual_concurrency)
        return assemble(prepared, done)

    def get_many(
        self, keys: Sequence[str], *, decompress: bool = True, config: BatchConfig | None = None
    ) -> list[GetResult | OperationError]:
        """Read many objects (into memory) with :meth:`many`; results in ``keys`` order."""
        ops: list[BatchOperation] = [BatchGet(key, decompress=decompress) for key in keys]
        return cast("list[GetResult | OperationError]", self.many(ops, config=config))

    def head_many(
        self, keys: Sequence[str], *, config: BatchConfig | None = None
    ) -> list[HeadResult | OperationError]:
        """Metadata of many objects with :meth:`many`; results in ``keys`` order."""
        ops: list[BatchOperation] = [BatchHead(key) for key in keys]
        return cast("list[HeadResult | OperationError]", self.many(ops, config=config))

    def delete_many(
        self, keys: Sequence[str], *, config: BatchConfig | None = None
    ) -> list[DeleteResult | OperationError]:
        """Delete many objects with :meth:`many`; results in ``keys`` order."""
        ops: list[BatchOperation] = [BatchDelete(key) for key in keys]
        return cast("list[DeleteResult | OperationError]", self.many(ops, config=config))

    def put_many(
        self,
        items: Mapping[str, bytes] | Sequence[BatchPut],
        *,
        config: BatchConfig | None = None,
    ) -> list[PutResult | OperationError]:
        """Store many objects (``{key: bytes}`` or BatchPuts) with :meth:`many`, in order."""
        ops = put_items(items)
        return cast("list[PutResult | OperationError]", self.many(ops, config=config))


class MultipartUpload(BaseMultipartUpload):
    """A multipart upload in progress (upstream-compatible).

    Upload parts with :meth:`put_part` (in any order, concurrently if you like), then
    :meth:`complete` with the returned parts, or :meth:`abort`.
    """

    def __init__(self, session: Session, key: str, upload_id: str) -> None:
        super().__init__(key, upload_id)
        self._session = session

    def _drive(self, flow: flows.Flow[T]) -> T:
        return self._session._client._drive(flow)

    def put_part(
        self,
        contents: bytes | IO[bytes],
        *,
        part_number: int,
        content_length: int,
        content_md5: bytes | None = None,
    ) -> CompletePart:
        """Upload part ``part_number`` (from 1) of exactly ``content_length`` bytes.

        A file is read into memory first (``content_length`` bytes), so the part can be
        retried. Re-uploading a part number replaces it.
        """
        mp.check_part(part_number, content_length)
        body = part_body(contents, content_length)
        if body is None:
            body = read_exactly(contents.read, content_length)  # type: ignore[union-attr]
        info = self._session._info
        plan = mp.plan_part(info, self.key, self.upload_id, part_number, body, content_md5)
        return self._drive(mp.put_part_flow(self._session._client._ctx, info, plan, part_number))

    def list_parts(self) -> list[PartInfo]:
        """Every part uploaded so far (all pages), ascending."""
        info = self._session._info
        ctx = self._session._client._ctx
        return self._drive(mp.list_parts_flow(ctx, info, self.key, self.upload_id))

    def abort(self) -> None:
        """Discard the upload and its parts."""
        plan = mp.plan_abort(self._session._info, self.key, self.upload_id)
        self._drive(mp.abort_flow(self._session._client._ctx, self._session._info, plan))

    def complete(self, parts: Sequence[CompletePart | PartInfo]) -> str:
        """Assemble the object from ``parts`` (sorted for you); returns the key.

        Raises MultipartCompleteError when the server refuses (the upload then remains).
        """
        info = self._session._info
        plan = mp.plan_complete(info, self.key, self.upload_id, parts)
        return self._drive(mp.complete_flow(self._session._client._ctx, info, plan))
