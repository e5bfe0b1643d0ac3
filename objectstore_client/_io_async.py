"""The download AsyncPayload: a response body read on the event loop, decoded in a worker.

Hand-written, unlike the other driver modules: the blocking ``Payload`` (``_io_sync``) is an
``io.BufferedIOBase`` that may read the network in its own thread, while this one keeps the
socket on the loop and moves only decompression off it. What they share, the stored bytes
resumed across responses, is ``_stored_body_async`` and its generated twin. Upload bodies are
in ``_sources_async``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import TracebackType
from typing import NamedTuple

from ._constants import DECODE_PIECE_BYTES
from ._core.codec import ZstdDecoder
from ._core.reader import ChunkBuffer, Slicer
from ._core.resume import Download
from ._engines import AsyncResponse
from ._models import Metadata
from ._stored_body_async import AsyncResume, AsyncStoredBody

__all__ = ["AsyncGetResponse", "AsyncPayload"]


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
        response: AsyncResponse,
        decode: bool,
        download: Download | None = None,
        resume: AsyncResume | None = None,
    ) -> None:
        self._body = AsyncStoredBody(response, download, resume)
        self._chunks = _chunks(self._body)
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
            await self._body.aclose()
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
            await self._body.aclose()

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


async def _chunks(body: AsyncStoredBody) -> AsyncIterator[bytes]:
    """The stored bytes in order, until the end of the object."""
    while chunk := await body.next():
        yield chunk


class AsyncGetResponse(NamedTuple):
    """``AsyncSession.get``'s result: ``metadata, payload = await session.get(key)``."""

    metadata: Metadata
    payload: AsyncPayload
