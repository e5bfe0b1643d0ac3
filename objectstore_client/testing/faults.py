"""Fault injection: an HTTP/1.1-aware TCP proxy in front of any server.

Point a client at :attr:`FaultProxy.url` instead of the server and tell the proxy what to break.
Each rule applies one :data:`Fault` to the next requests that match it (by method and a
substring of the request target), ``times`` times; everything else is relayed unchanged::

    from objectstore_client.testing import LocalObjectstore
    from objectstore_client.testing.faults import Cut, FaultProxy, Status

    with LocalObjectstore() as server, FaultProxy(server.url) as proxy:
        proxy.inject(Status(503, retry_after=0.1), method="PUT", times=2)
        proxy.inject(Cut(after=1000), method="GET")
        client = Client(proxy.url)
        ...
        assert proxy.count("PUT") == 3  # two 503s, then the real one

The faults:

* :class:`Status`: answer with this status (and ``Retry-After``) without forwarding.
* :class:`Reset`: reset both connections (TCP RST) after N bytes of the request or response.
* :class:`Cut`: end the response body after N bytes: with valid framing (the client sees a
  complete, shorter response) or without (the connection closes mid-body).
* :class:`FlipBit`: flip one bit of the request or response body.
* :class:`Delay`: hold the response headers, or the body after N bytes, for some seconds or
  forever (a stall).
* :class:`Trickle`: send the response body at a fixed rate.
* :meth:`FaultProxy.refuse`: stop listening for a while (connections are refused, as during a
  server restart).

The proxy runs its own event loop in a daemon thread, so it serves sync and async clients
alike; it is usable as a context manager or through :meth:`start` / :meth:`stop`. It opens a
new upstream connection per request, so a fault never leaks into the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

import attrs
import h11

__all__ = [
    "Cut",
    "Delay",
    "Fault",
    "FaultProxy",
    "FlipBit",
    "RequestInfo",
    "Reset",
    "Rule",
    "Status",
    "Trickle",
]

Side = Literal["request", "response"]
_READ_BYTES = 65536


@attrs.frozen
class Status:
    """Answer with ``code`` instead of forwarding the request (its body is read and dropped).

    :param retry_after: value of a ``Retry-After`` header (seconds), or None for none.
    :param body: response body.
    """

    code: int
    retry_after: float | str | None = None
    body: bytes = b""


@attrs.frozen
class Reset:
    """Reset both connections (TCP RST) once ``after`` bytes of ``side`` went through.

    Bytes count the whole message as sent on the wire (request or status line, headers, body).
    ``Reset(0, "request")`` resets before anything reaches the server.
    """

    after: int = 0
    side: Side = "response"


@attrs.frozen
class Cut:
    """End the response body after ``after`` body bytes.

    ``framing=True``: the response stays well-formed (a shorter ``Content-Length``, or the
    last chunk sent early) and the connection closes after it, so only checks beyond HTTP
    framing can notice. ``framing=False``: the connection closes mid-body.
    """

    after: int
    framing: bool = False


@attrs.frozen
class FlipBit:
    """Flip bit ``bit`` (0-7) of body byte ``offset`` of the request or response."""

    offset: int
    bit: int = 0
    side: Side = "response"


@attrs.frozen
class Delay:
    """Hold the response: its headers (``at="headers"``) or its body after ``after`` bytes.

    ``seconds=None`` stalls until the client gives up (or the proxy stops).
    """

    seconds: float | None
    at: Literal["headers", "body"] = "headers"
    after: int = 0


@attrs.frozen
class Trickle:
    """Send the response body at ``bytes_per_second``, in pieces of ``piece`` bytes."""

    bytes_per_second: int
    piece: int = 256


Fault = Status | Reset | Cut | FlipBit | Delay | Trickle
"""Any fault :meth:`FaultProxy.inject` takes."""


@attrs.frozen
class RequestInfo:
    """A request the proxy saw: method, target (path and query) and headers (lower-case)."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)


@attrs.define(eq=False)
class Rule:
    """Applies ``fault`` to the next ``times`` matching requests; ``hits`` counts them."""

    fault: Fault
    method: str | None = None
    path: str | None = None
    times: int | None = 1
    where: Callable[[RequestInfo], bool] | None = None
    hits: int = 0

    def matches(self, request: RequestInfo) -> bool:
        """Whether this rule applies to ``request`` (and still has uses left)."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and request.method != self.method.upper():
            return False
        if self.path is not None and self.path not in request.target:
            return False
        return self.where is None or self.where(request)


class _Abort(Exception):
    """End this connection now (after a reset or cut)."""


class FaultProxy:
    """A TCP proxy between a client and the HTTP/1.1 server at ``upstream``, injecting faults.

    :param upstream: the server's base URL (``http://host:port[/prefix]``); the prefix is kept
        in :attr:`url`.
    :param host: interface to listen on (loopback by default).
    :param port: port to listen on; ``0`` picks a free one (kept across :meth:`refuse`).
    """

    def __init__(self, upstream: str, *, host: str = "127.0.0.1", port: int = 0) -> None:
        parts = urlsplit(upstream)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"upstream must be an http:// URL, got {upstream!r}")
        self._upstream = (parts.hostname, parts.port or 80)
        self._prefix = parts.path.rstrip("/")
        self._host, self._port = host, port
        self._rules: list[Rule] = []
        self._log: list[RequestInfo] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL clients use instead of the upstream one."""
        return f"http://{self._host}:{self._port}{self._prefix}"

    def start(self) -> FaultProxy:
        """Start listening (in a daemon thread); returns self."""
        if self._thread is not None:
            return self
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._listen())
            ready.set()
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="FaultProxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fault proxy did not start")
        return self

    def stop(self) -> None:
        """Close every connection and stop listening."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- rules -----------------------------------------------------------------------------

    def inject(
        self,
        fault: Fault,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = 1,
        where: Callable[[RequestInfo], bool] | None = None,
    ) -> Rule:
        """Apply ``fault`` to the next ``times`` requests (None: all) with this ``method``
        whose target contains ``path`` and for which ``where`` is true. Rules are tried in
        the order they were added; the first match applies."""
        rule = Rule(fault, method, path, times, where)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule (the request log stays)."""
        with self._lock:
            self._rules.clear()

    @property
    def requests(self) -> list[RequestInfo]:
        """Every request seen so far, in arrival order (answered by a fault or not)."""
        with self._lock:
            return list(self._log)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests with this method and target substring arrived."""
        return sum(
            1
            for r in self.requests
            if (method is None or r.method == method.upper()) and (path is None or path in r.target)
        )

    def refuse(self, seconds: float) -> None:
        """Stop listening for ``seconds``: new connections are refused, as while a server
        restarts. Open connections stay. Returns at once."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("the proxy is not running")
        asyncio.run_coroutine_threadsafe(self._refuse(seconds), loop).result(10)

    # -- the event loop side ---------------------------------------------------------------

    async def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        self._server = await asyncio.start_server(self._accept, sock=sock, backlog=128)

    async def _refuse(self, seconds: float) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

        async def reopen() -> None:
            await asyncio.sleep(seconds)
            await self._listen()

        task = asyncio.ensure_future(reopen())
        self._connections.add(task)
        task.add_done_callback(self._connections.discard)

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await _Connection(self, reader, writer).run()
        except (_Abort, OSError, h11.ProtocolError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass  # stop(): asyncio's stream callback would log a cancelled handler as an error
        finally:
            self._connections.discard(task)
            writer.transport.abort()

    def _take_rule(self, request: RequestInfo) -> Fault | None:
        with self._lock:
            self._log.append(request)
            for rule in self._rules:
                if rule.matches(request):
                    rule.hits += 1
                    return rule.fault
        return None


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST instead of a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _next_event(conn: h11.Connection, reader: asyncio.StreamReader) -> object:
    while True:
        event = conn.next_event()
        if event is not h11.NEED_DATA:
            return event
        data = await reader.read(_READ_BYTES)
        conn.receive_data(data)  # b"" marks the end of the stream


class _Connection:
    """One client connection: requests are parsed, forwarded (a fresh upstream connection
    each) and answered, with the matching fault applied."""

    def __init__(
        self, proxy: FaultProxy, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.proxy = proxy
        self.reader, self.writer = reader, writer
        self.client = h11.Connection(h11.SERVER)
        self.delayed = False

    async def run(self) -> None:
        while True:
            event = await _next_event(self.client, self.reader)
            if not isinstance(event, h11.Request):
                return  # the client closed the connection
            request = RequestInfo(
                event.method.decode(),
                event.target.decode(),
                tuple((k.decode().lower(), v.decode("latin-1")) for k, v in event.headers),
            )
            fault = self.proxy._take_rule(request)
            keep_alive = await self._exchange(event, fault)
            if not keep_alive or self.client.our_state is not h11.DONE:
                return
            if self.client.their_state is not h11.DONE:
                return
            self.client.start_next_cycle()

    async def _exchange(self, request: h11.Request, fault: Fault | None) -> bool:
        if isinstance(fault, Status):
            await self._drain_request()
            await self._answer(fault)
            return True
        host, port = self.proxy._upstream
        up_reader, up_writer = await asyncio.open_connection(host, port)
        try:
            upstream = h11.Connection(h11.CLIENT)
            await self._forward_request(request, fault, upstream, up_writer)
            return await self._relay_response(fault, upstream, up_reader)
        except _Abort:
            _reset(up_writer)
            raise
        finally:
            up_writer.transport.abort()

    async def _drain_request(self) -> None:
        while not isinstance(await _next_event(self.client, self.reader), h11.EndOfMessage):
            pass

    async def _answer(self, fault: Status) -> None:
        headers = [("content-length", str(len(fault.body))), ("server", "fault-proxy")]
        if fault.retry_after is not None:
            headers.append(("retry-after", str(fault.retry_after)))
        out = self.client.send(h11.Response(status_code=fault.code, headers=headers))
        out += self.client.send(h11.Data(data=fault.body)) if fault.body else b""
        out += self.client.send(h11.EndOfMessage())
        self.writer.write(out)
        await self.writer.drain()

    async def _forward_request(
        self,
        request: h11.Request,
        fault: Fault | None,
        upstream: h11.Connection,
        up_writer: asyncio.StreamWriter,
    ) -> None:
        counter = _Counter(fault, "request")
        await counter.write(up_writer, upstream.send(request), self.writer)
        body_offset = 0
        while True:
            event = await _next_event(self.client, self.reader)
            if isinstance(event, h11.Data):
                data = _maybe_flip(fault, "request", body_offset, bytes(event.data))
                body_offset += len(data)
                await counter.write(up_writer, upstream.send(h11.Data(data=data)), self.writer)
            elif isinstance(event, h11.EndOfMessage):
                await counter.write(up_writer, upstream.send(event), self.writer)
                return
            else:
                raise _Abort

    async def _relay_response(
        self, fault: Fault | None, upstream: h11.Connection, up_reader: asyncio.StreamReader
    ) -> bool:
        event = await _next_event(upstream, up_reader)
        while isinstance(event, h11.InformationalResponse):
            event = await _next_event(upstream, up_reader)
        if not isinstance(event, h11.Response):
            raise _Abort
        head = event
        if isinstance(fault, Delay) and fault.at == "headers":
            await _sleep(fault.seconds)
        keep_alive = True
        if isinstance(fault, Cut) and fault.framing:
            head = _with_header(head, "connection", "close")
            keep_alive = False
            if any(k.lower() == b"content-length" for k, _ in head.headers):
                length = int(dict(head.headers)[b"content-length"])
                head = _with_header(head, "content-length", str(min(length, fault.after)))
        counter = _Counter(fault, "response")
        await counter.write(self.writer, self.client.send(head), self.writer)
        sent = 0
        while True:
            event = await _next_event(upstream, up_reader)
            if isinstance(event, h11.EndOfMessage):
                await counter.write(self.writer, self.client.send(h11.EndOfMessage()), self.writer)
                return keep_alive
            if not isinstance(event, h11.Data):
                raise _Abort
            data = bytes(event.data)
            if isinstance(fault, Cut) and sent + len(data) >= fault.after:
                data = data[: fault.after - sent]
                if data:
                    await counter.write(self.writer, self.client.send(h11.Data(data=data)))
                if not fault.framing:
                    await self.writer.drain()
                    raise _Abort  # closes with a FIN: the body just ends
                await counter.write(self.writer, self.client.send(h11.EndOfMessage()))
                return False
            data = _maybe_flip(fault, "response", sent, data)
            await self._send_body(fault, counter, sent, data)
            sent += len(data)

    async def _send_body(
        self, fault: Fault | None, counter: _Counter, offset: int, data: bytes
    ) -> None:
        if (
            isinstance(fault, Delay)
            and fault.at == "body"
            and not self.delayed
            and offset + len(data) >= fault.after
        ):
            split = fault.after - offset
            if split:
                await counter.write(self.writer, self.client.send(h11.Data(data=data[:split])))
            self.delayed = True
            await _sleep(fault.seconds)
            data = data[split:]
        if isinstance(fault, Trickle):
            for start in range(0, len(data), fault.piece):
                piece = data[start : start + fault.piece]
                await counter.write(self.writer, self.client.send(h11.Data(data=piece)))
                await asyncio.sleep(len(piece) / fault.bytes_per_second)
            return
        if data:
            await counter.write(self.writer, self.client.send(h11.Data(data=data)))


class _Counter:
    """Counts bytes of one side on the wire and resets when a Reset fault is due."""

    def __init__(self, fault: Fault | None, side: Side) -> None:
        self.limit = fault.after if isinstance(fault, Reset) and fault.side == side else None
        self.sent = 0

    async def write(
        self, writer: asyncio.StreamWriter, data: bytes, client: asyncio.StreamWriter | None = None
    ) -> None:
        if not data:
            return
        if self.limit is not None and self.sent + len(data) > self.limit:
            head = data[: self.limit - self.sent]
            if head:
                writer.write(head)
                await writer.drain()
            _reset(client or writer)
            raise _Abort
        self.sent += len(data)
        writer.write(data)
        await writer.drain()


def _maybe_flip(fault: Fault | None, side: Side, offset: int, data: bytes) -> bytes:
    if not isinstance(fault, FlipBit) or fault.side != side:
        return data
    index = fault.offset - offset
    if not 0 <= index < len(data):
        return data
    flipped = bytearray(data)
    flipped[index] ^= 1 << fault.bit
    return bytes(flipped)


def _with_header(head: h11.Response, name: str, value: str) -> h11.Response:
    raw = name.encode()
    headers = [(k, v) for k, v in head.headers if k.lower() != raw]
    headers.append((raw, value.encode()))
    return h11.Response(status_code=head.status_code, headers=headers, reason=head.reason)


async def _sleep(seconds: float | None) -> None:
    # a stall: the connection task is cancelled when the client closes or the proxy stops
    await asyncio.sleep(seconds if seconds is not None else 24 * 3600)
