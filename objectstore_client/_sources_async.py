"""Reading upload sources: one place that turns each kind of source (bytes, a path, a binary
file, an iterable of bytes and, in the asyncio client, an async iterable) into its size and
chunks, and those into request bodies.

In the asyncio client, file reads and the compression of large chunks run in worker threads,
so the event loop is never blocked for a whole chunk.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Callable
from typing import IO, Any

from ._concurrency_async import iterate, to_thread
from ._constants import UPLOAD_CHUNK_BYTES
from ._core.sources import BodySpec, Chunk, CountingEncoder, check_binary, check_chunk
from ._exceptions import InvalidInput

__all__ = ["async_request_body", "open_source", "read_exactly"]

#: Chunks at least this large are compressed off the event loop.
_OFFLOAD_BYTES = 256 * 1024


async def _slices(view: memoryview) -> AsyncIterator[memoryview]:
    for start in range(0, len(view), UPLOAD_CHUNK_BYTES):
        yield view[start : start + UPLOAD_CHUNK_BYTES]


async def _file_chunks(file: IO[bytes]) -> AsyncIterator[Chunk]:
    while True:
        chunk = await to_thread(file.read, UPLOAD_CHUNK_BYTES)
        if not chunk:
            return
        yield check_binary(chunk)


def _open(path: str | os.PathLike[str]) -> IO[bytes]:
    return open(path, "rb")


async def _path_chunks(path: str | os.PathLike[str]) -> AsyncIterator[Chunk]:
    file = await to_thread(_open, path)
    try:
        async for chunk in _file_chunks(file):
            yield chunk
    finally:
        await to_thread(file.close)


async def _checked(items: AsyncIterator[Any]) -> AsyncIterator[Chunk]:
    async for chunk in items:
        yield check_chunk(chunk)


def _remaining(file: IO[bytes], start: int) -> int:
    """Bytes from ``start`` to the end of a seekable file (left positioned at ``start``)."""
    try:
        size = os.fstat(file.fileno()).st_size
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        size = file.seek(0, io.SEEK_END)
    file.seek(start)
    return size - start


async def open_source(spec: BodySpec) -> tuple[int | None, AsyncIterator[Chunk]]:
    """The source's size (None when unknown) and its chunks, read lazily from the start
    (a seekable file is rewound to where it was when the upload began)."""
    if spec.kind == "bytes":
        return len(spec.source), _slices(spec.source)
    if spec.kind == "path":
        try:
            size = (await to_thread(os.stat, spec.source)).st_size
        except OSError as exc:
            raise InvalidInput(f"cannot read {os.fspath(spec.source)!r}: {exc.strerror}") from exc
        return size, _path_chunks(spec.source)
    if spec.kind == "file":
        if spec.start is None:
            return None, _file_chunks(spec.source)
        size = await to_thread(_remaining, spec.source, spec.start)
        return size, _file_chunks(spec.source)
    # ``iterate`` runs now: the sync side refuses an async iterable before any I/O
    return None, _checked(iterate(spec.source))


async def _encode(
    spec: BodySpec, chunks: AsyncIterator[Chunk], size: int | None
) -> AsyncIterator[bytes]:
    encoder = CountingEncoder(spec, size)
    async for chunk in chunks:
        if encoder.compressing and len(chunk) >= _OFFLOAD_BYTES:
            out = await to_thread(encoder.feed, chunk)
        else:
            out = encoder.feed(chunk)
        spec.counter.report()  # here, not in feed: on the caller's side of to_thread
        if out:
            yield out
    tail = encoder.flush()
    if tail:
        yield tail


async def async_request_body(spec: BodySpec) -> tuple[Any, dict[str, str]]:
    """The request ``content`` for one attempt, plus headers it implies (Content-Length)."""
    data = spec.one_shot()
    if data is not None:
        return data, {}
    size, chunks = await open_source(spec)
    headers = {} if spec.compress or size is None else {"Content-Length": str(size)}
    return _encode(spec, chunks, size), headers


def read_exactly(read: Callable[[int], Any], size: int) -> bytes:
    """``size`` bytes from a blocking ``read`` (InvalidInput if the source ends early); the
    asyncio client calls it in a worker thread."""
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = read(left)
        if not chunk:
            break
        chunks.append(bytes(check_binary(chunk)))
        left -= len(chunk)
    data = b"".join(chunks)
    if len(data) != size:
        raise InvalidInput(f"content_length is {size} but the source has only {len(data)} bytes")
    return data
