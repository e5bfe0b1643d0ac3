"""Upload sources: the one place that knows their kinds (bytes, a path, a binary file, an
iterable or async iterable of bytes), what each allows (replay, a known size, one shot),
and what a chunk read from them must be. Sans-I/O: the drivers read the sources
(``_sources_async`` and its generated twin) with the checks made here.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterable, Callable, Iterable
from typing import Any, Literal, Protocol

import attrs

from .._constants import MULTITHREAD_COMPRESSION_MIN_BYTES, ONE_SHOT_MAX_BYTES
from .._exceptions import InvalidInput
from .codec import ZstdEncoder, compress_once

__all__ = [
    "BINARY_MODE",
    "AsyncContents",
    "BodyCounter",
    "BodySpec",
    "Chunk",
    "Contents",
    "CountingEncoder",
    "Readable",
    "SourceKind",
    "check_binary",
    "check_chunk",
    "classify_body",
    "part_bytes",
]

SourceKind = Literal["bytes", "path", "file", "iter", "aiter"]
#: One piece of an upload.
Chunk = bytes | bytearray | memoryview


class Readable(Protocol):
    """A binary file or stream: anything whose ``read(size)`` returns bytes."""

    def read(self, size: int = ..., /) -> bytes: ...


#: What ``put`` and ``upload`` send: bytes, a path, a binary file or stream, or an iterable
#: of byte chunks (``str`` and text files are refused: encode them first).
Contents = Chunk | os.PathLike[str] | Readable | Iterable[Chunk]
#: The asyncio client also takes async iterables of byte chunks.
AsyncContents = Contents | AsyncIterable[Chunk]
#: What a file that yields text is told.
BINARY_MODE = "contents must be opened in binary mode"


def check_binary(data: object) -> Chunk:
    """What a file's ``read`` returned, which must be bytes (the one binary-mode check)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return data
    raise InvalidInput(BINARY_MODE)


def check_chunk(chunk: object) -> Chunk:
    """An item of an iterable source, which must be bytes."""
    if isinstance(chunk, (bytes, bytearray, memoryview)):
        return chunk
    raise InvalidInput(f"iterable contents must yield bytes, got {type(chunk).__name__}")


def part_bytes(contents: object, content_length: int) -> bytes | None:
    """A part's body given as bytes (checked against ``content_length``); None for a
    binary file, which the driver reads (``read_exactly``)."""
    if isinstance(contents, (bytes, bytearray, memoryview)):
        data = bytes(contents)
        if len(data) != content_length:
            raise InvalidInput(
                "content_length must match the size of the provided payload: "
                f"content_length is {content_length} but contents has {len(data)} bytes"
            )
        return data
    if not hasattr(contents, "read"):
        raise InvalidInput(f"contents must be bytes or a binary file, got {type(contents)}")
    return None


@attrs.define
class BodyCounter:
    """Bytes read from the source and bytes sent, for the current attempt.

    ``on_read`` hears, at each :meth:`report`, how much more was read since the last one
    (negative when an attempt started over): the progress of a single streamed put while its
    body is sent. The drivers report from the code that hands the body to the network, so
    the callback runs where the caller expects it (the event loop for the asyncio client).
    """

    read: int = 0
    sent: int = 0
    on_read: Callable[[int], None] | None = None
    _reported: int = attrs.field(default=0, init=False)

    def restart(self) -> None:
        """A new attempt: nothing read or sent yet (what was reported is taken back)."""
        self.read = self.sent = 0
        self.report()

    def report(self) -> None:
        """Tell ``on_read`` what was read since the last report."""
        delta, self._reported = self.read - self._reported, self.read
        if delta and self.on_read is not None:
            self.on_read(delta)


@attrs.frozen(eq=False)
class BodySpec:
    """Where an upload's bytes come from and how they are encoded."""

    source: Any
    kind: SourceKind
    compress: bool
    #: start offset of a seekable file, to rewind on replay
    start: int | None = None
    counter: BodyCounter = attrs.field(factory=BodyCounter)
    #: the source already is zstd and is sent verbatim, labelled zstd
    precompressed: bool = False
    #: zstd worker threads (``TransferConfig.compress_threads``); None: every core for
    #: large sources of known size, else one
    threads: int | None = None

    @property
    def replayable(self) -> bool:
        """Bytes, paths and seekable files can be sent again; iterators cannot."""
        return self.kind in ("bytes", "path") or (self.kind == "file" and self.start is not None)

    def encoder(self, size: int | None) -> ZstdEncoder:
        """A fresh encoder for one attempt (multi-threaded for large known sizes)."""
        if self.threads is not None:
            threads = 0 if self.threads == 1 else self.threads
        else:
            large = size is not None and size >= MULTITHREAD_COMPRESSION_MIN_BYTES
            threads = -1 if large else 0
        return ZstdEncoder(threads=threads, size=-1 if size is None else size)

    def one_shot(self) -> bytes | None:
        """The whole body for small bytes sources (sent with a Content-Length), else None."""
        if self.kind != "bytes" or len(self.source) > ONE_SHOT_MAX_BYTES:
            return None
        data = bytes(self.source)
        self.counter.restart()
        self.counter.read = len(data)
        self.counter.report()
        body = compress_once(data) if self.compress else data
        self.counter.sent = len(body)
        return body


class CountingEncoder:
    """One upload attempt's body transform: counts source and sent bytes into the spec's
    counter while compressing (or passing through) chunk by chunk. Shared by both drivers;
    no I/O."""

    def __init__(self, spec: BodySpec, size: int | None) -> None:
        self._counter = spec.counter
        self._counter.restart()
        self._encoder = spec.encoder(size) if spec.compress else None

    @property
    def compressing(self) -> bool:
        """Whether ``feed`` does CPU work worth moving off an event loop."""
        return self._encoder is not None

    def feed(self, chunk: bytes | bytearray | memoryview) -> bytes:
        """The bytes to send for ``chunk`` (maybe ``b""`` while the compressor buffers)."""
        self._counter.read += len(chunk)
        out = self._encoder.feed(chunk) if self._encoder is not None else bytes(chunk)
        self._counter.sent += len(out)
        return out

    def flush(self) -> bytes:
        """The remaining bytes to send once the source is exhausted."""
        tail = self._encoder.flush() if self._encoder is not None else b""
        self._counter.sent += len(tail)
        return tail


def classify_body(contents: object, *, compress: bool) -> BodySpec:
    """Describe an upload source: bytes, a path, a binary file, or a (async) iterable of bytes."""
    if isinstance(contents, (bytes, bytearray, memoryview)):
        return BodySpec(memoryview(contents).cast("B"), "bytes", compress)
    if isinstance(contents, str):
        raise InvalidInput("contents must be bytes, a binary file, a path or an iterable of bytes")
    if isinstance(contents, os.PathLike):
        # kept as given (not os.fspath): a single put of an upload classifies it again
        return BodySpec(contents, "path", compress)
    if hasattr(contents, "read"):
        if isinstance(contents, io.TextIOBase):
            raise InvalidInput(f"{BINARY_MODE} (got a text file)")
        start: int | None = None
        try:
            if contents.seekable():  # type: ignore[attr-defined]
                start = contents.tell()  # type: ignore[attr-defined]
        except (AttributeError, OSError, ValueError):
            start = None
        return BodySpec(contents, "file", compress, start)
    if isinstance(contents, AsyncIterable):
        return BodySpec(contents, "aiter", compress)
    if isinstance(contents, Iterable):
        return BodySpec(contents, "iter", compress)
    raise InvalidInput(
        f"contents must be bytes, a binary file, a path or an iterable of bytes, "
        f"got {type(contents).__name__}"
    )
