"""The asyncio side of what sync and async driver code does differently.

The async driver modules are the one source of the sync ones (``scripts/unasync.py``
rewrites ``_concurrency_async`` to ``_concurrency_sync``), so every place where the two
genuinely differ is a name here with the same signature there: worker threads, sleeping,
concurrent tasks, and which caller iterables are accepted.
"""

from __future__ import annotations

import asyncio
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterable,
    Sequence,
)
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar

__all__ = [
    "Handle",
    "Semaphore",
    "Started",
    "TaskGroup",
    "iterate",
    "map_bounded",
    "sleep",
    "thread_lock",
    "to_thread",
]

T = TypeVar("T")
R = TypeVar("R")

sleep = asyncio.sleep
Semaphore = asyncio.Semaphore


async def to_thread(function: Callable[..., R], *args: Any) -> R:
    """Run blocking work (file reads, large compressions) off the event loop."""
    return await asyncio.to_thread(function, *args)


def thread_lock() -> AbstractContextManager[Any]:
    """Guards state that callbacks update: they all run on the event loop, so no lock."""
    return nullcontext()


async def iterate(source: AsyncIterable[T] | Iterable[T]) -> AsyncIterator[T]:
    """The items of a caller's iterable, async or not."""
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


class TaskGroup:
    """Runs ``work(item)`` calls concurrently, as tasks on the running loop.

    ``join`` waits for all and raises the first error; ``cancel`` stops those still running
    and waits for them. (Not ``asyncio.TaskGroup``: Python 3.10 has none, and a failed part
    must not cancel its siblings before the upload is aborted.)
    """

    def __init__(self, workers: int, name: str) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._name = name

    def start(self, work: Callable[[T], Coroutine[Any, Any, None]], item: T) -> None:
        """Schedule ``work(item)``."""
        self._tasks.add(asyncio.create_task(work(item), name=self._name))

    async def join(self) -> None:
        """Wait for every call; raise the first error."""
        await asyncio.gather(*self._tasks)

    async def cancel(self) -> None:
        """Cancel the calls still running and wait until they have ended."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def map_bounded(
    function: Callable[[T], Awaitable[R]], items: Sequence[T], limit: int, name: str
) -> list[R]:
    """``function`` over ``items``, at most ``limit`` at a time; results in order."""
    slots = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with slots:
            return await function(item)

    return list(await asyncio.gather(*(one(item) for item in items)))


Handle = asyncio.Task


class Started:
    """Calls started now whose results are collected later (``await result(handle)``), as
    tasks on the running loop. ``cancel`` stops those still running and waits for them."""

    def __init__(self, workers: int, name: str) -> None:
        self._tasks: list[asyncio.Task[Any]] = []
        self._name = name
        self.cancelled = asyncio.Event()

    def start(self, work: Callable[[T], Coroutine[Any, Any, R]], item: T) -> asyncio.Task[R]:
        """Start ``work(item)``; its handle."""
        task = asyncio.create_task(work(item), name=self._name)
        self._tasks.append(task)
        return task

    async def result(self, handle: asyncio.Task[R]) -> R:
        """Wait for a started call; its result (or its error). The handle is forgotten, so
        that its result is not kept alive here."""
        result = await handle  # (a cancelled wait leaves the task for ``cancel``)
        self._tasks.remove(handle)
        return result

    async def cancel(self) -> None:
        """Cancel the calls still running and wait until they have ended."""
        self.cancelled.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
