"""The blocking side of what sync and async driver code does differently.

Hand-written twin of ``_concurrency_async`` (same names, same signatures), used by the sync
driver modules that ``scripts/unasync.py`` generates: worker threads instead of tasks, direct
calls instead of ``to_thread``, ``time.sleep``, and no async iterables.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from ._exceptions import InvalidInput

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

sleep = time.sleep
Semaphore = threading.BoundedSemaphore


def to_thread(function: Callable[..., R], *args: Any) -> R:
    """Blocking work runs where it is called (already a worker thread, or the caller's)."""
    return function(*args)


def thread_lock() -> AbstractContextManager[Any]:
    """Guards state that callbacks from worker threads update."""
    return threading.Lock()


def iterate(source: Iterable[T]) -> Iterator[T]:
    """The items of a caller's iterable (an async iterable needs the asyncio client)."""
    if isinstance(source, AsyncIterable):
        raise InvalidInput("async iterables need AsyncClient; pass bytes, a file or an iterable")
    return iter(source)


class TaskGroup:
    """Runs ``work(item)`` calls concurrently, on a pool of ``workers`` threads.

    ``join`` waits for all and raises the first error; ``cancel`` drops the calls not yet
    started and waits for the running ones. Either ends the pool.
    """

    def __init__(self, workers: int, name: str) -> None:
        self._workers = workers
        self._name = name
        self._pool: ThreadPoolExecutor | None = None  # no threads until the first call
        self._futures: list[Future[None]] = []

    def start(self, work: Callable[[T], None], item: T) -> None:
        """Schedule ``work(item)``."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, self._name)
        self._futures.append(self._pool.submit(work, item))

    def join(self) -> None:
        """Wait for every call; raise the first error."""
        try:
            for future in self._futures:
                future.result()
        finally:
            self._shutdown()

    def cancel(self) -> None:
        """Drop the calls not yet started and wait for the running ones."""
        for future in self._futures:
            future.cancel()
        self._shutdown()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def map_bounded(function: Callable[[T], R], items: Sequence[T], limit: int, name: str) -> list[R]:
    """``function`` over ``items``, at most ``limit`` at a time (threads); results in order."""
    if len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(min(limit, len(items)), name) as pool:
        return list(pool.map(function, items))


Handle = Future


class Started:
    """Calls started now whose results are collected later (``result(handle)``), on a pool of
    ``workers`` threads. ``cancel`` drops the calls not yet started and waits for the running
    ones (which should notice ``cancelled`` and stop early)."""

    def __init__(self, workers: int, name: str) -> None:
        self._workers = workers
        self._name = name
        self._pool: ThreadPoolExecutor | None = None
        self._futures: list[Future[Any]] = []
        self.cancelled = threading.Event()

    def start(self, work: Callable[[T], R], item: T) -> Future[R]:
        """Start ``work(item)``; its handle."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, self._name)
        future = self._pool.submit(work, item)
        self._futures.append(future)
        return future

    def result(self, handle: Future[R]) -> R:
        """Wait for a started call; its result (or its error). The handle is forgotten, so
        that its result is not kept alive here."""
        result = handle.result()
        self._futures.remove(handle)
        return result

    def cancel(self) -> None:
        """Drop the calls not yet started and wait for the running ones."""
        self.cancelled.set()
        for future in self._futures:
            future.cancel()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self._futures.clear()
