"""Batch operations end to end, sync and async: request order whatever the server's answer
order, missing objects as results, typed per-operation errors, splitting, large inserts."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from objectstore_client import (
    BatchConfig,
    BatchDelete,
    BatchGet,
    BatchHead,
    BatchPut,
    DeleteResult,
    GetResult,
    HeadResult,
    InvalidInput,
    OperationError,
    PutResult,
    SecretKey,
)
from objectstore_client.testing import LocalObjectstore
from tests.e2e.adapter import ClientAdapter, SessionAdapter
from tests.e2e.conftest import READ_ONLY_KID, AuthServer
from tests.e2e.faults import Faults, flaky_transport

Make = Callable[..., LocalObjectstore]


@pytest.fixture(params=["reverse", "shuffle"])
async def shuffled(
    request: pytest.FixtureRequest, kind: str, objectstore_server_factory: Make
) -> AsyncIterator[tuple[SessionAdapter, Faults]]:
    """A session on a server that answers batches out of order, with a request log."""
    server = objectstore_server_factory(storage="memory", batch_order=request.param)
    faults = Faults(lambda _request, _count: None)
    client = ClientAdapter(
        kind, server.url, connection_kwargs={"transport": flaky_transport(kind, faults)}
    )
    yield client.session("attachments", org=uuid.uuid4().hex[:10]), faults
    await client.close()


def _batch_requests(faults: Faults) -> list[str]:
    return [url for method, url in faults.log if method == "POST" and "objects:batch" in url]


async def test_results_follow_request_order(shuffled: tuple[SessionAdapter, Faults]) -> None:
    session, faults = shuffled
    items = {f"k/{i}": f"value {i}".encode() * (i + 1) for i in range(20)}
    puts = await session.call("put_many", items)
    assert puts == [PutResult(key) for key in items]
    keys = [*items, "missing", "k/3"]
    gets = await session.call("get_many", keys)
    assert [r.key for r in gets] == keys
    assert all(isinstance(r, GetResult) for r in gets)
    assert [r.data for r in gets] == [*items.values(), None, items["k/3"]]
    assert not gets[20].found and gets[21].found
    assert gets[0].metadata.compression is None  # decompressed for you
    raw = await session.call("get_many", ["k/1"], decompress=False)
    assert raw[0].metadata.compression == "zstd" and raw[0].data != items["k/1"]
    heads = await session.call("head_many", ["k/2", "nope"])
    assert isinstance(heads[0], HeadResult) and heads[0].found and not heads[1].found
    deletes = await session.call("delete_many", ["k/0", "k/1"])
    assert deletes == [DeleteResult("k/0"), DeleteResult("k/1")]
    assert [r.found for r in await session.call("get_many", ["k/0", "k/2"])] == [False, True]
    assert len(_batch_requests(faults)) == 6  # one request per call


async def test_mixed_operations_and_generated_keys(shuffled: tuple[SessionAdapter, Faults]) -> None:
    session, _ = shuffled
    results = await session.call(
        "many",
        [
            BatchPut(b"one", "a", content_type="text/plain", metadata={"x": "1"}),
            BatchPut(b"generated", compression="none"),
            BatchHead("a"),
            BatchGet("a"),
            BatchDelete("never-existed"),
        ],
    )
    assert results[0] == PutResult("a")
    assert isinstance(results[1], PutResult) and len(results[1].key) == 36
    assert isinstance(results[2], HeadResult)  # ops in one batch may run in any order
    assert isinstance(results[4], DeleteResult)
    got = await session.get_bytes(results[1].key)
    assert got is not None and got[1] == b"generated"
    meta = await session.head("a")
    assert meta is not None and meta.content_type == "text/plain" and meta.custom == {"x": "1"}


async def test_splitting_and_large_inserts(shuffled: tuple[SessionAdapter, Faults]) -> None:
    session, faults = shuffled
    big = os.urandom(1536 * 1024)  # incompressible: over 1 MiB after compression
    items = {"big": big, **{f"s/{i}": b"x" for i in range(1001)}}
    results = await session.call("put_many", items, config=BatchConfig(batch_concurrency=2))
    assert all(isinstance(r, PutResult) for r in results) and results[0].key == "big"
    assert len(_batch_requests(faults)) == 2  # 1001 small inserts: 1000 + 1
    singles = [url for method, url in faults.log if method == "PUT" and url.endswith("/big")]
    assert len(singles) == 1
    got = await session.call("get_many", ["big", "s/1000"])
    assert got[0].data == big and got[1].data == b"x"


async def test_per_operation_errors_are_typed(kind: str, auth_server: AuthServer) -> None:
    token = SecretKey(READ_ONLY_KID, auth_server.private_pem)
    client = ClientAdapter(kind, auth_server.url, token=token)
    try:
        session = client.session("attachments", org=uuid.uuid4().hex[:10])
        results = await session.call("many", [BatchGet("nothing"), BatchPut(b"no", "denied")])
        assert isinstance(results[0], GetResult) and not results[0].found
        error = results[1]
        assert isinstance(error, OperationError)
        assert (error.index, error.kind, error.key, error.status) == (1, "insert", "denied", 403)
    finally:
        await client.close()


async def test_a_failed_batch_request_fails_each_operation(kind: str, objectstore_url: str) -> None:
    def rule(request: httpx.Request, _count: int) -> httpx.Response | None:
        if "objects:batch" in request.url.path:
            return httpx.Response(500, json={"detail": "internal error: boom"})
        return None

    transport = flaky_transport(kind, Faults(rule))
    client = ClientAdapter(kind, objectstore_url, connection_kwargs={"transport": transport})
    try:
        session = client.session("attachments", org="1")
        results = await session.call("get_many", ["a", "b"])
        assert [(r.index, r.status) for r in results] == [(0, 500), (1, 500)]
        assert all(isinstance(r, OperationError) and "boom" in r.message for r in results)
    finally:
        await client.close()


async def test_bad_batch_input_is_refused_before_any_request(client: ClientAdapter) -> None:
    session = client.session("attachments", org="1")
    with pytest.raises(InvalidInput):
        await session.call("many", [BatchGet("a"), "not an op"])
    with pytest.raises(InvalidInput, match="key"):
        await session.call("get_many", [""])
    with pytest.raises(InvalidInput, match="bytes"):
        await session.call("put_many", {"k": "text"})
    with pytest.raises(InvalidInput, match="compression"):
        await session.call("many", [BatchPut(b"x", "k", compression="gzip")])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="batch_concurrency"):
        BatchConfig(batch_concurrency=0)
