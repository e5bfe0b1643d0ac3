"""Blocking schedulers: parts of an automatic upload on a thread pool, and bounded runs of
many flows (batches). Every decision is made in ``_core.multipart``; this only does I/O."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
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
from ._io_sync import _check_chunk, _file_chunks, _path_chunks, _remaining, _slices
from ._models import ProgressEvent

if TYPE_CHECKING:
    from ._sync import Client

__all__ = ["run_bounded", "upload"]

T = TypeVar("T")
_log = logging.getLogger("objectstore_client")


def _source(spec: BodySpec) -> tuple[int | None, Iterator[Any]]:
    """One strategy per source kind: its size (if known) and its chunks, read lazily."""
    if spec.kind == "bytes":
        return len(spec.source), _slices(spec.source)
    if spec.kind == "path":
        try:
            size = os.stat(spec.source).st_size
        except OSError as exc:
            raise InvalidInput(f"cannot read {spec.source!r}: {exc.strerror}") from exc
        return size, _path_chunks(spec.source)
    if spec.kind == "file":
        return _remaining(spec.source, spec.start), _file_chunks(spec.source)
    if spec.kind == "iter":
        return None, (_check_chunk(c) for c in spec.source)
    raise InvalidInput("async iterables need AsyncClient; pass bytes, a file or an iterable")


def upload(
    client: Client,
    info: SessionInfo,
    spec: BodySpec,
    put_plan: Callable[[Any], RequestPlan],
    initiate: tuple[RequestPlan, bool],
    config: TransferConfig,
    progress: Callable[[ProgressEvent], None] | None,
) -> str:
    """Single put or parallel multipart upload of ``spec``; returns the key."""
    size, chunks = _source(spec)
    aggregator = ProgressAggregator(size, PROGRESS_AGGREGATION_BYTES)
    lock = threading.Lock()

    def report(delta: int, final: bool = False) -> None:
        with lock:
            if final:
                events = [aggregator.flush()] if aggregator.pending else []
            else:
                events = aggregator.add(delta)
        for event in events:
            if progress is not None:
                progress(event)

    def single(source: Any, length: int) -> str:
        key = client._drive(flows.put_flow(client._ctx, info, put_plan(source)))
        report(length)
        report(0, final=True)
        return key

    if choose_strategy(size, config) == "single":
        return single(spec.source, size or 0)
    ctx, (init_plan, compress) = client._ctx, initiate
    job = UploadJob(compress)
    slots = threading.BoundedSemaphore(config.concurrency)

    def work(part: PendingPart) -> None:
        try:
            if not job.failed:
                assert job.key is not None and job.upload_id is not None
                body = encode_part(part, job.compress)
                plan = wire.plan_part(info, job.key, job.upload_id, part.number, body)
                flow = wire.put_part_flow(ctx, info, plan, part.number, part.size)
                job.part_done(client._drive(flow, report))
        except BaseException as exc:
            job.fail(exc)
        finally:
            slots.release()

    splitter = PartSplitter(config.part_size)
    try:
        with ThreadPoolExecutor(config.concurrency, "objectstore-part") as pool:

            def submit(part: PendingPart) -> None:
                if job.upload_id is None:
                    job.started(*client._drive(wire.initiate_flow(ctx, info, init_plan)))
                pool.submit(work, part)

            slots.acquire()  # the slot of the part being filled
            for chunk in chunks:
                for part in splitter.feed(chunk):
                    submit(part)
                    slots.acquire()
                if job.failed:
                    break
            else:
                last = splitter.finish()
                if last is not None and job.upload_id is None:  # the source fits in one part
                    return single(b"".join(last.chunks), last.size)
                if last is not None:
                    submit(last)
        if job.failure is not None:
            raise job.failure
        assert job.key is not None and job.upload_id is not None
        parts = job.completion_parts(splitter.parts_emitted)
        plan = wire.plan_complete(info, job.key, job.upload_id, parts)
        key = client._drive(wire.complete_flow(ctx, info, plan))
        job.completed = True
    except BaseException:
        if job.needs_abort:
            _abort(client, info, job)
        raise
    report(0, final=True)
    return key


def _abort(client: Client, info: SessionInfo, job: UploadJob) -> None:
    assert job.key is not None and job.upload_id is not None
    try:
        client._drive(
            wire.abort_flow(client._ctx, info, wire.plan_abort(info, job.key, job.upload_id))
        )
    except ObjectstoreError:
        _log.warning("could not abort multipart upload %s of %r", job.upload_id, job.key)


def run_bounded(
    client: Client, jobs: Sequence[flows.Flow[T]], concurrency: int
) -> list[T | ObjectstoreError]:
    """Drive every flow, at most ``concurrency`` at a time; errors are returned in place."""

    def drive(flow: flows.Flow[T]) -> T | ObjectstoreError:
        try:
            return client._drive(flow)
        except ObjectstoreError as exc:
            return exc

    if len(jobs) <= 1:
        return [drive(flow) for flow in jobs]
    with ThreadPoolExecutor(min(concurrency, len(jobs)), "objectstore-batch") as pool:
        return list(pool.map(drive, jobs))
