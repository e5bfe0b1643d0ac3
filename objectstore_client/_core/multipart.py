"""Automatic multipart uploads, sans-I/O: every decision (single put or multipart, part
splitting, per-part zstd frames, lazy initiate, one-part fallback, completion and abort,
progress aggregation) in :class:`UploadCoordinator`. The schedulers (``_transfer_async.py``
and the sync twin generated from it) only read the source and run parts concurrently; the
requests and flows of the endpoints are in ``multipart_requests.py``.
"""

from __future__ import annotations

import io
from typing import Any, Literal

import attrs

from .._models import CompletePart, ProgressEvent
from .codec import ZstdEncoder
from .multipart_requests import plan_abort, plan_complete, plan_initiate, plan_part
from .plan import RequestPlan, SessionInfo, plan_put
from .progress import ProgressAggregator
from .writes import Write

__all__ = [
    "OnePut",
    "PartSplitter",
    "PendingPart",
    "UploadCoordinator",
    "encode_part",
]


Strategy = Literal["single", "multipart", "probe"]


def _strategy(size: int | None, threshold: int) -> Strategy:
    """Single put below the threshold, multipart above it; ``probe`` for unknown sizes
    (decided after the first part: a stream that ends within it is sent with one put)."""
    if size is None:
        return "probe"
    return "multipart" if size >= threshold and size > 0 else "single"


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
    # not getbuffer(): on 3.13 a BytesIO collected while a view of it is alive raises
    # BufferError from the garbage collector; getvalue() hands over the buffer without a copy
    return memoryview(out.getvalue())


@attrs.frozen
class OnePut:
    """The source ended within its first part: send it with one put instead (no upload)."""

    body: bytes
    size: int


@attrs.frozen
class _Started:
    key: str
    upload_id: str


class UploadCoordinator:
    """Every decision of one automatic upload; the schedulers only perform them.

    A single put below the threshold (``strategy``); otherwise parts cut from the source,
    the upload initiated lazily just before the first part is sent (``needs_initiate``), a
    stream that ends within its first part sent with one put after all (``finish``), the
    first part failure stopping the reading and becoming the error, completion only with
    every part, abort from the moment an upload id exists until completion succeeded, and
    the progress of both paths aggregated with a final flush. Sans-I/O: it plans requests,
    the scheduler drives them. Part results may arrive from worker threads: ``part_done``
    and ``fail`` are single assignments; the scheduler serialises ``progress``.
    """

    def __init__(
        self,
        session: SessionInfo,
        write: Write,
        size: int | None,
        threshold: int,
        part_size: int,
        progress_every: int,
    ) -> None:
        self._session = session
        self._write = write
        #: The initiate request (sent once, before the first part).
        self.initiate_plan = plan_initiate(session, write)
        #: Whether each part is its own zstd frame.
        self.compress = write.compress
        #: "single" (one put), "multipart", or "probe" (size unknown: decided by ``finish``).
        self.strategy: Strategy = _strategy(size, threshold)
        self._splitter = PartSplitter(part_size)
        self._progress = ProgressAggregator(size, progress_every)
        self._upload: _Started | None = None
        self._parts: dict[int, CompletePart] = {}
        self._completed = False
        #: The first part failure (the error of the whole upload), if any.
        self.failure: BaseException | None = None

    # -- the source ---------------------------------------------------------------------

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[PendingPart]:
        """Parts completed by ``chunk``, to schedule in order (often none)."""
        return self._splitter.feed(chunk)

    def finish(self) -> OnePut | PendingPart | None:
        """At the end of the source: the last part to schedule, or None when the parts are
        all out, or a OnePut when no upload was needed after all."""
        last = self._splitter.finish()
        if last is not None and self._upload is None:
            return OnePut(b"".join(last.chunks), last.size)
        return last

    def put_plan(self, source: Any) -> RequestPlan:
        """The single put of ``source`` (the whole source, or a OnePut's body)."""
        return plan_put(self._session, source, self._write)

    # -- the upload ---------------------------------------------------------------------

    @property
    def needs_initiate(self) -> bool:
        """Whether the upload must be initiated before the next part is scheduled."""
        return self._upload is None

    def started(self, key: str, upload_id: str) -> None:
        """The upload exists: from now on a failure aborts it."""
        self._upload = _Started(key, upload_id)

    def _started(self) -> _Started:
        if self._upload is None:
            raise RuntimeError("a part was scheduled before the upload was initiated")
        return self._upload

    def part_plan(self, part: PendingPart, body: bytes | memoryview) -> RequestPlan:
        """The request of one part, with its encoded body."""
        upload = self._started()
        return plan_part(self._session, upload.key, upload.upload_id, part.number, body)

    @property
    def failed(self) -> bool:
        """Whether a part failed for good (stop reading and scheduling)."""
        return self.failure is not None

    def part_done(self, part: CompletePart) -> None:
        """Record an uploaded part."""
        self._parts[part.part_number] = part

    def fail(self, error: BaseException) -> None:
        """Record a part failure; the first one wins."""
        if self.failure is None:
            self.failure = error

    def complete_plan(self) -> RequestPlan:
        """The completion, once every part is done; raises the first part failure instead."""
        if self.failure is not None:
            raise self.failure
        upload = self._started()
        count = self._splitter.parts_emitted
        missing = [n for n in range(1, count + 1) if n not in self._parts]
        if missing:
            raise RuntimeError(f"parts {missing} were not uploaded")
        parts = [self._parts[n] for n in range(1, count + 1)]
        return plan_complete(self._session, upload.key, upload.upload_id, parts)

    def completed(self) -> None:
        """The server assembled the object: nothing to abort any more."""
        self._completed = True

    def abort_plan(self) -> RequestPlan | None:
        """After an error: the abort to send, or None when no upload is left behind."""
        if self._upload is None or self._completed:
            return None
        return plan_abort(self._session, self._upload.key, self._upload.upload_id)

    @property
    def key(self) -> str | None:
        """The key of the upload, once initiated (for messages and recovery)."""
        return None if self._upload is None else self._upload.key

    @property
    def upload_id(self) -> str | None:
        """The server's id of the upload, once initiated (for messages)."""
        return None if self._upload is None else self._upload.upload_id

    # -- progress -------------------------------------------------------------------------

    def progress(self, delta: int) -> list[ProgressEvent]:
        """Record bytes sent (negative when a part is sent again); the events now due."""
        return self._progress.add(delta)

    def final_progress(self) -> list[ProgressEvent]:
        """The last event, when anything is still pending (after the upload succeeded)."""
        return [self._progress.flush()] if self._progress.pending else []
