"""zstd as a codec: an encoder and a multi-frame decoder, each ``feed(chunk) -> bytes`` + ``flush``.

The drivers wrap them in small generators; nothing here reads or writes I/O.
"""

from __future__ import annotations

import zstandard

from .._constants import DECODE_INPUT_SLICE_BYTES, ZSTD_LEVEL

__all__ = ["DecodeError", "ZstdDecoder", "ZstdEncoder", "compress_once"]


class DecodeError(ValueError):
    """The stored bytes are not a complete zstd stream."""


class ZstdEncoder:
    """Streaming zstd compression: one frame, fed chunk by chunk.

    ``threads=-1`` uses every core (worth it for large compressible inputs); ``size`` records
    the content size in the frame header when known.
    """

    def __init__(self, *, threads: int = 0, size: int = -1) -> None:
        self._compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, threads=threads)
        self._obj = self._compressor.compressobj(size=size)

    def feed(self, chunk: bytes | bytearray | memoryview) -> bytes:
        """Compress ``chunk``; returns whatever compressed output is ready (maybe ``b""``)."""
        return self._obj.compress(chunk)

    def flush(self) -> bytes:
        """End the frame; returns the remaining output."""
        return self._obj.flush()


def compress_once(data: bytes | memoryview) -> bytes:
    """Compress a small input in one call (the frame records its size)."""
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)


class ZstdDecoder:
    """Decode a stream of one or more concatenated zstd frames, chunk by chunk.

    Input is fed in slices of ``DECODE_INPUT_SLICE_BYTES`` so a single feed yields bounded
    pieces; :meth:`feed` returns a list of decoded pieces (maybe empty).
    """

    def __init__(self) -> None:
        self._dctx = zstandard.ZstdDecompressor()
        self._obj = self._dctx.decompressobj()
        self._in_frame = False

    def feed(self, chunk: bytes | memoryview) -> list[bytes]:
        """Decode ``chunk``; returns the decoded pieces produced so far."""
        out: list[bytes] = []
        view = memoryview(chunk)
        for start in range(0, len(view), DECODE_INPUT_SLICE_BYTES):
            self._feed_slice(bytes(view[start : start + DECODE_INPUT_SLICE_BYTES]), out)
        return out

    def _feed_slice(self, data: bytes, out: list[bytes]) -> None:
        while data:
            if self._obj.eof:
                self._obj = self._dctx.decompressobj()
            try:
                piece = self._obj.decompress(data)
            except zstandard.ZstdError as exc:
                raise DecodeError(f"invalid zstd data: {exc}") from exc
            self._in_frame = not self._obj.eof
            if piece:
                out.append(piece)
            data = self._obj.unused_data if self._obj.eof else b""

    def flush(self) -> None:
        """Check that the stream ended on a frame boundary."""
        if self._in_frame:
            raise DecodeError("truncated zstd stream: the last frame is incomplete")
