"""Non-blocking byte streams: async upload bodies and the download AsyncPayload.

File reads and compression of large chunks run in worker threads (``asyncio.to_thread``), so
the event loop is never blocked for a whole chunk.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from types import TracebackType
from typing import IO, Any, NamedTuple

import httpx

from ._constants import DECODE_PIECE_BYTES, UPLOAD_CHUNK_BYTES
from ._core.codec import ZstdDecoder
from ._core.plan import BodySpec, CountingEncoder
from ._core.reader import ChunkBuffer, Slicer
from ._exceptions import InvalidInput, map_transport_error
from ._io_sync import _check_chunk, _remaining
from ._models import Metadata
from ._pool import origin

__all__ = ["AsyncGetResponse", "AsyncPayload", "async_request_body"]

#: Chunks at least this large are compressed in a worker thread.
_OFFLOAD_BYTES = 256 * 1024


async def _chunks_of(
    source: AsyncIterable[Any] | Iterable[Any],
) -> AsyncIterator[bytes | bytearray | memoryview]:
    if isinstance(source, AsyncIterable):
        async for chunk in source:
            yield _check_chunk(chunk)
    else:
        for chunk in source:
            yield _check_chunk(chunk)


async def _encode(
    spec: BodySpec, chunks: AsyncIterator[bytes | bytearray | memoryview], size: int | None
) -> AsyncIterator[bytes]:
    encoder = CountingEncoder(spec, size)
    async for chunk in chunks:
        if encoder.compressing and len(chunk) >= _OFFLOAD_BYTES:
            out = await asyncio.to_thread(encoder.feed, chunk)
        else:
            out = encoder.feed(chunk)
        if out:
            yield out
    tail = encoder.flush()
    if tail:
        yield tail


async def _slices(view: memoryview) -> AsyncIterator[memoryview]:
    for start in range(0, len(view), UPLOAD_CHUNK_BYTES):
        yield view[start : start + UPLOAD_CHUNK_BYTES]


async def _file_chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    while True:
        chunk = await asyncio.to_thread(file.read, UPLOAD_CHUNK_BYTES)
        if not chunk:
            return
        yield _check_chunk(chunk)  # type: ignore[misc]


async def _path_chunks(path: str) -> AsyncIterator[bytes]:
    file = await asyncio.to_thread(open, path, "rb")
    try:
        async for chunk in _file_chunks(file):
            yield chunk
    finally:
        await asyncio.to_thread(file.close)


async def async_request_body(spec: BodySpec) -> tuple[Any, dict[str, str]]:
    """The httpx ``content`` for one attempt, plus headers it implies (Content-Length)."""
    data = spec.one_shot()
    if data is not None:
        return data, {}
    size: int | None
    chunks: AsyncIterator[Any]
    if spec.kind == "bytes":
        size, chunks = len(spec.source), _slices(spec.source)
    elif spec.kind == "path":
        try:
            size = (await asyncio.to_thread(os.stat, spec.source)).st_size
        except OSError as exc:
            raise InvalidInput(f"cannot read {spec.source!r}: {exc.strerror}") from exc
        chunks = _path_chunks(spec.source)
    elif spec.kind == "file":
        if spec.start is not None:
            await asyncio.to_thread(spec.source.seek, spec.start)
        size = _remaining(spec.source, spec.start)
        chunks = _file_chunks(spec.source)
    else:
        size, chunks = None, _chunks_of(spec.source)
    headers = {} if spec.compress or size is None else {"Content-Length": str(size)}
    return _encode(spec, chunks, size), headers


async def _already_read(response: httpx.Response) -> AsyncIterator[bytes]:
    """A response built from bytes (e.g. by a mock transport) is already read."""
    yield response.content


class _BridgeSource:
    """The raw body as a blocking ``read(size)`` source, for a decoder in a worker thread.

    Each call waits for the event loop to fetch the next network chunk, so decompression runs
    off the loop while the socket stays in it.
    """

    def __init__(self, chunks: AsyncIterator[bytes], loop: asyncio.AbstractEventLoop) -> None:
        self._chunks = chunks
        self._loop = loop
        self._pending = Slicer()

    def read(self, size: int = -1, /) -> bytes:
        if not self._pending:
            future = asyncio.run_coroutine_threadsafe(anext(self._chunks, b""), self._loop)
            self._pending.load(future.result())
        return self._pending.take(size)


class AsyncPayload:
    """A downloaded object, streamed: ``await read()``, ``async for chunk``, ``async with``.

    Decompression (when requested) happens across zstd frames as you read, in a worker
    thread, in pieces of at most 1 MiB. Read it to the end or close it (``async with``
    does) to return the connection to the pool.
    """

    def __init__(self, response: httpx.Response, decode: bool) -> None:
        self._response = response
        self._chunks = (
            _already_read(response) if response.is_stream_consumed else response.aiter_raw()
        )
        self._decoder: ZstdDecoder | None = None
        if decode:
            source = _BridgeSource(self._chunks, asyncio.get_running_loop())
            self._decoder = ZstdDecoder(source)
        self._buffer = ChunkBuffer()
        self._eof = False
        self.closed = False

    async def _next_piece(self) -> bytes:
        if self._decoder is not None:
            return await asyncio.to_thread(self._decoder.read, DECODE_PIECE_BYTES)
        return await anext(self._chunks, b"")

    async def _pull(self) -> bool:
        if self._eof:
            return False
        try:
            piece = await self._next_piece()
        except httpx.TransportError as exc:
            await self.aclose()
            raise map_transport_error(exc, *origin(self._response)) from exc
        except BaseException:
            await self.aclose()
            raise
        if not piece:
            self._eof = True
            await self._response.aclose()
            return False
        self._buffer.push(piece)
        return True

    async def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (all remaining bytes when ``size`` is None or negative)."""
        self._check_open()
        want = -1 if size is None or size < 0 else size
        while (want < 0 or len(self._buffer) < want) and await self._pull():
            pass
        return self._buffer.take(want)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Iterate over chunks as they arrive."""
        self._check_open()
        while True:
            if self._buffer:
                yield self._buffer.take_chunk()
            elif not await self._pull():
                return

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed payload")

    async def aclose(self) -> None:
        """Release the connection (unread bytes are discarded)."""
        if not self.closed:
            self.closed = True
            await self._response.aclose()

    async def close(self) -> None:
        """Same as :meth:`aclose`."""
        await self.aclose()

    async def __aenter__(self) -> AsyncPayload:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class AsyncGetResponse(NamedTuple):
    """``AsyncSession.get``'s result: ``metadata, payload = await session.get(key)``."""

    metadata: Metadata
    payload: AsyncPayload
