"""Ranged downloads, without I/O: the destination check, the parts of an object, what each
ranged response must say, and aggregated progress.

The server never sends an object's size outside ``Content-Range`` (HEAD has no length, a
200 GET is chunked), so ``Session.download`` asks for the first part with
``Range: bytes=0-<part_size - 1>``: a 206 names the stored size T, and the rest is split into
parts of ``part_size`` stored bytes fetched in parallel. A 200 (a server or proxy that
ignores ``Range``) carries the whole object: it is streamed as is. Ranges address the stored
bytes, so a compressed object is fetched compressed and decoded in order.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import attrs

from .._constants import HEADER_TIME_CREATED
from .._exceptions import InvalidInput, TransportError
from . import ranges
from .validate import check_key

__all__ = [
    "Destination",
    "MemoryBudget",
    "Part",
    "RangeCheck",
    "check_destination",
    "check_download",
    "content_range",
    "split_parts",
]


@attrs.frozen
class Destination:
    """Where a download goes: a path (written to a temporary file beside it, renamed at the
    end) or a caller's binary file (written from its current position)."""

    path: Path | None
    file: IO[bytes] | None


def check_destination(destination: object) -> Destination:
    """Validate a download destination before any network call (InvalidInput if unusable)."""
    if isinstance(destination, (str, os.PathLike)):
        name = os.fspath(destination)
        if not isinstance(name, str):
            raise InvalidInput("destination must be a str path or os.PathLike of str")
        if not name:
            raise InvalidInput("destination must not be an empty path")
        path = Path(name)
        if path.is_dir():
            raise InvalidInput(f"destination {str(path)!r} is a directory")
        parent = path.parent
        if not parent.is_dir():
            raise InvalidInput(f"destination directory {str(parent)!r} does not exist")
        return Destination(path, None)
    write = getattr(destination, "write", None)
    if not callable(write):
        raise InvalidInput(
            "destination must be a path or a writable binary file, got "
            f"{type(destination).__name__}"
        )
    text = isinstance(destination, io.TextIOBase) or "b" not in getattr(destination, "mode", "b")
    if text:
        raise InvalidInput("destination must be opened in binary mode ('wb'), not text mode")
    if getattr(destination, "closed", False):
        raise InvalidInput("destination file is closed")
    writable = getattr(destination, "writable", None)
    if callable(writable) and not writable():
        raise InvalidInput("destination file is not writable")
    return Destination(None, destination)  # type: ignore[arg-type]


@attrs.frozen
class Part:
    """Stored bytes ``start..end`` (inclusive) of an object."""

    start: int
    end: int

    @property
    def size(self) -> int:
        """How many stored bytes the part holds."""
        return self.end - self.start + 1

    @property
    def header(self) -> str:
        """The ``Range`` header asking for the part."""
        return f"bytes={self.start}-{self.end}"


def first_part(part_size: int) -> Part:
    """The range the first GET asks for: one part from the start (or less, if the object is
    smaller; the answer names the size)."""
    return Part(0, part_size - 1)


def split_parts(total: int, start: int, part_size: int) -> list[Part]:
    """Stored bytes ``start..total-1`` in parts of at most ``part_size``."""
    return [Part(at, min(at + part_size, total) - 1) for at in range(start, total, part_size)]


def content_range(status: int, headers: Mapping[str, str]) -> tuple[int, int, int] | None:
    """``(start, end, total)`` of a 206 response, else None."""
    if status != 206:
        return None
    return ranges.content_range(headers.get("content-range", ""))


@attrs.frozen
class RangeCheck:
    """What every ranged response of one download must agree on: the stored size and the
    version (``x-sn-time-created``); a different answer means the object was replaced
    while its parts were read, which would splice two versions."""

    total: int
    created: str | None
    method: str
    path: str

    def check(self, part: Part, status: int, headers: Mapping[str, str]) -> None:
        """Raise a TransportError unless the response is exactly ``part`` of this object."""
        found = content_range(status, headers)
        created = headers.get(HEADER_TIME_CREATED)
        if found is not None and found[2] != self.total:
            reason = f"its stored size changed from {self.total} to {found[2]} bytes"
        elif created != self.created:
            reason = "the object was replaced during the download"
        elif found != (part.start, part.end, self.total):
            reason = (
                f"the server answered {status} "
                f"(Content-Range {headers.get('content-range')!r}) to Range {part.header}"
            )
        else:
            return
        raise self.error(f"could not read bytes {part.start}-{part.end}: {reason}")

    def error(self, detail: str) -> TransportError:
        """A TransportError about this download."""
        return TransportError(
            f"Objectstore request {self.method} {self.path} failed: {detail}",
            method=self.method,
            path=self.path,
        )


@attrs.define
class MemoryBudget:
    """The bytes one download holds, against ``limit`` (``TransferConfig.max_memory``):
    ``ranges``, the stored bytes of the ranges started and not yet handed to the
    destination (reserved when a range starts, released as the sink consumes them), and
    ``decoding``, what the decoder holds (the frame being received, the frames being decoded
    and their declared output). One range and one frame are always let through, so a
    download progresses whatever the limit."""

    limit: int
    ranges: int = 0
    decoding: int = 0

    def may_start(self, size: int) -> bool:
        """Whether a range of ``size`` stored bytes may start now."""
        return self.ranges == 0 or self.ranges + self.decoding + size <= self.limit

    def decode_room(self) -> int:
        """The bytes the decoder may hold now: what the ranges leave."""
        return self.limit - self.ranges


def parts_after_first(total: int, first: Part, part_size: int) -> list[Part]:
    """The parts still to fetch once the first answer named the stored size ``total``."""
    return split_parts(total, first.end + 1, part_size)


def check_download(key: str, destination: object) -> Destination:
    """Validate ``Session.download``'s key and destination before any network call."""
    check_key(key)
    return check_destination(destination)
