"""Run the local Objectstore in a background thread (uvicorn on a pre-bound socket)."""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from ._app import BatchOrder, ObjectstoreApp
from ._auth import KeySpec
from ._clock import Clock, system_clock
from ._storage import FilesystemStorage, MemoryStorage, Storage

if TYPE_CHECKING:
    import uvicorn

__all__ = ["LocalObjectstore", "serve"]


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
    :param strict_filesystem: DELETE of a missing key answers 500 like the real
        filesystem backend (default: 204 like production).
    :param batch_order: ``"completion"`` (default), ``"reverse"`` or ``"shuffle"`` order of
        batch results.
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
    ) -> None:
        if storage not in ("filesystem", "memory"):
            raise ValueError(f"unknown storage {storage!r}")
        self.host = host
        self.port = port
        self.storage_kind = storage
        self.clock: Clock = clock or system_clock
        self._data_dir = Path(data_dir) if data_dir is not None else None
        self._auth_keys = dict(auth_keys or {})
        self._strict = strict_filesystem
        self._batch_order: BatchOrder = batch_order
        self._tmp_dir: str | None = None
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
            root = Path(self._tmp_dir)
        return FilesystemStorage(root, self.clock)

    def start(self, timeout: float = 10.0) -> None:
        """Start serving; returns once the server accepts connections."""
        if self.running:
            raise RuntimeError("the server is already running")
        try:  # the `testing` extra; imported here so that the package imports without it
            import uvicorn

            from ._protocol import LowerCaseH11Protocol
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError(
                'the local Objectstore needs uvicorn: pip install "objectstore-client[testing]"'
            ) from exc
        self.app = ObjectstoreApp(
            self._make_storage(),
            auth_keys=self._auth_keys,
            clock=self.clock,
            strict_filesystem=self._strict,
            batch_order=self._batch_order,
        )
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when
        # the listening socket says so; with proto=0 every response with a body waits ~40 ms
        # for a delayed ACK (Nagle).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(128)
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_level="warning",
            access_log=False,
            server_header=False,
            http=LowerCaseH11Protocol,
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
                sock.close()
                self.stop()
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
        if self._tmp_dir is not None:
            shutil.rmtree(self._tmp_dir, ignore_errors=True)
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
