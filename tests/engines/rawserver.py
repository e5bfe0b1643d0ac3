"""A tiny HTTP/1.1 server over raw sockets, scripted per test: the wire behaviours the local
server does not show (split writes, bodies until close, malformed answers, silence)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from types import TracebackType

import httptools


class Request:
    """One parsed request: method, target, headers (lower-case names) and the body size."""

    def __init__(self) -> None:
        self.method = b""
        self.target = b""
        self.headers: dict[bytes, bytes] = {}
        self.body_size = 0
        self.done = False
        self.keep_body = False
        self.body = bytearray()

    def on_url(self, url: bytes) -> None:
        self.target += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.lower()] = value

    def on_body(self, body: bytes) -> None:
        self.body_size += len(body)
        if self.keep_body:
            self.body += body

    def on_message_complete(self) -> None:
        self.done = True


class Connection:
    """The server side of one connection: read requests, write raw bytes."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray(64 * 1024)
        self._parser: httptools.HttpRequestParser | None = None
        self._request: Request | None = None

    def read_request(self, keep_body: bool = False) -> Request | None:
        """The next request, its body drained into a reused buffer (None at EOF)."""
        request = self._request = Request()
        request.keep_body = keep_body
        parser = httptools.HttpRequestParser(request)
        while not request.done:
            count = self.sock.recv_into(self._buffer)
            if not count:
                return None
            parser.feed_data(memoryview(self._buffer)[:count])
        request.method = parser.get_method()
        return request

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)


Handler = Callable[[Connection], None]


class RawServer:
    """Accepts connections on 127.0.0.1 and runs ``handler`` for each in its own thread.

    ``nodelay=False`` keeps Nagle on accepted sockets, like the real Objectstore.
    """

    def __init__(self, handler: Handler, nodelay: bool = True) -> None:
        self.handler = handler
        self.nodelay = nodelay
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        self._stop = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self._listener.settimeout(0.05)  # closing does not wake a blocked accept()
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            self.accepted += 1
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if self.nodelay else 0)
            self._socks.append(sock)
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError), sock:
            self.handler(Connection(sock))

    def __enter__(self) -> RawServer:
        self._acceptor.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._acceptor.join(5)
        self._listener.close()
        for sock in self._socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)


def ok(body: bytes = b"", extra: bytes = b"") -> bytes:
    """A 200 response with a Content-Length body."""
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), extra, body)


def serve_forever(answer: Callable[[Request], bytes]) -> Handler:
    """A handler answering every request on a connection with ``answer(request)``."""

    def handler(conn: Connection) -> None:
        while (request := conn.read_request()) is not None:
            conn.send(answer(request))

    return handler
