"""The download AsyncPayload: a response body read on the event loop, decoded in a worker.

Hand-written, unlike the other driver modules: the blocking ``Payload`` (``_io_sync``) is an
``io.BufferedIOBase`` that may read the network in its own thread, while this one keeps the
socket on the loop and moves only decompression off it; the two share no control flow.
Upload bodies are in ``_sources_async``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import NamedTuple

import httpx

from ._constants import DECODE_PIECE_BYTES
from ._core.codec import ZstdDecoder
from ._core.reader import ChunkBuffer, Slicer
from ._core.resume import Download
from ._exceptions import TransportError, map_transport_error, name_server
from ._models import Metadata
from ._pool import origin, server_of_response, stored_body

__all__ = ["AsyncGetResponse", "AsyncPayload"]


Resume = Callable[[TransportError], Awaitable[httpx.Response]]


class _Body:
    """The stored bytes of a download, across responses: when the body breaks (or ends before
    the stored size), the rest is asked for with a Range request and the bytes go on."""

    def __init__(
        self, response: httpx.Response, download: Download | None, resume: Resume | None
    ) -> None:
        self.response = response
        self._download = download if download is not None and download.resumable else None
        self._resume = resume
        self._chunks = (
            _already_read(response) if response.is_stream_consumed else response.aiter_raw()
        )

    async def chunks(self) -> AsyncIterator[bytes]:
        """The stored bytes in order, until the end of the object."""
        while True:
            chunk = await self._next()
            if not chunk:
                return
            yield chunk

    async def _next(self) -> bytes:
        while True:
            try:
                chunk = await anext(self._chunks, b"")
            except httpx.TransportError as exc:
                error = name_server(
                    map_transport_error(exc, *origin(self.response)),
                    server_of_response(self.response),
                )
                error.__cause__ = exc
            else:
                download = self._download
                if download is None:
                    return chunk
                if chunk:
                    download.received += len(chunk)
                    return chunk
                if not download.short_by():
                    return b""
                error = download.truncated(*origin(self.response))
            if self._download is None or self._resume is None:
                raise error
            await self.response.aclose()
            self.response = await self._resume(error)  # raises once the budget is spent
            self._chunks = self.response.aiter_raw()


async def _already_read(response: httpx.Response) -> AsyncIterator[bytes]:
    """A response built from bytes (e.g. by a mock transport) is already read: its stored
    bytes, not the ``content`` httpx decoded."""
    yield stored_body(response)


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

    def __init__(
        self,
        response: httpx.Response,
        decode: bool,
        download: Download | None = None,
        resume: Resume | None = None,
    ) -> None:
        self._body = _Body(response, download, resume)
        self._chunks = self._body.chunks()
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
        except BaseException:
            await self.aclose()
            raise
        if not piece:
            self._eof = True
            await self._body.response.aclose()
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
            await self._body.response.aclose()

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
