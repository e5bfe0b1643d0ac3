"""Where ``Session.download`` writes: the destination file, fed stored bytes in order.

A compressed object is decoded on the way (zstd's streaming decoder writes its output in
pieces of ``DECODE_PIECE_BYTES``, so a highly compressible part never expands in memory);
the frame tracker tells a stream cut inside a frame from a complete one. A path is written
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
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any, cast

import zstandard

from ._constants import DECODE_PIECE_BYTES, MAX_PARALLEL_FRAME_BYTES
from ._core.download import Destination
from ._core.frames import FrameTracker
from ._exceptions import DecodeError

__all__ = ["Sink"]

#: Enough bytes for any zstd frame header (magic, descriptor, window, dictionary id, size).
_MAX_FRAME_HEADER = 18


class Sink:
    """Writes stored bytes in order; ``finish`` checks and closes, ``discard`` cleans up.

    With ``threads > 1`` a compressed object is decoded frame by frame on that many threads
    (zstd releases the GIL), outputs written in order, as long as every frame declares a
    content size of at most ``MAX_PARALLEL_FRAME_BYTES`` (the SDK's frames hold 8 MiB); from
    the first frame that does not, the rest is decoded as one stream.
    """

    def __init__(self, destination: Destination, decode: bool, threads: int = 1) -> None:
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
        if decode and threads > 1:
            self._frames = _ParallelFrames(self._emit, threads)
        elif decode:
            self._start_stream(b"")

    def write(self, chunks: Sequence[bytes]) -> None:
        """Append the next stored bytes (decoded when the object is compressed)."""
        if self._stream is not None and len(chunks) > 1:
            # zstd's stream writer hands out the output of every write() call: one call per
            # batch gives large file writes instead of one small one per network chunk
            chunks = [b"".join(chunks)]
        for chunk in chunks:
            self.stored += len(chunk)
            if self._tracker is None:
                self._file.write(chunk)
                self.written += len(chunk)
                continue
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
            frame = bytes(buffer[: end - start])
            del buffer[: end - start]
            start = end
            self._checked = False
            if not _skippable(frame):  # skippable frames hold no payload
                self._frames.submit(frame)
        if not self._checked and len(buffer) >= _MAX_FRAME_HEADER:
            self._parallel_frame(buffer)

    def _parallel_frame(self, buffer: bytearray) -> bool:
        """Whether the frame at the start of ``buffer`` may be decoded on its own; if not,
        decoding switches to one stream from here."""
        if _skippable(buffer):
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
        return True

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


def _skippable(data: bytes | bytearray) -> bool:
    """Whether ``data`` starts with a skippable frame's magic number (0x184D2A5?)."""
    return len(data) >= 4 and int.from_bytes(data[:4], "little") & 0xFFFFFFF0 == 0x184D2A50


class _ParallelFrames:
    """Whole zstd frames decoded on a pool of threads; outputs handed to ``emit`` in order.
    At most ``threads`` frames are in flight (memory: that many frames and their output)."""

    def __init__(self, emit: Callable[[bytes], None], threads: int) -> None:
        self._emit = emit
        self._threads = threads
        self._pool = ThreadPoolExecutor(threads, "objectstore-decode")
        self._pending: deque[Future[bytes]] = deque()
        self._local = threading.local()

    def _decode(self, frame: bytes) -> bytes:
        decompressor = getattr(self._local, "decompressor", None)
        if decompressor is None:  # one per thread: a context serves one caller at a time
            decompressor = self._local.decompressor = zstandard.ZstdDecompressor()
        # the header's content size (checked to be at most MAX_PARALLEL_FRAME_BYTES) bounds
        # the output; zstd verifies it and the frame's checksum
        return decompressor.decompress(frame)

    def submit(self, frame: bytes) -> None:
        self._pending.append(self._pool.submit(self._decode, frame))
        while len(self._pending) > self._threads:
            self._emit(self._take())

    def _take(self) -> bytes:
        try:
            return self._pending.popleft().result()
        except zstandard.ZstdError as exc:
            raise DecodeError(f"invalid zstd data: {exc}") from None

    def drain(self) -> None:
        while self._pending:
            self._emit(self._take())

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
        self._pending.clear()


class _Counted:
    """The stream decoder's output side: every decoded piece goes to the sink's file."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def write(self, data: bytes) -> int:
        self._sink._emit(data)
        return len(data)
