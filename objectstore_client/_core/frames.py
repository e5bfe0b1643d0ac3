"""Where zstd frames end in a compressed byte stream, without decompressing it.

python-zstandard's stream reader returns ``b""`` both at a clean end and when its input stops
inside a frame, so a body cut short looks like a shorter object. This tracker walks the frame
structure (RFC 8878: frame headers, block headers, checksums, skippable frames) as the
compressed bytes go by, skipping block contents, so the decoder can tell the two apart. It is
cheap: work per block, not per byte. No I/O happens here.
"""

from __future__ import annotations

__all__ = ["FrameTracker", "starts_skippable"]

_ZSTD_MAGIC = 0xFD2FB528
_SKIPPABLE_MASK = 0xFFFFFFF0
_SKIPPABLE_MAGIC = 0x184D2A50


def starts_skippable(data: bytes | bytearray) -> bool:
    """Whether ``data`` starts with a skippable frame's magic number (0x184D2A5?)."""
    return (
        len(data) >= 4 and int.from_bytes(data[:4], "little") & _SKIPPABLE_MASK == _SKIPPABLE_MAGIC
    )


class FrameTracker:
    """Feed compressed bytes in order; ``at_boundary`` says whether they end between frames."""

    def __init__(self) -> None:
        self._pending = bytearray()  # bytes of the header being parsed
        self._need = 4  # header bytes wanted before the next step
        self._skip = 0  # content bytes still to pass over
        self._state = "magic"
        self._checksum = False
        self._frames = 0
        self._offset = 0  # bytes fed before the current call
        self._at = 0  # stream offset just past the header or content being handled
        #: Stream offsets where a frame ended (the caller may clear it once consumed).
        self.boundaries: list[int] = []

    @property
    def at_boundary(self) -> bool:
        """True when everything fed so far consists of whole frames."""
        return self._state == "magic" and not self._pending and not self._skip

    @property
    def frames(self) -> int:
        """How many complete frames (skippable ones included) went by."""
        return self._frames

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Account for the next compressed bytes; raises ValueError on a malformed stream."""
        view = memoryview(data).cast("B")
        pos = 0
        while pos < len(view):
            if self._skip:
                step = min(self._skip, len(view) - pos)
                self._skip -= step
                pos += step
                if not self._skip and self._state == "content":
                    self._at = self._offset + pos
                    self._end_of_content()
                continue
            take = min(self._need - len(self._pending), len(view) - pos)
            self._pending += view[pos : pos + take]
            pos += take
            if len(self._pending) == self._need:
                header, self._pending = bytes(self._pending), bytearray()
                self._at = self._offset + pos
                self._step(header)
        self._offset += len(view)

    def _step(self, header: bytes) -> None:
        state = self._state
        if state == "magic":
            magic = int.from_bytes(header, "little")
            if magic == _ZSTD_MAGIC:
                self._state, self._need = "descriptor", 1
            elif magic & _SKIPPABLE_MASK == _SKIPPABLE_MAGIC:
                self._state, self._need = "skippable-size", 4
            else:
                raise ValueError(f"not a zstd frame (magic {magic:#010x})")
        elif state == "skippable-size":
            self._skip = int.from_bytes(header, "little")
            self._state = "content"
            self._last_block = True
            self._checksum = False
            if not self._skip:
                self._end_of_content()
        elif state == "descriptor":
            descriptor = header[0]
            fcs_flag, single_segment = descriptor >> 6, bool(descriptor & 0x20)
            self._checksum = bool(descriptor & 0x04)
            window = 0 if single_segment else 1
            dict_id = (0, 1, 2, 4)[descriptor & 0x03]
            fcs = (1 if single_segment else 0, 2, 4, 8)[fcs_flag]
            rest = window + dict_id + fcs
            if rest:
                self._state, self._need = "header-rest", rest
            else:
                self._state, self._need = "block", 3
        elif state == "header-rest":
            self._state, self._need = "block", 3
        elif state == "block":
            block = int.from_bytes(header, "little")
            self._last_block = bool(block & 1)
            block_type, size = (block >> 1) & 0x03, block >> 3
            if block_type == 3:
                raise ValueError("reserved zstd block type")
            self._skip = 1 if block_type == 1 else size
            self._state = "content"
            if not self._skip:
                self._end_of_content()
        elif state == "checksum":
            self._end_of_frame()

    def _end_of_content(self) -> None:
        if not self._last_block:
            self._state, self._need = "block", 3
        elif self._checksum:
            self._state, self._need = "checksum", 4
        else:
            self._end_of_frame()

    def _end_of_frame(self) -> None:
        self._frames += 1
        self.boundaries.append(self._at)
        self._state, self._need = "magic", 4
