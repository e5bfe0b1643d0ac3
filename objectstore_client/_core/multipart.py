"""Automatic multipart uploads, sans-I/O: every decision (single put or multipart, part
splitting, per-part zstd frames, progress aggregation, abort on failure). The schedulers in
``_transfer_sync.py`` and ``_transfer_async.py`` only read the source and run parts
concurrently; the requests and flows of the endpoints are in ``multipart_wire.py``.
"""

from __future__ import annotations

import io
from typing import Literal

import attrs

from .._config import TransferConfig
from .._models import CompletePart, ProgressEvent
from .codec import ZstdEncoder

__all__ = [
    "PartSplitter",
    "PendingPart",
    "ProgressAggregator",
    "UploadJob",
    "choose_strategy",
    "encode_part",
]


Strategy = Literal["single", "multipart", "probe"]


def choose_strategy(size: int | None, config: TransferConfig) -> Strategy:
    """Single put below the threshold, multipart above it; ``probe`` for unknown sizes
    (decided after the first part: a stream that ends within it is sent with one put)."""
    if size is None:
        return "probe"
    return "multipart" if size >= config.multipart_threshold and size > 0 else "single"


@attrs.define
class PendingPart:
    """A part's raw bytes, as read from the source (consumed by :func:`encode_part`)."""

    number: int
    chunks: list[bytes | memoryview]
    size: int


class PartSplitter:
    """Cuts a stream of chunks into parts of exactly ``part_size`` bytes (the last smaller).

    Chunks are sliced with memoryviews, never joined, so a part holds its source bytes once.
    """

    def __init__(self, part_size: int) -> None:
        self._part_size = part_size
        self._chunks: list[bytes | memoryview] = []
        self._size = 0
        self._number = 0

    @property
    def parts_emitted(self) -> int:
        """How many parts have been returned so far."""
        return self._number

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[PendingPart]:
        """Add a chunk; returns the parts it completed (often none)."""
        view = memoryview(chunk).cast("B") if not isinstance(chunk, bytes) else chunk
        done: list[PendingPart] = []
        while len(view):
            room = self._part_size - self._size
            piece, view = view[:room], view[room:]
            self._chunks.append(piece)
            self._size += len(piece)
            if self._size == self._part_size:
                done.append(self._emit())
        return done

    def finish(self) -> PendingPart | None:
        """The last, partial part (None when nothing is left, unless no part exists yet)."""
        if self._size or self._number == 0:
            return self._emit()
        return None

    def _emit(self) -> PendingPart:
        self._number += 1
        part = PendingPart(self._number, self._chunks, self._size)
        self._chunks, self._size = [], 0
        return part


def encode_part(part: PendingPart, compress: bool) -> memoryview:
    """The part's request body: its own zstd frame (or the raw bytes), built while the raw
    chunks are released, so raw plus encoded bytes stay about one part in size."""
    out = io.BytesIO()
    encoder = ZstdEncoder(size=part.size) if compress else None
    chunks = part.chunks
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()
        out.write(encoder.feed(chunk) if encoder is not None else chunk)
    if encoder is not None:
        out.write(encoder.flush())
    return out.getbuffer()


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

    @property
    def pending(self) -> int:
        """Bytes reported but not yet passed to the callback."""
        return self._pending


@attrs.define
class UploadJob:
    """State of one automatic multipart upload and the decisions taken on it.

    Abort is needed from the moment an upload id exists until completion succeeded; the
    first failure stops the scheduling of new parts and is the error raised.
    """

    compress: bool
    key: str | None = None
    upload_id: str | None = None
    parts: dict[int, CompletePart] = attrs.field(factory=dict)
    failure: BaseException | None = None
    completed: bool = False

    def started(self, key: str, upload_id: str) -> None:
        """The upload exists: from now on a failure must abort it."""
        self.key, self.upload_id = key, upload_id

    @property
    def needs_abort(self) -> bool:
        """An upload was initiated and not completed."""
        return self.upload_id is not None and not self.completed

    @property
    def failed(self) -> bool:
        """Whether a part failed for good (stop reading and scheduling)."""
        return self.failure is not None

    def part_done(self, part: CompletePart) -> None:
        """Record a uploaded part."""
        self.parts[part.part_number] = part

    def fail(self, error: BaseException) -> None:
        """Record a failure; the first one wins."""
        if self.failure is None:
            self.failure = error

    def completion_parts(self, count: int) -> list[CompletePart]:
        """The parts for ``complete``, checked to be exactly 1..count."""
        missing = [n for n in range(1, count + 1) if n not in self.parts]
        if missing:
            raise RuntimeError(f"parts {missing} were not uploaded")
        return [self.parts[n] for n in range(1, count + 1)]
