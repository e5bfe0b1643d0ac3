"""The default asyncio engine: HTTP/1.1 on asyncio transports, parsed by httptools.

Native asyncio (no thread per operation): each connection is an ``asyncio.BufferedProtocol``
that the event loop reads into a reused buffer; the parser runs in the loop's callback and
a waiting task is woken once a response head or body piece is there. Reading pauses while
more than ``_HIGH_WATER`` parsed bytes wait for the reader, so memory stays bounded.
"""

from __future__ import annotations

import asyncio
import collections
import os
import socket
import ssl
import time
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from typing import Any

from ._errors import (
    ConnectError,
    ConnectTimeout,
    EngineError,
    PoolTimeout,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    TimeoutException,
    WriteError,
    WriteTimeout,
    transport_error,
)
from ._h1 import (
    READ_BYTES,
    WRITE,
    Exchange,
    WriteJoiner,
    arm_quickack,
    body_chunks,
    exchange_steps,
    next_step,
    tune_socket,
)
from ._request import OutgoingRequest, RequestBuilder
from ._response import Headers
from ._settings import Settings

__all__ = ["AsyncH1Engine"]

#: Parsed body bytes held for the reader before the transport stops reading.
_HIGH_WATER = 4 * READ_BYTES


def _expire(waiter: asyncio.Future[None], error: type[TimeoutException], what: str) -> None:
    if not waiter.done():
        waiter.set_exception(error(f"{what} timed out"))


class _ProtocolConnection(asyncio.BufferedProtocol):
    """One connection: the loop reads into ``_buffer``, the parser fills ``exchange``."""

    def __init__(self) -> None:
        self._buffer = bytearray(READ_BYTES)
        self._view = memoryview(self._buffer)
        self.transport: asyncio.Transport | None = None
        self._sock: socket.socket | None = None
        self.exchange: Exchange | None = None
        #: The error that ended the connection (EOF, reset, a parse error), if any.
        self.error: BaseException | None = None
        self.closed = False
        self._waiter: asyncio.Future[None] | None = None
        self._drained: asyncio.Future[None] | None = None
        self._paused = False
        self.idle_since = 0.0
        #: The process that opened it: a forked child shares the socket, never uses it.
        self.pid = os.getpid()

    # -- asyncio callbacks --------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            self._sock = sock
            tune_socket(sock)

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._view

    def buffer_updated(self, nbytes: int) -> None:
        if self._sock is not None:
            arm_quickack(self._sock)  # before the loop's next read of this socket
        exchange = self.exchange
        if exchange is None or exchange.done:
            # bytes while idle, or beyond the message: the connection is not reusable
            self._fail(RemoteProtocolError("unexpected bytes from the server"))
            return
        try:
            exchange.feed(self._view[:nbytes])
        except RemoteProtocolError as exc:
            self._fail(exc)
            return
        if not exchange.done and sum(map(len, exchange.pieces)) > _HIGH_WATER:
            self._pause()
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        if self.exchange is not None and not self.exchange.done:
            try:
                self.exchange.eof()
            except RemoteProtocolError as exc:
                self.error = exc
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if exc is not None and self.error is None:
            self.error = ReadError(str(exc) or type(exc).__name__)
        elif self.exchange is not None and not self.exchange.done and self.error is None:
            try:
                self.exchange.eof()
            except RemoteProtocolError as error:
                self.error = error
        self._wake()
        drained = self._drained
        if drained is not None and not drained.done():
            drained.set_exception(self.error or WriteError("the connection was closed"))

    def pause_writing(self) -> None:
        if self._drained is None:
            self._drained = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        drained, self._drained = self._drained, None
        if drained is not None and not drained.done():
            drained.set_result(None)

    # -- used by the engine -------------------------------------------------------------

    def _fail(self, error: BaseException) -> None:
        self.error = error
        self.closed = True
        if self.transport is not None:
            self.transport.abort()
        self._wake()

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _pause(self) -> None:
        if not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def _resume(self) -> None:
        if self._paused and self.transport is not None and not self.closed:
            self._paused = False
            self.transport.resume_reading()

    async def wait(self, timeout: float | None) -> None:
        """Until the parser makes progress (or the connection ends)."""
        if self.pid != os.getpid():
            raise ReadError("the connection belongs to the parent process (os.fork)")
        if self.error is not None:
            raise self.error
        if self.closed:
            raise ReadError("the connection was closed")
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        self._resume()
        timer = (
            None
            if timeout is None
            else loop.call_later(timeout, _expire, waiter, ReadTimeout, "read")
        )
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()
        if self.error is not None:
            raise self.error

    async def write(self, request: OutgoingRequest, timeout: float | None) -> None:
        transport = self.transport
        assert transport is not None
        if self._sock is not None:
            arm_quickack(self._sock)
        joiner = WriteJoiner(request.head(), request.chunked)
        async for chunk in _aiter(body_chunks(request.body)):
            due = joiner.add(chunk)
            if due is not None:
                transport.write(due[0])
                transport.write(due[1])
                await self.drain(timeout)
        transport.write(joiner.finish())
        await self.drain(timeout)

    async def drain(self, timeout: float | None) -> None:
        """Until the transport's write buffer is below its high-water mark."""
        if self.closed:
            raise self.error or WriteError("the connection was closed")
        drained = self._drained
        if drained is None:
            return
        loop = asyncio.get_running_loop()
        timer = (
            None
            if timeout is None
            else loop.call_later(timeout, _expire, drained, WriteTimeout, "write")
        )
        try:
            await asyncio.shield(drained)
        finally:
            if timer is not None:
                timer.cancel()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            # nothing is pending here (an exchange is over, or broken): abort frees the
            # socket at once, where a TLS close would wait for the server's close_notify and
            # could outlive the event loop
            self.transport.abort()


async def _aiter(chunks: Any) -> AsyncIterator[Any]:
    if isinstance(chunks, AsyncIterable):
        async for chunk in chunks:
            yield chunk
    else:
        for chunk in chunks:
            yield chunk


class _Response:
    """An answer whose body is read as the caller iterates; returns the connection to the
    pool once the whole message has been read."""

    __slots__ = (
        "_conn",
        "_engine",
        "_exchange",
        "_timeout",
        "headers",
        "method",
        "path",
        "server",
        "status_code",
    )

    def __init__(
        self,
        engine: AsyncH1Engine,
        conn: _ProtocolConnection,
        exchange: Exchange,
        request: OutgoingRequest,
        timeout: float | None,
    ) -> None:
        self.status_code: int = exchange.status
        self.headers = Headers(exchange.headers)
        self.method = request.method
        self.path = request.path
        self.server = engine.server
        self._engine = engine
        self._conn: _ProtocolConnection | None = conn
        self._exchange = exchange
        self._timeout = timeout

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as received, chunk by chunk (raises the SDK's TransportError family)."""
        exchange = self._exchange
        while True:
            piece = exchange.take()
            if piece:
                yield piece
            if exchange.done:
                break
            conn = self._conn
            try:
                if conn is None:
                    raise ReadError("the response was closed")
                try:
                    await conn.wait(self._timeout)
                except BaseException:
                    await self.aclose()
                    raise
            except EngineError as exc:
                raise transport_error(exc, self.method, self.path) from exc
        await self.aclose()

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            exchange = self._exchange
            self._engine._release(conn, reuse=exchange.done and exchange.keep_alive)


class _Slots:
    """At most ``size`` connections in use (None: no cap); waiters are served first come,
    first served."""

    def __init__(self, size: int | None) -> None:
        self._capped = size is not None
        self._free = size or 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    async def acquire(self, timeout: float | None) -> None:
        if not self._capped:
            return
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)
        timer = (
            None
            if timeout is None
            else loop.call_later(timeout, _expire, waiter, PoolTimeout, "waiting for a connection")
        )
        try:
            await waiter
        except BaseException:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            elif waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self.release()  # granted and cancelled at once: pass the slot on
            raise
        finally:
            if timer is not None:
                timer.cancel()

    def release(self) -> None:
        if not self._capped:
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1


class AsyncH1Engine:
    """Sends requests over a pool of HTTP/1.1 connections; answers are
    ``_response.AsyncResponse``s and failures the SDK's ``TransportError`` family.

    Create and use it in one event loop.
    """

    name = "httptools"

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        self._settings = settings = Settings(http_kwargs)
        self._builder = RequestBuilder(settings)
        #: ``host:port``, for messages
        self.server = settings.server
        self._idle: list[_ProtocolConnection] = []
        self._slots = _Slots(settings.max_connections)
        self._closed = False
        self._pid = os.getpid()

    async def send(
        self, kwargs: Mapping[str, Any], content: Any, method: str, path: str
    ) -> _Response:
        """Send one request; the response body is streamed (read or close it)."""
        try:
            request = self._builder.build(kwargs, content, path)
        except EngineError as exc:
            raise transport_error(exc, method, self._builder.message_path(path)) from exc
        try:
            return await self._send(request)
        except EngineError as exc:
            connect_to = (self._settings.host, self._settings.port)
            raise transport_error(exc, request.method, request.path, connect_to) from exc

    async def _send(self, request: OutgoingRequest) -> _Response:
        settings = self._settings
        if self._pid != os.getpid():
            self._forked()  # before taking a slot: the child's slots are new
        await self._slots.acquire(settings.pool_timeout)
        conn: _ProtocolConnection | None = None
        try:
            conn = await self._checkout()
            exchange = conn.exchange = Exchange(no_body=request.method == "HEAD")
            steps = exchange_steps(exchange)
            step = next_step(steps)
            while step is not None:
                try:
                    if step == WRITE:
                        await conn.write(request, settings.write_timeout)
                    else:
                        await conn.wait(settings.read_timeout)
                except EngineError as exc:
                    step = next_step(steps, exc)
                else:
                    step = next_step(steps)
        except BaseException:
            if conn is not None:
                conn.close()
            self._slots.release()
            raise
        return _Response(self, conn, exchange, request, settings.read_timeout)

    async def _checkout(self) -> _ProtocolConnection:
        if self._closed:
            raise ConnectError("the client has been closed")
        now = time.monotonic()
        expiry = self._settings.keepalive_expiry
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed and (expiry is None or now - conn.idle_since <= expiry):
                return conn
            conn.close()
        return await self._connect()

    def _forked(self) -> None:
        """In a child after ``os.fork()``: start with an empty pool.

        The inherited connections share their sockets with the parent and belong to the
        parent's event loop: they are dropped untouched (closing them would go through that
        loop, and the parent's copies must stay open).
        """
        self._idle = []
        self._slots = _Slots(self._settings.max_connections)
        self._pid = os.getpid()

    async def _connect(self) -> _ProtocolConnection:
        settings = self._settings
        loop = asyncio.get_running_loop()
        conn = _ProtocolConnection()
        tls: dict[str, Any] = {}
        if settings.ssl_context is not None:
            tls = {"ssl": settings.ssl_context, "server_hostname": settings.host}
        try:
            await asyncio.wait_for(
                loop.create_connection(lambda: conn, settings.host, settings.port, **tls),
                settings.connect_timeout,
            )
        except asyncio.TimeoutError as exc:
            raise ConnectTimeout("connect timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            raise ConnectError(str(exc) or type(exc).__name__) from exc
        return conn

    def _release(self, conn: _ProtocolConnection, reuse: bool) -> None:
        if conn.pid != os.getpid():
            return  # in a forked child, a response the parent had open: not ours to pool
        conn.exchange = None
        keep = reuse and not conn.closed and not self._closed
        if keep and len(self._idle) < self._settings.max_keepalive:
            conn.idle_since = time.monotonic()
            self._idle.append(conn)
        else:
            conn.close()
        self._slots.release()

    async def aclose(self) -> None:
        """Close every idle connection; connections in use close when released."""
        self._closed = True
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
