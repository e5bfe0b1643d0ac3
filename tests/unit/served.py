"""An ``httpx.MockTransport`` handler served over real sockets on loopback, so that the driver
tests that script answers with a handler also run on the default (httptools) engine.

The server hands every request (method, URL with the Host it was sent to, headers, the whole
body with chunked framing removed) to the handler and writes the handler's response back with
a Content-Length. ``/health`` answers 200 itself: behind a MockTransport the client never
probes it, so handlers never see it either.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from collections.abc import Callable
from types import TracebackType

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


class HandlerServer:
    """Serve ``handler`` on 127.0.0.1 (any free port) until closed; ``url`` is its base URL."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._connections: list[socket.socket] = []
        self._closed = False
        self._thread = threading.Thread(target=self._accept, name="handler-server", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            self._connections.append(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")
        with contextlib.suppress(OSError), reader:
            while (request := _read_request(reader, self.url)) is not None:
                if request.url.path.endswith("/health"):
                    response = httpx.Response(200, content=b"OK")
                else:
                    response = self._handler(request)
                sock.sendall(_response_bytes(request.method, response))

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        for sock in self._connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._thread.join(5)

    def __enter__(self) -> HandlerServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_request(reader: io.BufferedReader, base: str) -> httpx.Request | None:
    readline, read = reader.readline, reader.read
    line = readline(65536)
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: list[tuple[str, str]] = []
    while (header := readline(65536)) not in (b"\r\n", b"\n", b""):
        name, _, value = header.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    lower = {name.lower(): value for name, value in headers}
    if lower.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while (size := int(readline(65536).split(b";")[0], 16)) > 0:
            body += read(size)
            readline(65536)  # the CRLF after each chunk
        while readline(65536) not in (b"\r\n", b"\n", b""):  # trailers
            pass
    else:
        body = bytearray(read(int(lower.get("content-length", "0"))))
    host = lower.get("host", base.removeprefix("http://"))
    return httpx.Request(method, f"http://{host}{target}", headers=headers, content=bytes(body))


def _response_bytes(method: str, response: httpx.Response) -> bytes:
    # the stored bytes (a Content-Encoding stays encoded), also of a response served twice
    body = b"".join(response.stream)  # type: ignore[arg-type]
    lines = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    lines += [
        f"{name}: {value}"
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "transfer-encoding")
    ]
    lines.append(f"content-length: {len(body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if method == "HEAD" else head + body
