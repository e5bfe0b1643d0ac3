"""The first bytes of a put's contents, looked at without consuming them, for adaptive
compression (``_core.adaptive`` decides). Blocking file reads: the asyncio driver calls
``adapt`` in a worker thread for paths and files.
"""

from __future__ import annotations

import io
import os

from ._constants import ADAPTIVE_PROBE_BYTES
from ._core.adaptive import decide
from ._core.put_encoding import PutEncoding

__all__ = ["adapt", "in_memory"]


def in_memory(contents: object) -> bool:
    """Whether the contents are bytes (looked at without any I/O)."""
    return isinstance(contents, (bytes, bytearray, memoryview))


def _sample(contents: object) -> bytes | memoryview | None:
    """Up to ``ADAPTIVE_PROBE_BYTES`` from the start of ``contents``, or None when they
    cannot be looked at without consuming them (iterators, unseekable files) or not at all
    (the put then reports that itself)."""
    if in_memory(contents):
        return memoryview(contents).cast("B")[:ADAPTIVE_PROBE_BYTES]  # type: ignore[arg-type]
    try:
        if isinstance(contents, os.PathLike):
            with open(contents, "rb") as file:
                return file.read(ADAPTIVE_PROBE_BYTES)
        read = getattr(contents, "read", None)
        if read is None or isinstance(contents, io.TextIOBase) or not contents.seekable():  # type: ignore[attr-defined]
            return None
        position = contents.tell()  # type: ignore[attr-defined]
        data = read(ADAPTIVE_PROBE_BYTES)
        contents.seek(position)  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return None
    return data if isinstance(data, bytes) else None


def adapt(encoding: PutEncoding, contents: object) -> PutEncoding:
    """``encoding``, or no compression when the start of ``contents`` shows that zstd
    would gain (almost) nothing."""
    sample = _sample(contents)
    if sample is None or decide(sample).compress:
        return encoding
    return PutEncoding("none")
