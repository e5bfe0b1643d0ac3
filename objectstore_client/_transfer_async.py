"""Schedulers: the parts of an automatic upload run concurrently (threads in the blocking
client; tasks, compressing in worker threads, in the asyncio one), and bounded runs of many
flows (batches). Every decision is made in ``_core.multipart``; this only does I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from ._concurrency_async import Semaphore, TaskGroup, map_bounded, thread_lock, to_thread
from ._config import TransferConfig
from ._constants import PROGRESS_AGGREGATION_BYTES
from ._core import flows, multipart_requests
from ._core.multipart import OnePut, PendingPart, UploadCoordinator, encode_part
from ._core.plan import SessionInfo
from ._core.sources import BodySpec
from ._core.writes import Write
from ._exceptions import ObjectstoreError
from ._models import ProgressEvent
from ._sources_async import open_source

__all__ = ["run_bounded", "upload"]

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
