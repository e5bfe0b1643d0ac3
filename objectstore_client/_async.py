"""The client, its sessions and multipart upload handles, and the one ``_drive`` loop.

Written once, for asyncio; ``scripts/unasync.py`` generates the blocking twin.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import IO, Any, Literal, TypeVar, cast

from . import _transfer_async
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
from ._client_base import BaseClient
from ._concurrency_async import sleep, to_thread
from ._config import ASYNC_DEFAULT_LIMITS, BatchConfig, TransferConfig
from ._core import flows, multipart_requests
from ._core.adaptive import split_auto
from ._core.batch import assemble
from ._core.download import check_download
from ._core.get import get_stream_flow
from ._core.plan import (
    RequestPlan,
    SessionInfo,
    plan_delete,
    plan_get,
    plan_head,
    plan_put,
)
from ._core.put_encoding import PutEncoding, resolve_put_encoding
from ._core.ranges import byte_range, plan_range, range_flow
from ._core.resume import resume_flow
from ._core.sources import AsyncContents, part_bytes
from ._core.writes import WriteOptions
from ._engines import AsyncEngine, AsyncResponse
from ._engines._async import open_engine
from ._engines._response import decoded
from ._exceptions import InvalidInput, RequestError, TransportError, name_server, server_of
from ._io_async import AsyncGetResponse, AsyncPayload
from ._models import (
    CompletePart,
    Compression,
    ExpirationPolicy,
    Metadata,
    PartInfo,
    ProgressEvent,
    RangeResult,
    Usecase,
    check_threshold,
)
from ._sample import adapt, in_memory
from ._session_base import BaseMultipartUpload, BaseSession, put_items
from ._sources_async import async_request_body, read_exactly

__all__ = ["AsyncClient", "AsyncMultipartUpload", "AsyncSession"]

T = TypeVar("T")


class AsyncClient(BaseClient):
    """A connection pool to one Objectstore server; open sessions with :meth:`session`.

    Use it as a context manager or call :meth:`close`. The blocking client is thread-safe; the
    asyncio client belongs to the event loop it is used in.

    :param base_url: the server's URL: ``http`` or ``https``, an IPv6 literal, and a path
        prefix when a proxy adds one (``http://127.0.0.1:8888``).
    :param metrics_backend: receives the metrics of every operation; none by default.
    :param propagate_traces: send the ``sentry-trace`` and ``baggage`` headers of the current
        Sentry scope.
    :param retries: retries of one request: a number (default 10, within 10 s; 0 disables
        retries), or a :class:`RetryPolicy` for the deadline, the backoff, the ``Retry-After``
        cap and a notice before each retry.
    :param timeout_ms: the read timeout in milliseconds (default 60 s; 0 waits forever). The
        connect (100 ms), write (60 s) and pool (30 s) timeouts keep their defaults.
    :param connection_kwargs: headers, TLS, pool limits, timeouts, a proxy or an httpx
        transport, also in upstream's urllib3 spellings; the guide "Client options, retries and
        errors" (docs/guides/client-options.md) lists every key. By default the pool keeps 32
        connections alive and opens more while all are busy; the asyncio client on the httpx
        engine holds at most 8 (httpcore's async pool slows down with every connection).
    :param token: a :class:`SecretKey` that signs a token per scope, or a token sent as is.
    :param spool_dir: accepted like upstream 0.2.10's; uploads never touch the disk here.
    :param engine: how requests reach the server (docs/engines.md): ``"auto"`` (default) is
        the SDK's own HTTP/1.1 engine (``"httptools"``), or httpx's when
        ``connection_kwargs`` has a ``transport`` or a ``proxy``; ``"httpx"`` forces httpx's.
    """

    _transport_type = "AsyncBaseTransport"
    _default_limits = ASYNC_DEFAULT_LIMITS

    def _open(self, http_kwargs: dict[str, Any]) -> None:
        self._engine: AsyncEngine = open_engine(self._engine_name, http_kwargs)
        self._sleep = sleep

    def session(self, usecase: Usecase, **scopes: str | int | bool) -> AsyncSession:
        """A session for ``usecase`` and the given scopes (in order); no network call."""
        return AsyncSession(self, self._session_info(usecase, scopes))

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.aclose()

    # unasync: async-only
    async def aclose(self) -> None:
        """Same as :meth:`close`."""
        await self.close()

    # unasync: end

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _drive(self, flow: flows.Flow[T], progress: Callable[[int], None] | None = None) -> T:
        """Run a flow to completion, performing its effects."""
        answer: Any = None
        error: BaseException | None = None
        while True:
            try:
                effect = flow.send(answer) if error is None else flow.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            except (RequestError, TransportError) as exc:
                name_server(exc, server_of(self._base_url))
                raise
            answer, error = None, None
            try:
                if isinstance(effect, flows.Progress):
                    if progress is not None:
                        progress(effect.delta)
                    continue
                answer = await self._perform(effect)
            except TransportError as exc:  # what engines raise: the flow decides
                error = exc
            except BaseException:
                flow.close()
                raise

    async def _perform(self, effect: flows.Effect) -> Any:
        if isinstance(effect, flows.Send):
            return await self._send(effect.plan, effect.session)
        if isinstance(effect, flows.ReadBody):
            response: AsyncResponse = effect.response  # type: ignore[assignment]
            return await self._read(response, effect.raw, effect.stop)
        if isinstance(effect, flows.Close):
            await effect.response.aclose()  # type: ignore[attr-defined]
        elif isinstance(effect, flows.Sleep):
            await self._sleep(effect.seconds)
        elif isinstance(effect, flows.Emit):
            self._emit(effect.records)
        return None

    async def _send(self, plan: RequestPlan, session: SessionInfo) -> AsyncResponse:
        """Send one attempt of ``plan``: the response with its body unread (the one place a
        request leaves the client; the engine's TransportErrors propagate for the flow to
        decide)."""
        kwargs = plan.build_kwargs(session)
        if plan.body is not None:
            kwargs["content"], extra = await async_request_body(plan.body)
            kwargs["headers"].update(extra)
        content = kwargs.pop("content", None)
        return await self._engine.send(kwargs, content, plan.method, plan.path)

    @staticmethod
    async def _read(
        response: AsyncResponse, raw: bool, stop: Callable[[bytes], bool] | None = None
    ) -> bytes:
        """The whole body of a response that ``_send`` returned (up to where ``stop`` says),
        its ``Content-Encoding`` undone unless ``raw``; the response is closed."""
        try:
            chunks = []
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                if stop is not None and stop(chunk):
                    break
            body = b"".join(chunks)
            return body if raw else decoded(body, response.headers.get("content-encoding"))
        finally:
            await response.aclose()


class AsyncSession(BaseSession):
    """Operations on one usecase and scope. Create with :meth:`AsyncClient.session`."""

    def __init__(self, client: AsyncClient, info: SessionInfo) -> None:
        super().__init__(client, info)
        self._client = client

    @staticmethod
    async def _adapt(encoding: PutEncoding, contents: object) -> PutEncoding:
        """Adaptive compression (``_core.adaptive``): bytes are looked at in place, files
        and paths in a worker thread."""
        if in_memory(contents):
            return adapt(encoding, contents)
        return await to_thread(adapt, encoding, contents)

    async def put(
        self,
        contents: AsyncContents,
        key: str | None = None,
        compress: Compression | Literal["auto"] | None = None,
        compression: Compression | None = None,
        precompressed: Literal["zstd"] | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expiration_policy: ExpirationPolicy | None = None,
        origin: str | None = None,
        filename: str | None = None,
        resumable_threshold_bytes: int | Literal["none"] | None = None,
    ) -> str:
        """Upload ``contents``: bytes, a binary file, an ``os.PathLike``, an iterable of bytes
        (on the asyncio client also an async iterable).

        Streamed and compressed chunk by chunk. Without ``key`` (or with ``""``) the server
        picks one. Returns the stored key.

        ``compress`` (``"zstd"`` or ``"none"``) overrides the usecase's compression. Not given
        (or ``"auto"``), a usecase that compresses skips zstd for contents that would not
        shrink: known compressed formats, or a first 64 KiB that zstd shrinks by under 5%
        (bytes, paths and seekable files are looked at; docs/migration.md). When the
        contents already are zstd, pass ``precompressed="zstd"`` instead: they are stored
        verbatim, labelled zstd, and reads decompress them. ``compression`` is the deprecated
        name of ``compress`` (DeprecationWarning). ``resumable_threshold_bytes`` is checked like
        upstream's and otherwise unused: any size goes in one streamed request (use
        :meth:`upload` for multipart uploads whose parts are retried one by one).
        """
        wanted, auto = split_auto(compress)
        encoding = resolve_put_encoding(
            self._info.usecase.compression, wanted, compression, precompressed
        )
        if auto and compression is None and encoding.compress:
            encoding = await self._adapt(encoding, contents)
        if resumable_threshold_bytes is not None:
            check_threshold(resumable_threshold_bytes)
        options = WriteOptions(
            key=key, compression=encoding.compression, content_type=content_type,
            metadata=metadata, expiration_policy=expiration_policy, origin=origin,
            filename=filename,
        )  # fmt: skip
        write = self._write(options)
        plan = plan_put(self._info, contents, write, precompressed=encoding.precompressed)
        return await self._client._drive(flows.put_flow(self._client._ctx, self._info, plan))

    async def get(
        self, key: str, decompress: bool = True, accept_encoding: Sequence[str] | None = None
    ) -> AsyncGetResponse | None:
        """Stream an object; None when it does not exist.

        The payload is decompressed as you read unless ``decompress=False`` or the stored
        encoding is in ``accept_encoding`` (then ``metadata.compression`` names it).
        """
        plan = plan_get(self._info, key)
        client, info = self._client, self._info
        flow = get_stream_flow(client._ctx, info, plan, decompress, accept_encoding)
        found = await client._drive(flow)
        if found is None:
            return None
        download = found.download

        async def resume(error: TransportError) -> AsyncResponse:
            # a body that breaks is resumed from where it stopped (within the retry deadline)
            flow = resume_flow(client._ctx, info, download, error)
            resumed: AsyncResponse = await client._drive(flow)  # type: ignore[arg-type,assignment,unused-ignore]
            return resumed

        response: AsyncResponse = found.response  # type: ignore[assignment]
        return AsyncGetResponse(
            found.metadata, AsyncPayload(response, found.decode, download, resume)
        )

    async def get_range(
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
        return await self._client._drive(range_flow(self._client._ctx, self._info, plan, wanted))

    async def head(self, key: str) -> Metadata | None:
        """An object's metadata; None when it does not exist."""
        plan = plan_head(self._info, key)
        return await self._client._drive(flows.head_flow(self._client._ctx, self._info, plan))

    async def delete(self, key: str) -> None:
        """Delete an object."""
        plan = plan_delete(self._info, key)
        await self._client._drive(flows.delete_flow(self._client._ctx, self._info, plan))

    async def initiate_multipart_upload(
        self,
        *,
        key: str | None = None,
        compress: Compression | None = None,
        compression: Compression | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expiration_policy: ExpirationPolicy | None = None,
        origin: str | None = None,
        filename: str | None = None,
    ) -> AsyncMultipartUpload:
        """Start a multipart upload (the server picks the key when ``key`` is None).

        ``compress`` (``"zstd"`` or ``"none"``; default: the usecase's) is only recorded:
        compress each part yourself (one zstd frame per part), or use :meth:`upload`, which
        does it all. ``compression`` is its deprecated name (DeprecationWarning), as for
        :meth:`put` and :meth:`upload`.
        """
        encoding = resolve_put_encoding(self._info.usecase.compression, compress, compression)
        options = WriteOptions(
            key=key, compression=encoding.compression, content_type=content_type,
            metadata=metadata, expiration_policy=expiration_policy, origin=origin,
            filename=filename,
        )  # fmt: skip
        plan = multipart_requests.plan_initiate(self._info, self._write(options))
        flow = multipart_requests.initiate_flow(self._client._ctx, self._info, plan)
        return AsyncMultipartUpload(self, *await self._client._drive(flow))

    def resume_multipart_upload(self, key: str, upload_id: str) -> AsyncMultipartUpload:
        """A handle on an existing upload; no network call."""
        return AsyncMultipartUpload(self, key, upload_id)

    async def upload(
        self,
        source: AsyncContents,
        key: str | None = None,
        *,
        compress: Compression | Literal["auto"] | None = None,
        compression: Compression | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expiration_policy: ExpirationPolicy | None = None,
        origin: str | None = None,
        filename: str | None = None,
        config: TransferConfig | None = None,
        progress: Callable[[ProgressEvent], None] | None = None,
    ) -> str:
        """Upload bytes, a path, a binary file or an iterable of bytes (on the asyncio client
        also an async iterable) of any size.

        Below ``config.multipart_threshold`` (and for streams that fit in one part) this is a
        single streamed put; above it a parallel multipart upload: each part compressed as its
        own zstd frame in a worker, at most ``config.concurrency`` parts in flight, failed parts
        retried, the upload aborted on final failure. Memory holds at most
        ``concurrency x part_size`` bytes of the source. ``progress`` receives ProgressEvents
        (negative deltas when a part is sent again). Returns the key; reads back
        byte-identical to a single put.

        ``compress`` (``"auto"``, ``"zstd"`` or ``"none"``) overrides the usecase's
        compression, as for :meth:`put` (adaptive unless given); ``compression`` is its
        deprecated name (DeprecationWarning).
        """
        wanted, auto = split_auto(compress)
        encoding = resolve_put_encoding(self._info.usecase.compression, wanted, compression)
        if auto and compression is None and encoding.compress:
            encoding = await self._adapt(encoding, source)
        options = WriteOptions(
            key=key, compression=encoding.compression, content_type=content_type,
            metadata=metadata, expiration_policy=expiration_policy, origin=origin,
            filename=filename,
        )  # fmt: skip
        spec, write, conf = self._upload_args(source, options, config)
        return await _transfer_async.upload(self._client, self._info, spec, write, conf, progress)

    async def download(
        self,
        key: str,
        destination: str | os.PathLike[str] | IO[bytes],
        *,
        decompress: bool = True,
        config: TransferConfig | None = None,
        progress: Callable[[ProgressEvent], None] | None = None,
    ) -> Metadata | None:
        """Download an object into a file: a path (written to a temporary file beside it and
        renamed when complete) or a binary file opened for writing (written from its current
        position).

        An object of at most ``config.part_size`` stored bytes takes one GET; a larger one is
        read in parallel ranges of ``config.part_size`` stored bytes, at most
        ``config.concurrency`` at a time, each resumed on its own when its body breaks, and
        written in order (a compressed object is fetched compressed and decoded on the way).
        Memory holds at most ``concurrency x part_size`` stored bytes. The stored size, and
        the object's version across the ranges, are checked. A server or proxy that ignores
        ``Range`` gets one streamed GET. ``progress`` receives ProgressEvents counting the bytes
        written to the destination, as they are written (``total``: the stored size; None
        when decoding, or when the server did not say).

        ``decompress=False`` writes the stored bytes as they are (``metadata.compression``
        then names their encoding). Returns the object's metadata (``compression`` None once
        decoded), or None when the object does not exist (nothing is written).
        """
        if config is not None and not isinstance(config, TransferConfig):
            raise InvalidInput(f"config must be a TransferConfig, got {type(config).__name__}")
        target = check_download(key, destination)
        return await _transfer_async.download(
            self._client, self._info, key, target, decompress, config or TransferConfig(), progress
        )

    async def many(
        self, operations: Sequence[BatchOperation], *, config: BatchConfig | None = None
    ) -> list[BatchResult]:
        """Run get/head/put/delete operations in few batch requests; results in request order.

        Batches hold at most 1000 operations and ~100 MB and run ``config.batch_concurrency``
        at a time; inserts over 1 MiB after compression go as individual puts. A missing
        object is a result (``found`` False); other failures are OperationErrors in place.
        """
        prepared, batches, singles, conf = self._batch_jobs(operations, config)
        run = _transfer_async.run_bounded
        done = await run(self._client, batches, conf.batch_concurrency)
        done += await run(self._client, singles, conf.individual_concurrency)
        return assemble(prepared, done)

    async def get_many(
        self, keys: Sequence[str], *, decompress: bool = True, config: BatchConfig | None = None
    ) -> list[GetResult | OperationError]:
        """Read many objects (into memory) with :meth:`many`; results in ``keys`` order."""
        ops: list[BatchOperation] = [BatchGet(key, decompress=decompress) for key in keys]
        return cast("list[GetResult | OperationError]", await self.many(ops, config=config))

    async def head_many(
        self, keys: Sequence[str], *, config: BatchConfig | None = None
    ) -> list[HeadResult | OperationError]:
        """Metadata of many objects with :meth:`many`; results in ``keys`` order."""
        ops: list[BatchOperation] = [BatchHead(key) for key in keys]
        return cast("list[HeadResult | OperationError]", await self.many(ops, config=config))

    async def delete_many(
        self, keys: Sequence[str], *, config: BatchConfig | None = None
    ) -> list[DeleteResult | OperationError]:
        """Delete many objects with :meth:`many`; results in ``keys`` order."""
        ops: list[BatchOperation] = [BatchDelete(key) for key in keys]
        return cast("list[DeleteResult | OperationError]", await self.many(ops, config=config))

    async def put_many(
        self,
        items: Mapping[str, bytes] | Sequence[BatchPut],
        *,
        config: BatchConfig | None = None,
    ) -> list[PutResult | OperationError]:
        """Store many objects (``{key: bytes}`` or BatchPuts) with :meth:`many`, in order."""
        ops = put_items(items)
        return cast("list[PutResult | OperationError]", await self.many(ops, config=config))


class AsyncMultipartUpload(BaseMultipartUpload):
    """A multipart upload in progress (upstream-compatible).

    Upload parts with :meth:`put_part` (in any order, concurrently if you like), then
    :meth:`complete` with the returned parts, or :meth:`abort`.
    """

    def __init__(self, session: AsyncSession, key: str, upload_id: str) -> None:
        super().__init__(key, upload_id)
        self._session = session

    async def _drive(self, flow: flows.Flow[T]) -> T:
        return await self._session._client._drive(flow)

    async def put_part(
        self,
        contents: bytes | IO[bytes],
        *,
        part_number: int,
        content_length: int,
        content_md5: bytes | None = None,
    ) -> CompletePart:
        """Upload part ``part_number`` (from 1) of exactly ``content_length`` bytes.

        A file is read into memory first (``content_length`` bytes; in a worker thread on the
        asyncio client), so the part can be retried. Re-uploading a part number replaces it.
        """
        multipart_requests.check_part(part_number, content_length)
        body = part_bytes(contents, content_length)
        if body is None:
            read = contents.read  # type: ignore[union-attr]
            body = await to_thread(read_exactly, read, content_length)
        info = self._session._info
        plan = multipart_requests.plan_part(
            info, self.key, self.upload_id, part_number, body, content_md5
        )
        ctx = self._session._client._ctx
        return await self._drive(multipart_requests.put_part_flow(ctx, info, plan, part_number))

    async def list_parts(self) -> list[PartInfo]:
        """Every part uploaded so far (all pages), ascending."""
        info = self._session._info
        ctx = self._session._client._ctx
        return await self._drive(
            multipart_requests.list_parts_flow(ctx, info, self.key, self.upload_id)
        )

    async def abort(self) -> None:
        """Discard the upload and its parts."""
        plan = multipart_requests.plan_abort(self._session._info, self.key, self.upload_id)
        await self._drive(
            multipart_requests.abort_flow(self._session._client._ctx, self._session._info, plan)
        )

    async def complete(self, parts: Sequence[CompletePart | PartInfo]) -> str:
        """Assemble the object from ``parts`` (sorted for you); returns the key.

        Raises MultipartCompleteError when the server refuses (the upload then remains).
        """
        info = self._session._info
        plan = multipart_requests.plan_complete(info, self.key, self.upload_id, parts)
        return await self._drive(
            multipart_requests.complete_flow(self._session._client._ctx, info, plan)
        )
