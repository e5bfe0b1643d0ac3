"""Progress reporting shared by uploads and downloads: byte deltas become ProgressEvents at
most once per ``every`` bytes, so callbacks are not flooded. No I/O."""

from __future__ import annotations

from .._models import ProgressEvent

__all__ = ["ProgressAggregator"]


class ProgressAggregator:
    """Turns signed byte deltas into ProgressEvents, at most one per ``every`` bytes of
    progress (plus a final flush), so callbacks are not flooded. A rewind (negative delta) is
    always reported at once, as its own event, so it stays visible."""

    def __init__(self, total: int | None, every: int) -> None:
        self.total = total
        self.transferred = 0
        self._every = every
        self._pending = 0

    def add(self, delta: int) -> list[ProgressEvent]:
        """Record a delta; returns the events that are due (often none)."""
        if delta >= 0:
            self._pending += delta
            self.transferred += delta
            return [self.flush()] if self._pending >= self._every else []
        events = [self.flush()] if self._pending else []
        self.transferred += delta
        events.append(ProgressEvent(delta, transferred=self.transferred, total=self.total))
        return events

    def flush(self) -> ProgressEvent:
        """The accumulated delta as one event (may be a zero delta)."""
        event = ProgressEvent(self._pending, transferred=self.transferred, total=self.total)
        self._pending = 0
        return event

    def finish(self) -> list[ProgressEvent]:
        """The last event, if bytes are still unreported."""
        return [self.flush()] if self._pending else []

    @property
    def pending(self) -> int:
        """Bytes reported but not yet passed to the callback."""
        return self._pending
