"""A small incremental ``multipart/form-data`` parser and writer (no I/O).

The parser is fed arbitrary chunks and yields events, so a batch request never has to be
held in memory as a whole; part bodies are handed out in pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "FormDataError",
    "FormDataParser",
    "PartData",
    "PartEnd",
    "PartStart",
    "boundary_from_content_type",
    "encode_part",
]

MAX_HEADER_BYTES = 64 * 1024

Header = tuple[bytes, bytes]


class FormDataError(ValueError):
    """The body is not valid multipart."""


@dataclass(frozen=True)
class PartStart:
    headers: list[Header]


@dataclass(frozen=True)
class PartData:
    data: bytes


@dataclass(frozen=True)
class PartEnd:
    pass


Event = PartStart | PartData | PartEnd

_BOUNDARY = re.compile(rb';\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))', re.IGNORECASE)


def boundary_from_content_type(value: bytes | None) -> bytes | None:
    """The boundary of a ``multipart/form-data`` content type, else ``None``."""
    if value is None:
        return None
    essence = value.split(b";", 1)[0].strip().lower()
    if essence != b"multipart/form-data":
        return None
    match = _BOUNDARY.search(value)
    if match is None:
        return None
    boundary = match.group(1) or match.group(2)
    return boundary if 0 < len(boundary) <= 200 else None


class FormDataParser:
    """Feed bytes, get :class:`PartStart` / :class:`PartData` / :class:`PartEnd` events."""

    def __init__(self, boundary: bytes) -> None:
        self._delim = b"\r\n--" + boundary
        self._buf = b"\r\n"  # so that the first delimiter looks like every other one
        self._state = "preamble"

    @property
    def done(self) -> bool:
        return self._state == "end"

    def feed(self, data: bytes) -> list[Event]:
        if self._state == "end":
            return []
        self._buf += data
        events: list[Event] = []
        while self._step(events):
            pass
        return events

    def finish(self) -> None:
        """Call at the end of the body: raises if the closing delimiter never came."""
        if self._state != "end":
            raise FormDataError("incomplete multipart stream")

    def _step(self, events: list[Event]) -> bool:
        buf = self._buf
        if self._state == "preamble":
            idx = buf.find(self._delim)
            if idx < 0:
                self._buf = buf[-len(self._delim) :]
                return False
            self._buf = buf[idx + len(self._delim) :]
            self._state = "after_delim"
            return True
        if self._state == "after_delim":
            if len(buf) < 2:
                return False
            if buf.startswith(b"--"):
                self._state = "end"
                self._buf = b""
                return False
            eol = buf.find(b"\r\n")
            if eol < 0:
                if len(buf) > 1024:
                    raise FormDataError("invalid delimiter line")
                return False
            if buf[:eol].strip(b" \t"):
                raise FormDataError("invalid delimiter line")
            self._buf = buf[eol + 2 :]
            self._state = "headers"
            return True
        if self._state == "headers":
            end = buf.find(b"\r\n\r\n")
            if buf.startswith(b"\r\n"):
                end, skip = 0, 2
            else:
                skip = 4
            if end < 0:
                if len(buf) > MAX_HEADER_BYTES:
                    raise FormDataError("part headers too large")
                return False
            events.append(PartStart(_parse_headers(buf[:end])))
            self._buf = buf[end + skip :]
            self._state = "body"
            return True
        # body
        idx = buf.find(self._delim)
        if idx < 0:
            keep = len(self._delim) - 1
            if len(buf) > keep:
                events.append(PartData(buf[:-keep]))
                self._buf = buf[-keep:]
            return False
        if idx:
            events.append(PartData(buf[:idx]))
        events.append(PartEnd())
        self._buf = buf[idx + len(self._delim) :]
        self._state = "after_delim"
        return True


def _parse_headers(block: bytes) -> list[Header]:
    headers: list[Header] = []
    for line in block.split(b"\r\n"):
        if not line:
            continue
        name, sep, value = line.partition(b":")
        if not sep or not name.strip() or name != name.strip():
            raise FormDataError("invalid part header")
        headers.append((name.lower(), value.strip(b" \t")))
    return headers


def encode_part(boundary: bytes, headers: Iterable[Header], body: bytes) -> bytes:
    """One response part: delimiter, header lines, blank line, body, CRLF."""
    lines = [b"--" + boundary]
    lines.extend(name + b": " + value for name, value in headers)
    return b"\r\n".join(lines) + b"\r\n\r\n" + body + b"\r\n"
