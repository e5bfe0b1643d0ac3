"""Property-based, over sockets, through the public clients on both engines: generated and
mutated response streams (tests/wire/streams.py), sent in pieces cut at random points.
Whatever the bytes: only ``ObjectstoreError``s, no wait beyond the timeouts, nothing of a
stray second response in the first, and the next request reads exactly its own answer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from objectstore_client import AsyncClient, Client, ObjectstoreError, Usecase
from objectstore_client._engines import EngineName
from tests.engines.rawserver import Connection, RawServer, ok
from tests.wire.streams import EXAMPLES, STRAY_STATUS, Stream, streams

#: Read timeout of the clients under test: a stream that stops short waits this long.
TIMEOUT = 0.3


class _Holder:
    stream: Stream | None = None


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, _Holder]]:
    holder = _Holder()

    def handler(conn: Connection) -> None:
        while (request := conn.read_request()) is not None:
            stream = holder.stream
            if stream is None or not request.target.endswith(b"/k"):
                conn.send(ok(b"NEXT"))
                continue
            wire, start = stream.wire, 0
            for cut in stream.cuts:
                conn.send(wire[start:cut])
                start = cut
            conn.send(wire[start:])
            if stream.close:
                return

    with RawServer(handler) as server:
        yield server.url, holder


def _check(got: bytes | None, error: BaseException | None, elapsed: float) -> None:
    assert error is None or isinstance(error, ObjectstoreError), repr(error)
    assert got is None or b"B" not in got
    assert str(STRAY_STATUS) not in str(error or "")
    assert elapsed < 8 * TIMEOUT + 2  # a retried GET waits twice


@pytest.mark.parametrize("engine", ["httptools", "httpx"])
def test_sync_client(served: tuple[str, _Holder], engine: EngineName) -> None:
    url, holder = served
    options = {"timeout": TIMEOUT}
    with Client(url, engine=engine, retries=1, connection_kwargs=options) as client:
        session = client.session(Usecase("attachments"), org=1)

        @settings(
            max_examples=EXAMPLES or 15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(streams(heads=False))
        def run(stream: Stream) -> None:
            holder.stream = stream
            got: bytes | None = None
            error: BaseException | None = None
            started = time.monotonic()
            try:
                result = session.get("k")
                got = None if result is None else result.payload.read()
            except Exception as exc:
                error = exc
            _check(got, error, time.monotonic() - started)
            result = session.get("next")
            assert result is not None and result.payload.read() == b"NEXT"

        run()


@pytest.mark.parametrize("engine", ["httptools", "httpx"])
def test_async_client(served: tuple[str, _Holder], engine: EngineName) -> None:
    url, holder = served

    async def one(client: AsyncClient, stream: Stream) -> None:
        session = client.session(Usecase("attachments"), org=1)
        holder.stream = stream
        got: bytes | None = None
        error: BaseException | None = None
        started = time.monotonic()
        try:
            result = await session.get("k")
            got = None if result is None else await result.payload.read()
        except Exception as exc:
            error = exc
        _check(got, error, time.monotonic() - started)
        result = await session.get("next")
        assert result is not None and await result.payload.read() == b"NEXT"

    @settings(
        max_examples=EXAMPLES or 15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(streams(heads=False))
    def run(stream: Stream) -> None:
        async def main() -> None:
            options = {"timeout": TIMEOUT}
            async with AsyncClient(
                url, engine=engine, retries=1, connection_kwargs=options
            ) as client:
                await one(client, stream)

        asyncio.run(main())

    run()
