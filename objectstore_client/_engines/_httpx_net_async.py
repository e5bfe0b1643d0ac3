"""The httpx engine's network: httpcore's pool on a network backend that reads big and
coalesces small writes (see ``_httpx_pool`` for why), and the SDK responses for what
httpcore (``AsyncCoreResponse``) or a caller's httpx transport (``AsyncClientResponse``)
answers.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpcore
import httpx

from .._constants import SOCKET_READ_BYTES
from ._errors import transport_error
from ._httpx_pool import CORE_ERRORS, Coalescer, StreamWatch, stored_body
from ._request import OutgoingRequest
from ._response import Headers
from ._sockets import arm_quickack

__all__ = [
    "AsyncBigReadBackend",
    "AsyncClientResponse",
    "AsyncCoreResponse",
    "connection_pool",
]


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


class AsyncCoreResponse:
    """httpcore's answer as the SDK's response; httpcore's errors become the SDK's."""

    __slots__ = ("_answer", "headers", "method", "path", "server", "status_code")

    def __init__(self, answer: httpcore.Response, request: OutgoingRequest, server: str) -> None:
        self._answer = answer
        self.status_code: int = answer.status
        self.headers = Headers(answer.headers)
        self.method = request.method
        self.path = request.path
        self.server = server

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as received, chunk by chunk."""
        stream: Any = self._answer.stream  # httpcore's body: an (async) iterable
        try:
            async for chunk in stream:
                yield chunk
        except CORE_ERRORS as exc:
            raise transport_error(exc, self.method, self.path) from exc
        await self.aclose()  # the whole body is in: the connection goes back to the pool

    async def aclose(self) -> None:
        """Free the connection."""
        try:
            await self._answer.aclose()
        except CORE_ERRORS as exc:  # pragma: no cover - closing a socket rarely fails
            raise transport_error(exc, self.method, self.path) from exc


class AsyncClientResponse:
    """An ``httpx.Response`` from a caller's transport or proxy, as the SDK's response."""

    __slots__ = ("_response", "headers", "method", "path", "server", "status_code")

    def __init__(self, response: httpx.Response, method: str, path: str, server: str) -> None:
        self._response = response
        self.status_code: int = response.status_code
        self.headers = Headers(response.headers.raw)
        self.method = method
        self.path = path
        self.server = server

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as received (a response built from bytes, e.g. by a mock transport, has
        it already)."""
        response = self._response
        if response.is_stream_consumed:
            yield stored_body(response)
            return
        try:
            async for chunk in response.aiter_raw():
                yield chunk
        except httpx.TransportError as exc:
            raise transport_error(exc, self.method, self.path) from exc

    async def aclose(self) -> None:
        """Free the connection."""
        try:
            await self._response.aclose()
        except httpx.TransportError as exc:  # pragma: no cover - closing rarely fails
            raise transport_error(exc, self.method, self.path) from exc


def connection_pool(
    watch: Callable[[], StreamWatch] | None = None, **options: Any
) -> httpcore.AsyncConnectionPool:
    """httpcore's pool with ``options``, on the big-read backend; ``watch`` makes the
    watcher of each new connection (see ``_httpx_pool.StreamWatch``)."""
    backend = AsyncBigReadBackend(watch=watch)
    return httpcore.AsyncConnectionPool(network_backend=backend, **options)
