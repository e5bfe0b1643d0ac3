"""Where ``Session.download`` writes: the destination file, fed stored bytes in order.

A compressed object is decoded on the way (zstd's streaming decoder writes its output in
pieces of ``DECODE_PIECE_BYTES``, so a highly compressible part never expands in memory);
the frame tracker tells a stream cut inside a frame from a complete one. What the decoder
holds (the frame being received, frames being decoded and their output) counts against the
download's :class:`MemoryBudget`, with the ranges not yet written. A path is written
to a temporary file beside it and renamed at the end, so a failed download never leaves a
partial file under the caller's name. Blocking file I/O: the asyncio driver calls it in a
worker thread.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any, cast

import zstandard

from ._constants import DECODE_PIECE_BYTES, DOWNLOAD_WRITE_BYTES, MAX_PARALLEL_FRAME_BYTES
from ._core.download import Destination, MemoryBudget
from ._core.frames import FrameTracker, starts_skippable
from ._exceptions import DecodeError

__all__ = ["Sink"]

#: Enough bytes for any zstd frame header (magic, descriptor, window, dictionary id, size).
_MAX_FRAME_HEADER = 18
#: A frame whose stored size is more than this share of its output is decoded on the
#: writing thread: zstd stores incompressible blocks raw, so decoding it is mostly a copy
#: (cheaper than the hand-over), and a decoding thread would hold the frame and its output.
_INLINE_STORED_SHARE = 0.5


class Sink:
    """Writes stored bytes in order; ``finish`` checks and closes, ``discard`` cleans up.

    With ``threads > 1`` a compressed object is decoded frame by frame on up to that many
    threads (zstd releases the GIL), outputs written in order, as long as every frame
    declares a content size of at most ``MAX_PARALLEL_FRAME_BYTES`` (the SDK's frames hold
    8 MiB); from the first frame that does not, the rest is decoded as one stream. Frames
    that barely shrink are decoded on the writing thread, and a frame goes to a thread only
    while the frames in flight (stored bytes plus declared output) fit in what ``budget``
    leaves them (one is always let through).
    """

    def __init__(
        self,
        destination: Destination,
        decode: bool,
        threads: int = 1,
        budget: MemoryBudget | None = None,
    ) -> None:
        self._path = destination.path
        self._temp = None
        if destination.path is not None:
            path = destination.path
            self._temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.download")
            self._file: IO[bytes] = open(self._temp, "wb")  # noqa: SIM115 (closed in finish)
        else:
            assert destination.file is not None
            self._file = destination.file
        self.stored = 0
        self.written = 0
        self._tracker: FrameTracker | None = FrameTracker() if decode else None
        self._stream: Any = None  # zstd's streaming decoder, once decoding as one stream
        self._frames: _ParallelFrames | None = None
        self._buffer = bytearray()  # stored bytes of the frame being received
        self._checked = False  # whether the current frame's header was looked at
        self._output = 0  # the current frame's declared content size, once checked
        self._budget = budget if budget is not None else MemoryBudget(1 << 62)
        self._decompressor: Any = None  # for frames decoded on the writing thread
        if decode and threads > 1:
            self._frames = _ParallelFrames(self._emit, threads, self._budget.decode_room)
        elif decode:
            self._start_stream(b"")

    def write(self, chunks: list[bytes], reserved: bool = False) -> None:
        """Append the next stored bytes (decoded when the object is compressed). ``chunks``
        is emptied as it is consumed, so its bytes are freed as they are passed on; when
        they were ``reserved`` in the budget (a range read ahead), they are released then."""
        chunks.reverse()
        while chunks:
            chunk = _take_batch(chunks)
            self._consume(chunk)
            if reserved:
                self._budget.ranges -= len(chunk)
            self._budget.decoding = self.held

    @property
    def held(self) -> int:
        """Bytes the decoder holds: the frame being received, frames being decoded and
        their output."""
        return len(self._buffer) + (self._frames.held if self._frames is not None else 0)

    def _consume(self, chunk: bytes) -> None:
        self.stored += len(chunk)
        if self._tracker is None:
            self._file.write(chunk)
            self.written += len(chunk)
            return
        try:
            self._tracker.feed(chunk)
            if self._stream is not None:
                self._stream.write(chunk)
            else:
                self._split(chunk)
        except (ValueError, zstandard.ZstdError) as exc:
            raise DecodeError(f"invalid zstd data: {exc}") from None

    def _split(self, chunk: bytes) -> None:
        """Cut whole frames off the received bytes and hand them to the decoding threads."""
        assert self._tracker is not None and self._frames is not None
        buffer = self._buffer
        buffer += chunk
        ends, self._tracker.boundaries = self._tracker.boundaries, []
        start = self.stored - len(buffer)  # stream offset of buffer[0]
        for end in ends:
            if not self._checked and not self._parallel_frame(buffer):
                return
            with memoryview(buffer) as view:
                frame = bytes(view[: end - start])
            del buffer[: end - start]
            start = end
            self._checked = False
            if starts_skippable(frame):  # skippable frames hold no payload
                continue
            if len(frame) > _INLINE_STORED_SHARE * self._output:
                self._frames.drain()  # outputs stay in order
                self._emit(self._inline(frame))
            else:
                self._frames.submit(frame, len(frame) + self._output)
        if not self._checked and len(buffer) >= _MAX_FRAME_HEADER:
            self._parallel_frame(buffer)

    def _parallel_frame(self, buffer: bytearray) -> bool:
        """Whether the frame at the start of ``buffer`` may be decoded on its own; if not,
        decoding switches to one stream from here."""
        if starts_skippable(buffer):
            self._checked = True
            return True
        try:
            size = zstandard.get_frame_parameters(bytes(buffer[:_MAX_FRAME_HEADER])).content_size
        except zstandard.ZstdError:  # a skippable frame, or a header still incomplete
            size = zstandard.CONTENTSIZE_UNKNOWN if len(buffer) >= _MAX_FRAME_HEADER else 0
        if size == zstandard.CONTENTSIZE_UNKNOWN or size > MAX_PARALLEL_FRAME_BYTES:
            assert self._frames is not None
            self._frames.drain()
            self._start_stream(bytes(buffer))
            buffer.clear()
            return False
        self._checked = len(buffer) >= _MAX_FRAME_HEADER
        self._output = size
        return True

    def _inline(self, frame: bytes) -> bytes:
        if self._decompressor is None:
            self._decompressor = zstandard.ZstdDecompressor()
        # the content size in the header (at most MAX_PARALLEL_FRAME_BYTES) bounds the output
        return cast("bytes", self._decompressor.decompress(frame))

    def _start_stream(self, head: bytes) -> None:
        self._stream = zstandard.ZstdDecompressor().stream_writer(
            cast("IO[bytes]", _Counted(self)), write_size=DECODE_PIECE_BYTES, closefd=False
        )
        if head:
            self._stream.write(head)

    def _emit(self, data: bytes) -> None:
        self._file.write(data)
        self.written += len(data)

    def finish(self) -> None:
        """Check that a compressed stream ended between frames, flush, and (for a path)
        rename the temporary file to the destination."""
        if self._tracker is not None and not self._tracker.at_boundary:
            raise DecodeError("truncated zstd data: the object ended inside a frame")
        if self._frames is not None:
            self._frames.drain()
            self._frames.close()
        self._file.flush()
        if self._temp is not None and self._path is not None:
            self._file.close()
            os.replace(self._temp, self._path)
            self._temp = None

    def discard(self) -> None:
        """After a failure: stop the decoding threads, close and remove the temporary file
        (a caller's file stays open, holding what was written)."""
        if self._frames is not None:
            self._frames.close()
        if self._temp is not None:
            self._file.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)
            self._temp = None


def _take_batch(chunks: list[bytes]) -> bytes:
    """Pop chunks off the end of ``chunks`` (reversed) up to about ``DOWNLOAD_WRITE_BYTES``,
    joined: zstd's stream writer and the file get large writes, not one per network read."""
    first = chunks.pop()
    if len(first) >= DOWNLOAD_WRITE_BYTES or not chunks:
        return first
    batch, size = [first], len(first)
    while chunks and size < DOWNLOAD_WRITE_BYTES:
        batch.append(chunks.pop())
        size += len(batch[-1])
    return b"".join(batch)


class _ParallelFrames:
    """Whole zstd frames decoded on a pool of threads; outputs handed to ``emit`` in order.
    At most ``threads`` frames are in flight (memory: that many frames and their output)."""

    def __init__(
        self, emit: Callable[[bytes], None], threads: int, room: Callable[[], int]
    ) -> None:
        self._emit = emit
        self._threads = threads
        self._room = room
        self._pool = ThreadPoolExecutor(threads, "objectstore-decode")
        self._pending: deque[tuple[Future[bytes], int]] = deque()
        self._local = threading.local()
        self.held = 0  # stored bytes plus declared output of the frames in flight

    def _decode(self, frame: bytes) -> bytes:
        decompressor = getattr(self._local, "decompressor", None)
        if decompressor is None:  # one per thread: a context serves one caller at a time
            decompressor = self._local.decompressor = zstandard.ZstdDecompressor()
        # the header's content size (checked to be at most MAX_PARALLEL_FRAME_BYTES) bounds
        # the output; zstd verifies it and the frame's checksum
        return decompressor.decompress(frame)

    def submit(self, frame: bytes, cost: int) -> None:
        """Decode ``frame`` on a thread once it fits: at most ``threads`` frames in flight,
        and their ``cost`` (stored bytes plus output) within ``room()`` (one always fits)."""
        while self._pending and (
            len(self._pending) >= self._threads or self.held + cost > self._room()
        ):
            self._emit(self._take())
        self._pending.append((self._pool.submit(self._decode, frame), cost))
        self.held += cost

    def _take(self) -> bytes:
        future, cost = self._pending.popleft()
        self.held -= cost
        try:
            return future.result()
        except zstandard.ZstdError as exc:
            raise DecodeError(f"invalid zstd data: {exc}") from None

    def drain(self) -> None:
        while self._pending:
            self._emit(self._take())

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
        self._pending.clear()
        self.held = 0


class _Counted:
    """The stream decoder's output side: every decoded piece goes to the sink's file."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def write(self, data: bytes) -> int:
        self._sink._emit(data)
        return len(data)
