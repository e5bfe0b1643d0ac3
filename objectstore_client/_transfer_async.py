"""Schedulers: the parts of an automatic upload run concurrently (threads in the blocking
client; tasks, compressing in worker threads, in the asyncio one), and bounded runs of many
flows (batches). Every decision is made in ``_core.multipart``; this only does I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ._concurrency_async import Semaphore, TaskGroup, map_bounded, thread_lock, to_thread
from ._config import TransferConfig
from ._constants import PROGRESS_AGGREGATION_BYTES
from ._core import flows
from ._core import multipart_wire as wire
from ._core.multipart import (
    PartSplitter,
    PendingPart,
    ProgressAggregator,
    UploadJob,
    choose_strategy,
    encode_part,
)
from ._core.plan import BodySpec, RequestPlan, SessionInfo
from ._exceptions import ObjectstoreError
from ._models import ProgressEvent
from ._sources_async import open_source

if TYPE_CHECKING:
    from ._async import AsyncClient

__all__ = ["run_bounded", "upload"]

T = TypeVar("T")
_log = logging.getLogger("objectstore_client")


async def upload(
    client: AsyncClient,
    info: SessionInfo,
    spec: BodySpec,
    put_plan: Callable[[Any], RequestPlan],
    initiate: tuple[RequestPlan, bool],
    config: TransferConfig,
    progress: Callable[[ProgressEvent], None] | None,
) -> str:
    """Single put or parallel multipart upload of ``spec``; returns the key."""
    size, chunks = await open_source(spec)
    aggregator = ProgressAggregator(size, PROGRESS_AGGREGATION_BYTES)
    lock = thread_lock()

    def report(delta: int, final: bool = False) -> None:
        with lock:
            if final:
                events = [aggregator.flush()] if aggregator.pending else []
            else:
                events = aggregator.add(delta)
        for event in events:
            if progress is not None:
                progress(event)

    async def single(source: Any, length: int) -> str:
        key = await client._drive(flows.put_flow(client._ctx, info, put_plan(source)))
        report(length)
        report(0, final=True)
        return key

    if choose_strategy(size, config) == "single":
        return await single(spec.source, size or 0)
    ctx, (init_plan, compress) = client._ctx, initiate
    job = UploadJob(compress)
    slots = Semaphore(config.concurrency)
    parts = TaskGroup(config.concurrency, "objectstore-part")

    async def work(part: PendingPart) -> None:
        try:
            if not job.failed:
                assert job.key is not None and job.upload_id is not None
                body = await to_thread(encode_part, part, job.compress)
                plan = wire.plan_part(info, job.key, job.upload_id, part.number, body)
                flow = wire.put_part_flow(ctx, info, plan, part.number, part.size)
                job.part_done(await client._drive(flow, report))
        except Exception as exc:  # a part's failure; cancellation and exits propagate
            job.fail(exc)
        finally:
            slots.release()

    async def submit(part: PendingPart) -> None:
        if job.upload_id is None:
            job.started(*await client._drive(wire.initiate_flow(ctx, info, init_plan)))
        parts.start(work, part)

    splitter = PartSplitter(config.part_size)
    try:
        await slots.acquire()  # the slot of the part being filled
        async for chunk in chunks:
            for part in splitter.feed(chunk):
                await submit(part)
                await slots.acquire()
            if job.failed:
                break
        else:
            last = splitter.finish()
            if last is not None and job.upload_id is None:  # the source fits in one part
                await parts.join()
                return await single(b"".join(last.chunks), last.size)
            if last is not None:
                await submit(last)
        await parts.join()
        if job.failure is not None:
            raise job.failure
        assert job.key is not None and job.upload_id is not None
        done = job.completion_parts(splitter.parts_emitted)
        plan = wire.plan_complete(info, job.key, job.upload_id, done)
        key = await client._drive(wire.complete_flow(ctx, info, plan))
        job.completed = True
    except BaseException:
        await parts.cancel()
        if job.needs_abort:
            await _abort(client, info, job)
        raise
    report(0, final=True)
    return key


async def _abort(client: AsyncClient, info: SessionInfo, job: UploadJob) -> None:
    assert job.key is not None and job.upload_id is not None
    try:
        plan = wire.plan_abort(info, job.key, job.upload_id)
        await client._drive(wire.abort_flow(client._ctx, info, plan))
    except ObjectstoreError:
        _log.warning("could not abort multipart upload %s of %r", job.upload_id, job.key)


async def run_bounded(
    client: AsyncClient, jobs: Sequence[flows.Flow[T]], concurrency: int
) -> list[T | ObjectstoreError]:
    """Drive every flow, at most ``concurrency`` at a time; errors are returned in place."""

    async def drive(flow: flows.Flow[T]) -> T | ObjectstoreError:
        try:
            return await client._drive(flow)
        except ObjectstoreError as exc:
            return exc

    return await map_bounded(drive, jobs, concurrency, "objectstore-batch")
