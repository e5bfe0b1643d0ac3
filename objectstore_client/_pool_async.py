"""The default connection pool: httpcore's pool on a network backend that reads big and
coalesces small writes (see ``_pool`` for why), and the adapter that hands its response
bodies to httpx.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpcore
import httpx

from ._constants import SOCKET_READ_BYTES
from ._pool import CORE_ERRORS, Coalescer, StreamWatch, to_httpx_error
from ._sockets import arm_quickack

__all__ = ["AsyncBigReadBackend", "AsyncResponseStream", "connection_pool"]


class _AsyncBigReadStream(httpcore.AsyncNetworkStream):
    def __init__(
        self, stream: httpcore.AsyncNetworkStream, watch: StreamWatch | None = None
    ) -> None:
        self._stream = stream
        #: follows the responses: a connection with bytes past a response is not reused
        self._watch = watch
        self._writes = Coalescer()
        # re-arming quick ACKs before each read ends the delayed-ACK stall (_sockets)
        self._sock: socket.socket | None = stream.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        held = self._writes.release()
        if held:
            # as httpcore does when sending: the server may have answered early
            with contextlib.suppress(httpcore.WriteError):
                await self._stream.write(held, timeout)
        if self._sock is not None:
            arm_quickack(self._sock)
        data = await self._stream.read(max(max_bytes, SOCKET_READ_BYTES), timeout)
        if self._watch is not None:
            self._watch.received(data)
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self._watch is not None:
            self._watch.sent(buffer)
        for data in self._writes.plan(buffer):
            if data:
                await self._stream.write(data, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._stream.start_tls(ssl_context, server_hostname, timeout)
        return _AsyncBigReadStream(inner, self._watch)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._watch is not None and self._watch.spoilt:
            # httpcore closes an idle connection that is readable instead of reusing it
            return True
        return self._stream.get_extra_info(info)


class AsyncBigReadBackend(httpcore.AsyncNetworkBackend):
    """httpcore's default backend, reading up to ``SOCKET_READ_BYTES`` per call."""

    def __init__(
        self,
        backend: httpcore.AsyncNetworkBackend | None = None,
        watch: Callable[[], StreamWatch] | None = None,
    ) -> None:
        self._backend = backend or httpcore.AnyIOBackend()
        self._watch = watch

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _AsyncBigReadStream(stream, self._watch() if self._watch is not None else None)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - the SDK connects over TCP
        stream = await self._backend.connect_unix_socket(path, timeout, socket_options)
        return _AsyncBigReadStream(stream)

    async def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore retries only
        await self._backend.sleep(seconds)


class AsyncResponseStream(httpx.AsyncByteStream):
    """An httpcore response body as an httpx stream, with httpcore errors turned into httpx's."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except CORE_ERRORS as exc:
            raise to_httpx_error(exc) from exc

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        except CORE_ERRORS as exc:  # pragma: no cover - closing a socket rarely fails
            raise to_httpx_error(exc) from exc


def connection_pool(
    watch: Callable[[], StreamWatch] | None = None, **options: Any
) -> httpcore.AsyncConnectionPool:
    """httpcore's pool with ``options``, on the big-read backend; ``watch`` makes the
    watcher of each new connection (see ``_pool.StreamWatch``)."""
    backend = AsyncBigReadBackend(watch=watch)
    return httpcore.AsyncConnectionPool(network_backend=backend, **options)
