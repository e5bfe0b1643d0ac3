"""The stored bytes of a download across responses: when the body breaks (or ends before the
stored size), the rest is asked for with a Range request and the bytes go on.

Written once, for asyncio; ``scripts/unasync.py`` generates the blocking twin. The payloads
that read it differ on purpose between the clients and are hand-written.
"""

from __future__ import annotations

from typing import Protocol

from ._core.resume import Download
from ._engines import AsyncResponse
from ._exceptions import TransportError, name_server

__all__ = ["AsyncResume", "AsyncStoredBody"]


class AsyncResume(Protocol):
    """Asks for the rest of the stored bytes after ``error`` broke the body (a resume flow)."""

    async def __call__(self, error: TransportError, /) -> AsyncResponse: ...


class AsyncStoredBody:
    """The stored (still encoded) bytes of one download, chunk by chunk, resumed when the
    response breaks or ends short (when the server sent the stored size and ``resume`` is
    given), up to ``download.stop`` when that is set."""

    def __init__(
        self, response: AsyncResponse, download: Download | None, resume: AsyncResume | None
    ) -> None:
        self.response = response
        self._download = download if download is not None and download.resumable else None
        self._resume = resume
        self._chunks = response.aiter_raw()

    async def next(self) -> bytes:
        """The next chunk of stored bytes; ``b""`` at the end."""
        while True:
            download = self._download
            stop = None if download is None else download.stop
            if stop is not None and download is not None and download.received >= stop:
                return b""
            try:
                chunk = await anext(self._chunks, b"")
            except TransportError as exc:  # the engine names the request
                error = name_server(exc, self.response.server)
            else:
                if download is None:
                    return chunk
                if chunk:
                    if stop is not None:  # a resumed range runs on to the object's end
                        chunk = chunk[: stop - download.received]
                    download.received += len(chunk)
                    return chunk
                if not download.short_by():
                    return b""
                error = download.truncated(self.response.method, self.response.path)
            if self._download is None or self._resume is None:
                raise error
            await self.response.aclose()
            self.response = await self._resume(error)  # raises once the budget is spent
            self._chunks = self.response.aiter_raw()

    async def aclose(self) -> None:
        """Close the current response (unread bytes are discarded)."""
        await self.response.aclose()
