"""asyncio schedulers, twin of ``_transfer_sync``: parts of an automatic upload as tasks
(compression in worker threads), and bounded runs of many flows (batches)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

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
from ._exceptions import InvalidInput, ObjectstoreError
from ._io_async import _chunks_of, _file_chunks, _path_chunks, _slices
from ._io_sync import _remaining
from ._models import ProgressEvent

if TYPE_CHECKING:
    from ._async import AsyncClient

__all__ = ["run_bounded", "upload"]

T = TypeVar("T")
_log = logging.getLogger("objectstore_client")


async def _source(spec: BodySpec) -> tuple[int | None, AsyncIterator[Any]]:
    """One strategy per source kind: its size (if known) and its chunks, read lazily."""
    if spec.kind == "bytes":
        return len(spec.source), _slices(spec.source)
    if spec.kind == "path":
        try:
            size = (await asyncio.to_thread(os.stat, spec.source)).st_size
        except OSError as exc:
            raise InvalidInput(f"cannot read {spec.source!r}: {exc.strerror}") from exc
        return size, _path_chunks(spec.source)
    if spec.kind == "file":
        remaining = await asyncio.to_thread(_remaining, spec.source, spec.start)
        return remaining, _file_chunks(spec.source)
    return None, _chunks_of(spec.source)


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
    size, chunks = await _source(spec)
    aggregator = ProgressAggregator(size, PROGRESS_AGGREGATION_BYTES)

    def report(delta: int, final: bool = False) -> None:
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
    slots = asyncio.Semaphore(config.concurrency)
    tasks: set[asyncio.Task[None]] = set()

    async def work(part: PendingPart) -> None:
        try:
            if not job.failed:
                assert job.key is not None and job.upload_id is not None
                body = await asyncio.to_thread(encode_part, part, job.compress)
                plan = wire.plan_part(info, job.key, job.upload_id, part.number, body)
                flow = wire.put_part_flow(ctx, info, plan, part.number, part.size)
                job.part_done(await client._drive(flow, report))
        except Exception as exc:
            job.fail(exc)
        finally:
            slots.release()

    async def submit(part: PendingPart) -> None:
        if job.upload_id is None:
            job.started(*await client._drive(wire.initiate_flow(ctx, info, init_plan)))
        tasks.add(asyncio.create_task(work(part)))

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
                return await single(b"".join(last.chunks), last.size)
            if last is not None:
                await submit(last)
        await asyncio.gather(*tasks)
        if job.failure is not None:
            raise job.failure
        assert job.key is not None and job.upload_id is not None
        parts = job.completion_parts(splitter.parts_emitted)
        plan = wire.plan_complete(info, job.key, job.upload_id, parts)
        key = await client._drive(wire.complete_flow(ctx, info, plan))
        job.completed = True
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
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
    limit = asyncio.Semaphore(concurrency)

    async def drive(flow: flows.Flow[T]) -> T | ObjectstoreError:
        async with limit:
            try:
                return await client._drive(flow)
            except ObjectstoreError as exc:
                return exc

    return list(await asyncio.gather(*(drive(flow) for flow in jobs)))
