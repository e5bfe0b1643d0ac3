"""Clocks for the local server: wall time by default, a manual clock for tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Clock", "FakeClock", "system_clock"]

Clock = Callable[[], float]
"""Returns the current time as unix seconds."""


def system_clock() -> float:
    """The real wall clock (``time.time``)."""
    return time.time()


class FakeClock:
    """A manually advanced clock, so expiry tests need not sleep.

    >>> clock = FakeClock(1_700_000_000.0)
    >>> clock.advance(60)
    >>> clock()
    1700000060.0
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (may be fractional)."""
        if seconds < 0:
            raise ValueError("a FakeClock only moves forward")
        with self._lock:
            self._now += seconds

    def set(self, now: float) -> None:
        """Jump to an absolute unix time."""
        with self._lock:
            self._now = float(now)
