"""The SDK's batch reader against a server that answers with more parts than operations.

The real server answers an unparsable batch body with error parts numbered 0, 1, 2, ...
without end; ``endless_batch_errors=True`` makes the local server do the same. The SDK never
sends such a body, so these tests make it send one (the encoder is replaced), then check that
the reader stops at the first part beyond the operations, over real HTTP, sync and async.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from objectstore_client import AsyncClient, BatchGet, Client, OperationError, Usecase
from objectstore_client._core import batch
from objectstore_client.testing import LocalObjectstore


@pytest.fixture(scope="module")
def endless() -> Iterator[LocalObjectstore]:
    with LocalObjectstore(storage="memory", endless_batch_errors=True) as server:
        yield server


@pytest.fixture
def truncated_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    def encode(ops: Sequence[batch.BatchItem], boundary: str) -> tuple[bytes, ...]:
        return (f"--{boundary}\r\nno-terminator".encode(),)

    monkeypatch.setattr(batch, "_encode", encode)


def _check(results: Sequence[object], requests_before: int, server: LocalObjectstore) -> None:
    assert len(results) == 2
    for result in results:
        assert isinstance(result, OperationError)
        assert result.status == 400
        assert "Error parsing `multipart/form-data` request" in result.message
    assert server.app is not None
    assert server.app.requests_total == requests_before + 1  # one request, not retried


@pytest.mark.timeout(30)
@pytest.mark.usefixtures("truncated_bodies")
def test_sync_reader_stops_at_the_first_part_beyond_the_operations(
    endless: LocalObjectstore,
) -> None:
    assert endless.app is not None
    before = endless.app.requests_total
    with Client(endless.url) as client:
        session = client.session(Usecase("u"), org=1)
        results = session.many([BatchGet("a"), BatchGet("b")])
        _check(results, before, endless)
        # the connection was dropped, not reused with an endless body still coming
        assert session.put(b"x", key="after") == "after"


@pytest.mark.timeout(30)
@pytest.mark.usefixtures("truncated_bodies")
async def test_async_reader_stops_at_the_first_part_beyond_the_operations(
    endless: LocalObjectstore,
) -> None:
    assert endless.app is not None
    before = endless.app.requests_total
    async with AsyncClient(endless.url) as client:
        session = client.session(Usecase("u"), org=1)
        results = await session.many([BatchGet("a"), BatchGet("b")])
        _check(results, before, endless)
        assert await session.put(b"x", key="after") == "after"
