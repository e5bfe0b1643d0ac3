"""A chunk buffer giving ``read(n)`` semantics over a stream of decoded chunks (no I/O)."""

from __future__ import annotations

from collections import deque

__all__ = ["ChunkBuffer", "Slicer"]


class ChunkBuffer:
    """FIFO of byte chunks; takes whole chunks or exact sizes without joining more than needed."""

    def __init__(self) -> None:
        self._chunks: deque[bytes] = deque()
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def push(self, data: bytes) -> None:
        """Append a chunk (empty chunks are dropped)."""
        if data:
            self._chunks.append(data)
            self._size += len(data)

    def take_chunk(self) -> bytes:
        """The oldest chunk, whole (``b""`` when empty)."""
        if not self._chunks:
            return b""
        chunk = self._chunks.popleft()
        self._size -= len(chunk)
        return chunk

    def take(self, size: int) -> bytes:
        """Up to ``size`` bytes (everything when ``size < 0``)."""
        if size < 0 or size >= self._size:
            data = b"".join(self._chunks)
            self._chunks.clear()
            self._size = 0
            return data
        parts: list[bytes] = []
        needed = size
        while needed:
            chunk = self._chunks.popleft()
            if len(chunk) > needed:
                parts.append(chunk[:needed])
                self._chunks.appendleft(chunk[needed:])
                needed = 0
            else:
                parts.append(chunk)
                needed -= len(chunk)
        self._size -= size
        return parts[0] if len(parts) == 1 else b"".join(parts)


class Slicer:
    """The rest of one chunk, handed out in slices.

    Slicing ``data[size:]`` on every read would copy the remainder each time (a 1 MiB network
    chunk read 64 KiB at a time would be copied 16 times); an offset copies each byte once.
    """

    def __init__(self) -> None:
        self._data = b""
        self._pos = 0

    def __bool__(self) -> bool:
        return self._pos < len(self._data)

    def load(self, data: bytes) -> None:
        """Start handing out ``data``."""
        self._data, self._pos = data, 0

    def take(self, size: int) -> bytes:
        """Up to ``size`` bytes of the chunk (the rest when ``size < 0``)."""
        data, pos = self._data, self._pos
        end = len(data) if size < 0 else min(pos + size, len(data))
        self._pos = end
        if pos == 0 and end == len(data):
            self._data = b""
            return data
        return data[pos:end]
