"""The default sync engine: HTTP/1.1 over blocking sockets, parsed by httptools.

One pool of kept-alive connections per client, safe to share between threads. The socket is
ours, so ``TCP_QUICKACK`` is re-armed before every read (see ``_h1.arm_quickack``).
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

from ._errors import (
    ConnectError,
    ConnectTimeout,
    EngineError,
    PoolTimeout,
    ReadError,
    ReadTimeout,
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
from ._sockets import GATHER_AFTER_BYTES, recv_gathering

__all__ = ["H1Engine"]

#: poll() where it exists: select() refuses file descriptors above 1023.
_poll = getattr(select, "poll", None)


class _SocketConnection:
    """One kept-alive connection: writes requests, reads responses."""

    __slots__ = ("_buffer", "_reading", "_view", "idle_since", "pid", "read_bytes", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        #: The process that opened it: a forked child shares the socket, never uses it.
        self.pid = os.getpid()
        self._buffer = bytearray(READ_BYTES)
        self._view = memoryview(self._buffer)
        self.idle_since = 0.0
        self._reading: Exchange | None = None  # the exchange ``read_bytes`` counts for
        self.read_bytes = 0

    def usable(self, now: float, expiry: float | None) -> bool:
        """Whether an idle connection can carry a request (not expired, not closed by peer)."""
        if expiry is not None and now - self.idle_since > expiry:
            return False
        # readable while idle means EOF or stray bytes: either way, not reusable
        try:
            if _poll is not None:
                poller = _poll()
                poller.register(self.sock, select.POLLIN)
                return not poller.poll(0)
            return not select.select([self.sock], [], [], 0)[0]
        except (OSError, ValueError):
            return False

    def write(self, request: OutgoingRequest, timeout: float | None) -> None:
        sock = self.sock
        sock.settimeout(timeout)
        try:
            joiner = WriteJoiner(request.head(), request.chunked)
            for chunk in body_chunks(request.body):
                due = joiner.add(chunk)
                if due is not None:
                    sock.sendall(due[0])
                    sock.sendall(due[1])
            last = joiner.finish()
            if last:
                sock.sendall(last)
        except TimeoutError as exc:
            raise WriteTimeout(str(exc) or "write timed out") from exc
        except OSError as exc:
            raise WriteError(str(exc) or type(exc).__name__) from exc

    def read_into(self, exchange: Exchange, timeout: float | None) -> None:
        """One socket read, parsed into ``exchange``."""
        if self.pid != os.getpid():
            raise ReadError("the connection belongs to the parent process (os.fork)")
        sock = self.sock
        sock.settimeout(timeout)
        arm_quickack(sock)
        if exchange is not self._reading:
            self._reading, self.read_bytes = exchange, 0
        deep = self.read_bytes >= GATHER_AFTER_BYTES
        try:
            count = recv_gathering(sock, self._buffer, timeout, deep)
            self.read_bytes += count
        except TimeoutError as exc:
            raise ReadTimeout(str(exc) or "read timed out") from exc
        except OSError as exc:
            raise ReadError(str(exc) or type(exc).__name__) from exc
        if count:
            exchange.feed(self._view[:count])
        else:
            exchange.eof()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class _Response:
    """An answer whose body is read from its connection as the caller iterates; returns the
    connection to the pool once the whole message has been read."""

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
        engine: H1Engine,
        conn: _SocketConnection,
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
        self._conn: _SocketConnection | None = conn
        self._exchange = exchange
        self._timeout = timeout

    def iter_raw(self) -> Iterator[bytes]:
        """The body as received, chunk by chunk (raises the SDK's TransportError family)."""
        exchange = self._exchange
        piece = exchange.take()
        if piece:
            yield piece
        while not exchange.done:
            conn = self._conn
            try:
                if conn is None:
                    raise ReadError("the response was closed")
                try:
                    conn.read_into(exchange, self._timeout)
                except BaseException:
                    self.close()
                    raise
            except EngineError as exc:
                raise transport_error(exc, self.method, self.path) from exc
            piece = exchange.take()
            if piece:
                yield piece
        self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            exchange = self._exchange
            self._engine._release(conn, reuse=exchange.done and exchange.keep_alive)


class _Uncapped:
    """The slots of a pool without a cap: taking one never waits (and costs no lock)."""

    def acquire(self, timeout: float = -1) -> bool:
        return True

    def release(self) -> None:
        pass


class H1Engine:
    """Sends requests over a pool of HTTP/1.1 connections; answers are ``_response.Response``s
    and failures the SDK's ``TransportError`` family."""

    name = "httptools"

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        self._settings = settings = Settings(http_kwargs)
        self._builder = RequestBuilder(settings)
        #: ``host:port``, for messages
        self.server = settings.server
        self._idle: list[_SocketConnection] = []
        self._lock = threading.Lock()
        self._slots: threading.BoundedSemaphore | _Uncapped = (
            _Uncapped()
            if settings.max_connections is None
            else threading.BoundedSemaphore(settings.max_connections)
        )
        self._closed = False
        self._pid = os.getpid()

    def send(self, kwargs: Mapping[str, Any], content: Any, method: str, path: str) -> _Response:
        """Send one request; the response body is streamed (read or close it)."""
        try:
            request = self._builder.build(kwargs, content, path)
        except EngineError as exc:
            raise transport_error(exc, method, self._builder.message_path(path)) from exc
        try:
            return self._send(request)
        except EngineError as exc:
            connect_to = (self._settings.host, self._settings.port)
            raise transport_error(exc, request.method, request.path, connect_to) from exc

    def _send(self, request: OutgoingRequest) -> _Response:
        settings = self._settings
        if self._pid != os.getpid():
            self._forked()  # before taking a slot: the child's slots are new
        wait = -1 if settings.pool_timeout is None else settings.pool_timeout
        if not self._slots.acquire(timeout=wait):
            raise PoolTimeout("no connection became free within the pool timeout")
        conn: _SocketConnection | None = None
        try:
            conn = self._checkout()
            exchange = Exchange(no_body=request.method == "HEAD")
            steps = exchange_steps(exchange)
            step = next_step(steps)
            while step is not None:
                try:
                    if step == WRITE:
                        conn.write(request, settings.write_timeout)
                    else:
                        conn.read_into(exchange, settings.read_timeout)
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

    def _checkout(self) -> _SocketConnection:
        now = time.monotonic()
        expiry = self._settings.keepalive_expiry
        while True:
            with self._lock:
                if self._closed:
                    raise ConnectError("the client has been closed")
                if not self._idle:
                    break
                conn = self._idle.pop()
            if conn.usable(now, expiry):
                return conn
            conn.close()
        return _SocketConnection(self._connect())

    def _forked(self) -> None:
        """In a child after ``os.fork()``: start with an empty pool.

        The inherited sockets are the parent's too (reading one would take the parent's
        responses), so they are closed here (the parent's copies stay open) and the lock
        and slots, which another thread of the parent may have held, are new.
        """
        idle, self._idle = self._idle, []
        self._lock = threading.Lock()
        max_connections = self._settings.max_connections
        self._slots = (
            _Uncapped() if max_connections is None else threading.BoundedSemaphore(max_connections)
        )
        self._pid = os.getpid()
        for conn in idle:
            conn.close()

    def _connect(self) -> socket.socket:
        settings = self._settings
        try:
            sock = socket.create_connection(
                (settings.host, settings.port), timeout=settings.connect_timeout
            )
        except TimeoutError as exc:
            raise ConnectTimeout(str(exc) or "connect timed out") from exc
        except OSError as exc:
            raise ConnectError(str(exc) or type(exc).__name__) from exc
        try:
            tune_socket(sock)
            if settings.ssl_context is not None:
                sock = settings.ssl_context.wrap_socket(sock, server_hostname=settings.host)
        except (ssl.SSLError, OSError) as exc:
            sock.close()
            raise ConnectError(str(exc) or type(exc).__name__) from exc
        return sock

    def _release(self, conn: _SocketConnection, reuse: bool) -> None:
        if conn.pid != os.getpid():
            # in a forked child, a response the parent had open: its slot is the parent's
            conn.close()
            return
        keep = reuse and not self._closed
        if keep:
            conn.idle_since = time.monotonic()
            with self._lock:
                keep = len(self._idle) < self._settings.max_keepalive
                if keep:
                    self._idle.append(conn)
        if not keep:
            conn.close()
        self._slots.release()

    def close(self) -> None:
        """Close every idle connection; connections in use close when released."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
