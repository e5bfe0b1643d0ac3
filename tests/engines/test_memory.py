"""Streaming both ways keeps memory bounded, whatever the body size (every engine)."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator

import pytest

from objectstore_client._exceptions import ProtocolViolation
from tests.engines.conftest import EngineFactory
from tests.engines.rawserver import Connection, RawServer, ok

BLOCK = bytes(range(256)) * 4096  # 1 MiB
BLOCKS = 48
#: Far below the body size: a buffered body would exceed it many times over.
LIMIT = 8 * 1024 * 1024


@pytest.fixture
def traced() -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()


def _peak_since_reset() -> int:
    return tracemalloc.get_traced_memory()[1]


def _download_handler(chunked: bool) -> object:
    view = memoryview(BLOCK)
    frame = b"%x\r\n" % len(BLOCK)

    def handler(conn: Connection) -> None:
        while conn.read_request() is not None:
            if chunked:
                conn.send(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                for _ in range(BLOCKS):
                    conn.send(frame)
                    conn.sock.sendall(view)
                    conn.send(b"\r\n")
                conn.send(b"0\r\n\r\n")
            else:
                conn.send(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % (BLOCKS * len(BLOCK)))
                for _ in range(BLOCKS):
                    conn.sock.sendall(view)

    return handler


@pytest.mark.parametrize("chunked", [False, True], ids=["length", "chunked"])
async def test_download_memory_is_bounded(
    make_engine: EngineFactory, traced: None, chunked: bool
) -> None:
    with RawServer(_download_handler(chunked)) as server:  # type: ignore[arg-type]
        engine = make_engine(server.url)
        tracemalloc.reset_peak()
        response = await engine.send("GET", "/big")
        total = 0
        async for chunk in engine.chunks(response):
            total += len(chunk)
        peak = _peak_since_reset()
    assert total == BLOCKS * len(BLOCK)
    assert peak < LIMIT, f"peak {peak / 2**20:.1f} MiB while streaming {total / 2**20:.0f} MiB"


def _blocks() -> Iterator[bytes]:
    for _ in range(BLOCKS):
        yield BLOCK


async def _ablocks() -> AsyncIterator[bytes]:
    for _ in range(BLOCKS):
        yield BLOCK


async def test_upload_memory_is_bounded(make_engine: EngineFactory, traced: None) -> None:
    sizes: list[int] = []

    def handler(conn: Connection) -> None:
        while (request := conn.read_request()) is not None:
            sizes.append(request.body_size)
            conn.send(ok(b"stored"))

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        tracemalloc.reset_peak()
        body = _blocks() if engine.kind == "sync" else _ablocks()
        response = await engine.send("PUT", "/big", body)
        assert await engine.read(response) == b"stored"
        peak = _peak_since_reset()
    assert sizes == [BLOCKS * len(BLOCK)]
    assert peak < LIMIT, f"peak {peak / 2**20:.1f} MiB while uploading"


#: What a hostile server sends forever, before any body: each must be refused.
_ENDLESS = {
    "header-lines": (b"HTTP/1.1 200 OK\r\n", b"x-more: header line\r\n" * 2048),
    "header-value": (b"HTTP/1.1 200 OK\r\nx-long: ", b"v" * 65536),
    "reason-phrase": (b"HTTP/1.1 200 ", b"O" * 65536),
    "interim-responses": (b"", b"HTTP/1.1 100 Continue\r\n\r\n" * 2048),
    "chunk-extension": (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1;x=",
        b"e" * 65536,
    ),
}


@pytest.mark.parametrize("shape", list(_ENDLESS))
async def test_an_endless_head_is_refused_quickly_at_bounded_memory(
    make_engine: EngineFactory, traced: None, shape: str
) -> None:
    """Bytes keep flowing, so no read timeout fires: only the limits stop it."""
    start, forever = _ENDLESS[shape]

    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.send(start)
            for _ in range(4096):  # 256 MiB at most, far beyond every limit; stops on close
                conn.sock.sendall(forever)

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        tracemalloc.reset_peak()
        started = time.monotonic()
        with pytest.raises(ProtocolViolation) as caught:
            response = await engine.send("GET", "/k")
            await engine.read(response)
        elapsed = time.monotonic() - started
        peak = _peak_since_reset()
    error = caught.value
    assert error.method == "GET" and error.path == "/k"
    assert elapsed < 5, f"refused after {elapsed:.1f} s"
    assert peak < LIMIT, f"peak {peak / 2**20:.1f} MiB"
