"""Multipart flows over MockTransport, sync and async: pagination, complete bodies, retries."""

from __future__ import annotations

import json

import httpx
import pytest

from objectstore_client import MultipartCompleteError, RequestError
from tests.unit.conftest import MockFactory


async def test_list_parts_follows_pagination(mock_client: MockFactory) -> None:
    markers: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        marker = request.url.params.get("part_number_marker")
        markers.append(marker)
        part = 1 if marker is None else int(marker) + 1
        page = {
            "parts": [{"part_number": part, "etag": f'"e{part}"', "size": 3,
                       "last_modified": "2026-07-23T12:00:00Z"}],
            "is_truncated": part < 3,
        }  # fmt: skip
        if part < 3:
            page["next_part_number_marker"] = part
        return httpx.Response(200, json=page)

    session = mock_client(handler).session("attachments", org="1")
    parts = await session.resume("key", "upload-1").list_parts()
    assert [p.part_number for p in parts] == [1, 2, 3]
    assert markers == [None, "1", "2"]


async def test_complete_parses_padded_bodies(mock_client: MockFactory) -> None:
    bodies = [b'   {"key":"k"}', b'  \n{"error":{"code":"InvalidPart","message":"nope"}}']
    sent: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, content=bodies.pop(0))

    session = mock_client(handler).session("attachments", org="1")
    upload = session.resume("k", "upload-1")
    from objectstore_client import CompletePart

    assert await upload.complete([CompletePart(2, "b"), CompletePart(1, "a")]) == "k"
    assert sent[0] == {"parts": [{"part_number": 1, "etag": "a"}, {"part_number": 2, "etag": "b"}]}
    with pytest.raises(MultipartCompleteError) as info:
        await upload.complete([CompletePart(1, "a")])
    assert (info.value.code, info.value.message) == ("InvalidPart", "nope")


async def test_put_part_is_retried_but_initiate_is_not(mock_client: MockFactory) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        assert request.headers["content-length"] == "3"
        if len(calls) == 1:
            return httpx.Response(503)
        return httpx.Response(200, json={"etag": '"etag-1-3"'})

    client = mock_client(handler)
    session = client.session("attachments", org="1")
    part = await session.resume("k", "upload-1").put_part(b"abc", part_number=1, content_length=3)
    assert part.etag == '"etag-1-3"' and calls == ["PUT", "PUT"]

    def failing(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503)

    calls.clear()
    session = mock_client(failing).session("attachments", org="1")
    with pytest.raises(RequestError):
        await session.initiate(key="k")
    assert calls == ["PUT"]
