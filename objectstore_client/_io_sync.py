"""The download Payload: a response body as a blocking, buffered binary stream.

Hand-written, unlike the other driver modules: see ``_io_async`` for why the two payloads
differ; the stored bytes resumed across responses are ``_stored_body_sync`` (generated).
Upload bodies are in ``_sources_sync``.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from ._constants import (
    DECODE_PIECE_BYTES,
    PUMP_MIN_RATIO,
    PUMP_PROBE_BYTES,
    PUMP_QUEUE_CHUNKS,
)
from ._core.codec import ZstdDecoder
from ._core.reader import ChunkBuffer, Slicer
from ._core.resume import Download
from ._engines import Response
from ._models import Metadata
from ._stored_body_sync import Resume, StoredBody

__all__ = ["GetResponse", "Payload"]


class _Pump:
    """Reads network chunks in a worker thread into a small bounded queue.

    ``get()`` returns them in order (``b""`` at the end) and re-raises, in order, whatever the
    reading raised. The thread holds no reference to the payload (so an abandoned payload is
    still collected and closed); ``stop()`` ends it and waits for it.
    """

    def __init__(self, fetch: Callable[[], bytes]) -> None:
        self._queue: queue.Queue[bytes | BaseException] = queue.Queue(PUMP_QUEUE_CHUNKS)
        self._stopping = threading.Event()
        self._done = False
        self._thread = threading.Thread(
            target=self._run, args=(fetch,), name="objectstore-download", daemon=True
        )
        self._thread.start()

    def _run(self, fetch: Callable[[], bytes]) -> None:
        put, stopping = self._queue.put, self._stopping
        while not stopping.is_set():
            try:
                chunk = fetch()
            except BaseException as exc:  # handed to the reader, raised there
                put(exc)
                return
            put(chunk)
            if not chunk:
                return

    def get(self) -> bytes:
        if self._done:
            return b""
        item = self._queue.get()
        if isinstance(item, BaseException):
            self._done = True
            raise item
        if not item:
            self._done = True
        return item

    def stop(self) -> None:
        """End the thread: unblock a pending ``put`` and wait for the current read to return."""
        self._stopping.set()
        while self._thread.is_alive():
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
            self._thread.join(0.05)


class _RawSource:
    """The raw (still encoded) body as a blocking ``read(size)`` source for the decoder."""

    def __init__(self, body: StoredBody) -> None:
        self._body = body
        self._pending = Slicer()
        self._pump: _Pump | None = None
        #: Bytes handed out so far.
        self.consumed = 0

    def _fetch(self) -> bytes:
        return self._body.next()

    def read(self, size: int = -1, /) -> bytes:
        if not self._pending:
            self._pending.load(self._fetch() if self._pump is None else self._pump.get())
        data = self._pending.take(size)
        self.consumed += len(data)
        return data

    def start_pump(self) -> None:
        """From now on read the network in a worker thread, ahead of the reader."""
        if self._pump is None:
            self._pump = _Pump(self._fetch)

    def stop_pump(self) -> None:
        """Stop the worker thread (if any); the response can then be closed."""
        if self._pump is not None:
            self._pump.stop()


class Payload(io.BufferedIOBase):
    """A downloaded object, streamed: ``read()``, iteration over chunks, context manager.

    Decompression (when requested) happens across zstd frames as you read, in pieces of at
    most 1 MiB. Read it to the end or close it (``with`` does) to return the connection.
    """

    def __init__(
        self,
        response: Response,
        decode: bool,
        download: Download | None = None,
        resume: Resume | None = None,
    ) -> None:
        super().__init__()
        self._body = StoredBody(response, download, resume)
        self._source = source = _RawSource(self._body)
        if decode:
            decoder = ZstdDecoder(source)
            self._next_piece: Callable[[], bytes] = lambda: decoder.read(DECODE_PIECE_BYTES)
        else:
            self._next_piece = lambda: source.read(-1)
        self._buffer = ChunkBuffer()
        self._eof = False
        # decoded downloads probe the ratio; compressible ones then read in a worker thread
        self._probing = decode
        self._decoded = 0

    def readable(self) -> bool:
        return True

    def _pull(self) -> bool:
        """Fetch the next piece; False at the end of the body."""
        if self._eof:
            return False
        try:
            piece = self._next_piece()
        except BaseException:
            self.close()
            raise
        if not piece:
            self._eof = True
            self._source.stop_pump()
            self._body.close()
            return False
        self._buffer.push(piece)
        if self._probing:
            self._probe(len(piece))
        return True

    def _probe(self, decoded: int) -> None:
        self._decoded += decoded
        consumed = self._source.consumed
        if consumed >= PUMP_PROBE_BYTES:
            self._probing = False
            if self._decoded >= PUMP_MIN_RATIO * consumed:
                self._source.start_pump()

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (all remaining bytes when ``size`` is None or negative)."""
        self._check_open()
        want = -1 if size is None or size < 0 else size
        while (want < 0 or len(self._buffer) < want) and self._pull():
            pass
        return self._buffer.take(want)

    def read1(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes with at most one read from the network."""
        self._check_open()
        if not self._buffer:
            self._pull()
        return self._buffer.take(size)

    def readinto(self, buffer: Any) -> int:
        """Read into a writable buffer; returns the number of bytes read."""
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def __iter__(self) -> Iterator[bytes]:
        """Iterate over chunks (not lines) as they arrive."""
        self._check_open()
        while True:
            if self._buffer:
                yield self._buffer.take_chunk()
            elif not self._pull():
                return

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed payload")

    def close(self) -> None:
        """Release the connection (unread bytes are discarded)."""
        if not self.closed:
            source = getattr(self, "_source", None)  # absent if __init__ failed
            if source is not None:
                source.stop_pump()
            body = getattr(self, "_body", None)
            if body is not None:
                body.close()
        super().close()


class GetResponse(NamedTuple):
    """``get``'s result: unpack it as ``metadata, payload = session.get(key)``."""

    metadata: Metadata
    payload: Payload
