"""Run the local Objectstore in a background thread (uvicorn on a pre-bound socket).

The HTTP stack is uvicorn with httptools (llhttp, C) on uvloop where it exists (not on
Windows): the pure-Python h11 parser on the asyncio loop capped small operations at a third of
the rate. ``http_stack="h11"`` keeps that stack for comparison.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from ._app import BatchOrder, ObjectstoreApp
from ._auth import KeySpec
from ._clock import Clock, system_clock
from ._storage import FilesystemStorage, MemoryStorage, Storage
from ._wire import protocol_class

if TYPE_CHECKING:
    import uvicorn

__all__ = ["HttpStack", "LocalObjectstore", "serve"]

HttpStack = Literal["httptools", "h11"]


class LocalObjectstore:
    """A local Objectstore server, for demos and tests.

    >>> with LocalObjectstore() as server:
    ...     url = server.url  # "http://127.0.0.1:<port>"

    :param host: interface to bind (loopback by default).
    :param port: TCP port; ``0`` picks a free one.
    :param data_dir: filesystem storage root; ``None`` uses a temporary directory that is
        removed on :meth:`stop`. Objects survive a restart on the same directory.
    :param storage: ``"filesystem"`` (default) or ``"memory"``.
    :param auth_keys: ``kid -> Ed25519 public key PEM`` (all permissions) or
        ``kid -> (pem, [permissions])``; ``None``/empty turns auth off.
    :param clock: unix-seconds clock used for expiry, token and pre-signature checks
        (e.g. a :class:`FakeClock`).
    :param strict_filesystem: answer like the real server's filesystem backend: DELETE of
        a missing key (also inside a batch) and a write to a key ending in ``/`` are 500
        (default: 204 and 200, like production).
    :param batch_order: ``"completion"`` (default), ``"reverse"`` or ``"shuffle"`` order of
        batch results.
    :param real_wire: write responses like the real server: accepted sockets without
        ``TCP_NODELAY``, a GET's head and each body chunk (4096 / 3967 / 129 bytes) as
        separate writes, so that kept-alive GETs show the real server's delayed-ACK stall.
        Off by default: every response leaves in one segment (fast tests).
    :param endless_batch_errors: answer a batch body that fails to parse like the real server
        (a bug there): error parts with indices 0, 1, 2, ... that never end, until the client
        hangs up. Off by default: one error part.
    :param http_stack: ``"httptools"`` (default; uvloop where available) or ``"h11"`` (the
        pure-Python parser on asyncio's loop, slower; kept for comparisons).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        data_dir: str | Path | None = None,
        storage: Literal["filesystem", "memory"] = "filesystem",
        auth_keys: Mapping[str, KeySpec] | None = None,
        clock: Clock | None = None,
        *,
        strict_filesystem: bool = False,
        batch_order: BatchOrder = "completion",
        real_wire: bool = False,
        endless_batch_errors: bool = False,
        http_stack: HttpStack = "httptools",
    ) -> None:
        if storage not in ("filesystem", "memory"):
            raise ValueError(f"unknown storage {storage!r}")
        if http_stack not in ("httptools", "h11"):
            raise ValueError(f"unknown http_stack {http_stack!r}")
        self.host = host
        self.port = port
        self.storage_kind = storage
        self.clock: Clock = clock or system_clock
        self._data_dir = Path(data_dir) if data_dir is not None else None
        self._auth_keys = dict(auth_keys or {})
        self._strict = strict_filesystem
        self._batch_order: BatchOrder = batch_order
        self.real_wire = real_wire
        self._endless_batch_errors = endless_batch_errors
        self.http_stack: HttpStack = http_stack
        self._tmp_dir: str | None = None
        self._remove_tmp_dir: weakref.finalize[Any, Any] | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        self._sock: socket.socket | None = None
        self.app: ObjectstoreApp | None = None

    # -- properties -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://<host>:<port>`` without trailing slash (only while running)."""
        if self._url is None:
            raise RuntimeError("the server is not running")
        return self._url

    @property
    def data_dir(self) -> Path | None:
        """The filesystem storage root (``None`` for memory storage or before start)."""
        if self.storage_kind == "memory":
            return None
        return self._data_dir if self._data_dir is not None else _opt_path(self._tmp_dir)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- lifecycle ------------------------------------------------------------------------

    def _make_storage(self) -> Storage:
        if self.storage_kind == "memory":
            return MemoryStorage(self.clock)
        root = self._data_dir
        if root is None:
            self._tmp_dir = tempfile.mkdtemp(prefix="objectstore-")
            # removed by stop(), or at interpreter exit for a server nobody stopped
            self._remove_tmp_dir = weakref.finalize(
                self, shutil.rmtree, self._tmp_dir, ignore_errors=True
            )
            root = Path(self._tmp_dir)
        return FilesystemStorage(root, self.clock)

    def start(self, timeout: float = 10.0) -> None:
        """Start serving; returns once the server accepts connections."""
        if self.running:
            raise RuntimeError("the server is already running")
        try:  # the `testing` extra; imported here so that the package imports without it
            import uvicorn

            protocol, loop = _http_protocol(self.http_stack)
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError(
                "the local Objectstore needs uvicorn and httptools: "
                'pip install "objectstore-sdk[testing]"'
            ) from exc
        # the socket first: a port in use fails here, before any data dir exists
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when
        # the listening socket says so (the protocol sets it per connection anyway, see _wire).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
        except BaseException:
            sock.close()
            raise
        try:
            self._serve(uvicorn, sock, family, protocol, loop, timeout)
        except BaseException:
            sock.close()
            self.stop()
            raise

    def _serve(
        self,
        uvicorn: Any,
        sock: socket.socket,
        family: socket.AddressFamily,
        protocol: type[asyncio.Protocol],
        loop: str,
        timeout: float,
    ) -> None:
        """Run uvicorn on the bound socket in a thread; returns once it accepts connections."""
        self.app = ObjectstoreApp(
            self._make_storage(),
            auth_keys=self._auth_keys,
            clock=self.clock,
            strict_filesystem=self._strict,
            batch_order=self._batch_order,
            real_wire=self.real_wire,
            endless_batch_errors=self._endless_batch_errors,
        )
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_level="warning",
            access_log=False,
            server_header=False,
            proxy_headers=False,  # no X-Forwarded-* handling: a few µs per request
            http=protocol_class(protocol, real_wire=self.real_wire),
            loop=loop,
            # hyper accepts ~400 KiB of headers (large custom metadata); h11 defaults to 16 KiB
            h11_max_incomplete_event_size=512 * 1024,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server

        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="local-objectstore", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the local objectstore failed to start")
            time.sleep(0.005)
        host = f"[{self.host}]" if family == socket.AF_INET6 else self.host
        self._url = f"http://{host}:{port}"
        self._sock = sock

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and remove the temporary data dir (if one was created)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = None
        self._thread = None
        self._url = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self.app is not None:
            self.app.close()
        if self._remove_tmp_dir is not None:
            self._remove_tmp_dir()
            self._remove_tmp_dir = None
            self._tmp_dir = None

    def reset(self) -> None:
        """Delete every object and multipart upload (the server keeps running)."""
        if self.app is None:
            raise RuntimeError("the server has not been started")
        self.app.storage.clear()
        self.app.uploads.clear()

    def __enter__(self) -> LocalObjectstore:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self._url or "stopped"
        return f"<LocalObjectstore {self.storage_kind} {state}>"


def _http_protocol(stack: HttpStack) -> tuple[type[asyncio.Protocol], str]:
    """uvicorn's protocol class and event loop name for a stack (ImportError if missing)."""
    if stack == "h11":
        from ._protocol import LowerCaseH11Protocol

        return LowerCaseH11Protocol, "asyncio"
    import httptools  # noqa: F401 - uvicorn imports it lazily; fail here, with the hint
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    # "auto": uvloop when installed (the testing extra installs it except on Windows)
    return HttpToolsProtocol, "auto"


def _opt_path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


@contextmanager
def serve(**kwargs: Any) -> Iterator[str]:
    """Run a :class:`LocalObjectstore` (same keyword arguments) and yield its URL.

    >>> with serve(storage="memory") as url:
    ...     ...  # talk to url
    """
    with LocalObjectstore(**kwargs) as server:
        yield server.url
