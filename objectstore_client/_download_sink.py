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
import uuid
from collections.abc import Sequence
from typing import IO, Any, cast

import zstandard

from ._constants import DECODE_PIECE_BYTES
from ._core.download import Destination
from ._core.frames import FrameTracker
from ._exceptions import DecodeError

__all__ = ["Sink"]


class Sink:
    """Writes stored bytes in order; ``finish`` checks and closes, ``discard`` cleans up."""

    def __init__(self, destination: Destination, decode: bool) -> None:
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
        self._tracker: FrameTracker | None = None
        self._decoder: Any = None
        if decode:
            self._tracker = FrameTracker()
            self._decoder = zstandard.ZstdDecompressor().stream_writer(
                cast("IO[bytes]", _Counted(self)), write_size=DECODE_PIECE_BYTES, closefd=False
            )

    def write(self, chunks: Sequence[bytes]) -> None:
        """Append the next stored bytes (decoded when the object is compressed)."""
        for chunk in chunks:
            self.stored += len(chunk)
            if self._decoder is None:
                self._file.write(chunk)
                self.written += len(chunk)
                continue
            assert self._tracker is not None
            try:
                self._tracker.feed(chunk)
                self._decoder.write(chunk)
            except (ValueError, zstandard.ZstdError) as exc:
                raise DecodeError(f"invalid zstd data: {exc}") from None

    def _emit(self, data: bytes) -> None:
        self._file.write(data)
        self.written += len(data)

    def finish(self) -> None:
        """Check that a compressed stream ended between frames, flush, and (for a path)
        rename the temporary file to the destination."""
        if self._tracker is not None and not self._tracker.at_boundary:
            raise DecodeError("truncated zstd data: the object ended inside a frame")
        self._file.flush()
        if self._temp is not None and self._path is not None:
            self._file.close()
            os.replace(self._temp, self._path)
            self._temp = None

    def discard(self) -> None:
        """After a failure: close and remove the temporary file (a caller's file stays open,
        holding what was written)."""
        if self._temp is not None:
            self._file.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)
            self._temp = None


class _Counted:
    """The decoder's output side: every decoded piece goes to the sink's file, counted."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def write(self, data: bytes) -> int:
        self._sink._emit(data)
        return len(data)
