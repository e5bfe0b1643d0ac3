"""_concurrency_sync / _concurrency_async: the primitives where the two drivers differ."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator

import pytest

from objectstore_client import InvalidInput
from objectstore_client import _concurrency_async as aio
from objectstore_client import _concurrency_sync as sync


def test_sync_task_group_runs_on_threads_and_raises_what_escaped_a_worker() -> None:
    seen: list[str] = []
    group = sync.TaskGroup(2, "objectstore-test")

    def work(item: str) -> None:
        if item == "exit":
            raise SystemExit("a worker's BaseException is not lost")
        seen.append(threading.current_thread().name)

    group.start(work, "a")
    group.start(work, "exit")
    with pytest.raises(SystemExit, match="not lost"):
        group.join()
    assert seen and seen[0].startswith("objectstore-test")
    assert not [t for t in threading.enumerate() if t.name.startswith("objectstore-test")]


def test_sync_task_group_without_work_makes_no_threads() -> None:
    group = sync.TaskGroup(4, "objectstore-idle")
    group.cancel()
    group.join()
    assert not [t for t in threading.enumerate() if t.name.startswith("objectstore-idle")]


async def test_async_task_group_cancel_ends_running_tasks() -> None:
    started = asyncio.Event()
    cancelled: list[bool] = []

    async def work(_: int) -> None:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    group = aio.TaskGroup(2, "objectstore-test")
    group.start(work, 1)
    await started.wait()
    await group.cancel()
    assert cancelled == [True]


def test_map_bounded_keeps_order_and_limit() -> None:
    active, peak = 0, 0
    lock = threading.Lock()

    def square(n: int) -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.001)  # overlap with the other workers
        with lock:
            active -= 1
        return n * n

    assert sync.map_bounded(square, list(range(20)), 3, "objectstore-map") == [
        n * n for n in range(20)
    ]
    assert peak <= 3


async def test_async_map_bounded_keeps_order_and_limit() -> None:
    active, peak = 0, 0

    async def square(n: int) -> int:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0)
        active -= 1
        return n * n

    assert await aio.map_bounded(square, list(range(20)), 3, "x") == [n * n for n in range(20)]
    assert peak == 3


async def test_iterables_async_accepted_by_the_asyncio_side_only() -> None:
    async def items() -> AsyncIterator[int]:
        yield 1
        yield 2

    assert [i async for i in aio.iterate(items())] == [1, 2]
    assert [i async for i in aio.iterate([3])] == [3]
    assert list(sync.iterate([3])) == [3]
    with pytest.raises(InvalidInput, match="AsyncClient"):
        sync.iterate(items())  # type: ignore[arg-type]  # what the check is for


def test_started_calls_forget_their_results_once_collected() -> None:
    """A download collects part after part: a collected result must not stay referenced
    by the scheduler (it would hold every part of the object in memory)."""
    import asyncio
    import gc
    import weakref

    from objectstore_client import _concurrency_async, _concurrency_sync

    class Part:
        pass

    started = _concurrency_sync.Started(2, "test")
    handle = started.start(lambda _: Part(), None)
    ref = weakref.ref(started.result(handle))
    del handle
    gc.collect()
    assert ref() is None
    started.cancel()

    async def main() -> None:
        started = _concurrency_async.Started(2, "test")

        async def work(_: object) -> Part:
            return Part()

        handles = [started.start(work, None) for _ in range(3)]
        for handle in handles:
            await started.result(handle)
        assert started._tasks == []  # nothing left that holds a result
        await started.cancel()

    asyncio.run(main())
