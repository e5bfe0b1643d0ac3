"""Schedulers: the parts of an automatic upload run concurrently (threads in the blocking
client; tasks, compressing in worker threads, in the asyncio one), and bounded runs of many
flows (batches). Every decision is made in ``_core.multipart``; this only does I/O.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import attrs

from ._concurrency_async import (
    Handle,
    Semaphore,
    Started,
    TaskGroup,
    map_bounded,
    thread_lock,
    to_thread,
)
from ._config import TransferConfig
from ._constants import DOWNLOAD_WRITE_BYTES, HEADER_TIME_CREATED, PROGRESS_AGGREGATION_BYTES
from ._core import flows, multipart_requests
from ._core.download import (
    Destination,
    MemoryBudget,
    Part,
    RangeCheck,
    content_range,
    first_part,
    parts_after_first,
)
from ._core.get import response_metadata
from ._core.multipart import OnePut, PendingPart, UploadCoordinator, encode_part
from ._core.plan import RequestPlan, SessionInfo, plan_get, with_range
from ._core.progress import ProgressAggregator
from ._core.resume import Download, resume_flow
from ._core.sources import BodySpec
from ._core.writes import Write
from ._download_sink import Sink
from ._engines import AsyncResponse
from ._exceptions import ObjectstoreError, TransportError
from ._models import Metadata, ProgressEvent
from ._sources_async import open_source
from ._stored_body_async import AsyncStoredBody

__all__ = ["download", "run_bounded", "upload"]

T = TypeVar("T")
_log = logging.getLogger("objectstore_client")


class AsyncDriver(Protocol):
    """What a scheduler needs of its client: the flow context and the ``_drive`` loop."""

    _ctx: flows.OpContext

    async def _drive(
        self, flow: flows.Flow[T], progress: Callable[[int], None] | None = None
    ) -> T: ...


async def upload(
    client: AsyncDriver,
    info: SessionInfo,
    spec: BodySpec,
    write: Write,
    config: TransferConfig,
    progress: Callable[[ProgressEvent], None] | None,
) -> str:
    """Single put or parallel multipart upload of ``spec``, as ``UploadCoordinator``
    decides; returns the key."""
    size, chunks = await open_source(spec)
    upload = UploadCoordinator(
        info, write, size, config.multipart_threshold, config.part_size, PROGRESS_AGGREGATION_BYTES
    )
    drive, ctx = client._drive, client._ctx
    lock = thread_lock()

    def report(delta: int) -> None:
        with lock:
            events = upload.progress(delta)
        _deliver(progress, events)

    async def single(source: Any, length: int) -> str:
        plan = upload.put_plan(source)
        if plan.body is not None and config.compress_threads is not None:
            plan = attrs.evolve(plan, body=attrs.evolve(plan.body, threads=config.compress_threads))
        body = plan.body
        if body is not None:  # progress as the body is read and sent, not only at the end
            body.counter.on_read = report
        key = await drive(flows.put_flow(ctx, info, plan))
        if body is None or body.counter.read != length:  # a length the reads did not cover
            report(length - (body.counter.read if body is not None else 0))
        _deliver(progress, upload.final_progress())
        return key

    if upload.strategy == "single":
        return await single(spec.source, size or 0)
    slots = Semaphore(config.concurrency)
    parts = TaskGroup(config.concurrency, "objectstore-part")

    async def work(part: PendingPart) -> None:
        try:
            if not upload.failed:
                body = await to_thread(encode_part, part, upload.compress)
                plan = upload.part_plan(part, body)
                flow = multipart_requests.put_part_flow(ctx, info, plan, part.number, part.size)
                upload.part_done(await drive(flow, report))
        except Exception as exc:  # a part's failure; cancellation and exits propagate
            upload.fail(exc)
        finally:
            slots.release()

    async def schedule(part: PendingPart) -> None:
        if upload.needs_initiate:
            upload.started(
                *await drive(multipart_requests.initiate_flow(ctx, info, upload.initiate_plan))
            )
        parts.start(work, part)

    try:
        await slots.acquire()  # the slot of the part being filled
        async for chunk in chunks:
            for part in upload.feed(chunk):
                await schedule(part)
                await slots.acquire()
            if upload.failed:
                break
        else:
            last = upload.finish()
            if isinstance(last, OnePut):  # nothing was scheduled
                return await single(last.body, last.size)
            if last is not None:
                await schedule(last)
        await parts.join()
        key = await drive(multipart_requests.complete_flow(ctx, info, upload.complete_plan()))
        upload.completed()
    except BaseException as exc:
        await parts.cancel()
        await _abort(client, info, upload, exc)
        raise
    _deliver(progress, upload.final_progress())
    return key


def _deliver(progress: Callable[[ProgressEvent], None] | None, events: list[ProgressEvent]) -> None:
    if progress is not None:
        for event in events:
            progress(event)


async def _abort(
    client: AsyncDriver, info: SessionInfo, upload: UploadCoordinator, error: BaseException
) -> None:
    """Send the abort if an upload was left behind (retried within the deadline). If that
    fails too, ``error`` (about to be raised) gets ``key`` and ``upload_id`` and says so, so
    the caller can resume or abort it (``session.resume_multipart_upload(key, upload_id)``)."""
    plan = upload.abort_plan()
    if plan is None:
        return
    try:
        await client._drive(multipart_requests.abort_flow(client._ctx, info, plan))
    except ObjectstoreError as abort_error:
        key, upload_id = upload.key, upload.upload_id
        _log.warning("could not abort multipart upload %s of %r: %s", upload_id, key, abort_error)
        if isinstance(error, ObjectstoreError):
            error.key = key  # type: ignore[attr-defined]
            error.upload_id = upload_id  # type: ignore[attr-defined]
            error.args = (
                f"{error} (the multipart upload {upload_id} of key {key!r} is left behind and "
                f"could not be aborted: {abort_error}; resume or abort it with "
                "session.resume_multipart_upload(key, upload_id))",
                *error.args[1:],
            )


async def run_bounded(
    client: AsyncDriver, jobs: Sequence[flows.Flow[T]], concurrency: int
) -> list[T | ObjectstoreError]:
    """Drive every flow, at most ``concurrency`` at a time; errors are returned in place."""

    async def drive(flow: flows.Flow[T]) -> T | ObjectstoreError:
        try:
            return await client._drive(flow)
        except ObjectstoreError as exc:
            return exc

    return await map_bounded(drive, jobs, concurrency, "objectstore-batch")


async def download(
    client: AsyncDriver,
    info: SessionInfo,
    key: str,
    destination: Destination,
    decompress: bool,
    config: TransferConfig,
    progress: Callable[[ProgressEvent], None] | None,
) -> Metadata | None:
    """Download ``key`` into ``destination``: one GET for objects of at most one part (and
    from servers that ignore ``Range``), else parallel ranged GETs of ``config.part_size``
    stored bytes, at most ``config.concurrency`` in flight, written (and decoded) in order.
    Returns the object's metadata, or None (nothing written) when it does not exist."""
    ctx = client._ctx
    base = plan_get(info, key)
    first = first_part(config.part_size)
    started = ctx.clock()
    found_object = await client._drive(flows.get_flow(ctx, info, with_range(base, first.header)))
    if found_object is None:
        return None
    response: AsyncResponse = found_object  # type: ignore[assignment]  # what _send returned
    workers = Started(config.concurrency, "objectstore-download")
    sink: Sink | None = None
    try:
        metadata, decode = response_metadata(response, decompress, None)
        found = content_range(response.status_code, response.headers)
        if response.status_code == 206 and (found is None or found[0] != 0):
            method, path = response.method, response.path
            header = response.headers.get("content-range")
            raise RangeCheck(0, None, method, path).error(
                f"the server answered Range {first.header} with Content-Range {header!r}"
            )
        total = found[2] if found is not None else None
        budget = MemoryBudget(config.max_memory)
        sink = await to_thread(Sink, destination, decode, config.decode_threads, budget)
        # counted like an upload's progress: bytes of the payload as the caller gets it
        report = ProgressAggregator(None if decode else total, PROGRESS_AGGREGATION_BYTES)
        write = _writer(sink, report, progress)
        if total is None:  # Range ignored (or an empty object): the whole body, as it comes
            await _read_body(client, info, response, None, write, workers)
            size = metadata.size  # x-sn-size, when the server sends it
            if size is not None and sink.stored != size:
                method, path = response.method, response.path
                raise RangeCheck(size, None, method, path).error(
                    f"received {sink.stored} of {size} stored bytes"
                )
        else:
            method, path = response.method, response.path
            created = response.headers.get(HEADER_TIME_CREATED)
            check = RangeCheck(total, created, method, path)
            head = Part(0, min(first.end, total - 1))
            check.check(head, response.status_code, response.headers)
            rest = parts_after_first(total, first, config.part_size)
            fetch = _part_fetcher(client, info, base, check, started, workers)
            window: list[Handle[list[bytes]]] = []
            upcoming = deque(rest)

            def top_up(limit: int) -> None:
                # parts in flight (or read and waiting) stay <= concurrency, and their stored
                # bytes plus what the decoder holds within config.max_memory
                while len(window) < limit and upcoming and budget.may_start(upcoming[0].size):
                    part = upcoming.popleft()
                    budget.ranges += part.size
                    window.append(workers.start(fetch, part))

            top_up(config.concurrency - 1)  # fetched while the first part is written
            state = Download(
                with_range(base, head.header), created, total, started, stop=head.end + 1
            )
            await _read_body(client, info, response, state, write, workers)
            while True:
                top_up(config.concurrency)
                if not window:
                    break
                await write(await workers.result(window.pop(0)), True)
            if sink.stored != total:
                raise check.error(f"received {sink.stored} of {total} stored bytes")
        await to_thread(sink.finish)  # the last frames' output may come only now
        _deliver(progress, report.add(sink.written - report.transferred) + report.finish())
    except BaseException:
        await workers.cancel()
        await response.aclose()
        if sink is not None:
            await to_thread(sink.discard)
        raise
    await workers.cancel()
    return metadata


def _writer(
    sink: Sink, report: ProgressAggregator, progress: Callable[[ProgressEvent], None] | None
) -> Callable[..., Any]:
    """Stored bytes, in order, into the sink (in a worker thread on asyncio); progress counts
    the bytes written to the destination (decoded ones for a compressed object)."""

    async def write(chunks: list[bytes], reserved: bool = False) -> None:
        await to_thread(sink.write, chunks, reserved)
        _deliver(progress, report.add(sink.written - report.transferred))

    return write


def _part_fetcher(
    client: AsyncDriver,
    info: SessionInfo,
    base: RequestPlan,
    check: RangeCheck,
    started: float,
    workers: Started,
) -> Callable[[Part], Any]:
    """The work of one part: its stored bytes, read into memory (resumed if the body
    breaks), checked against the first answer (same size, same version)."""

    async def fetch(part: Part) -> list[bytes]:
        plan = with_range(base, part.header)
        found = await client._drive(flows.get_flow(client._ctx, info, plan))
        if found is None:
            raise check.error("the object was deleted during the download")
        response: AsyncResponse = found  # type: ignore[assignment]
        kept: list[bytes] = []

        async def keep(chunks: list[bytes]) -> None:
            kept.extend(chunks)

        try:
            check.check(part, response.status_code, response.headers)
        except BaseException:
            await response.aclose()
            raise
        state = Download(
            plan, check.created, check.total, started, received=part.start, stop=part.end + 1
        )
        await _read_body(client, info, response, state, keep, workers)
        return kept

    return fetch


async def _read_body(
    client: AsyncDriver,
    info: SessionInfo,
    response: AsyncResponse,
    state: Download | None,
    consume: Callable[[list[bytes]], Any],
    workers: Started,
) -> None:
    """Hand the stored bytes of ``response`` to ``consume`` in batches of about
    ``DOWNLOAD_WRITE_BYTES`` (with a ``state``: up to ``state.stop``, a body that breaks or
    ends early resumed from where it stopped, within the retry deadline; without one, the
    whole body, whatever its length)."""

    async def resume(error: TransportError) -> AsyncResponse:
        assert state is not None  # a body without a state is never resumed
        flow = resume_flow(client._ctx, info, state, error)
        resumed: AsyncResponse = await client._drive(flow)  # type: ignore[arg-type,assignment,unused-ignore]
        return resumed

    body = AsyncStoredBody(response, state, resume)
    batch: list[bytes] = []
    size = 0
    try:
        while chunk := await body.next():
            batch.append(chunk)
            size += len(chunk)
            if size >= DOWNLOAD_WRITE_BYTES:
                await consume(batch)
                batch, size = [], 0
            if workers.cancelled.is_set():
                return
        if batch:
            await consume(batch)
    finally:
        await body.aclose()
