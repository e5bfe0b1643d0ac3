"""Single byte ranges on GET (reference §9)."""

from __future__ import annotations

import pytest

from .conftest import Api

PAYLOAD = b"0123456789"


@pytest.mark.parametrize(
    ("spec", "content_range", "body"),
    [
        ("bytes=0-3", "bytes 0-3/10", b"0123"),
        ("bytes=2-2", "bytes 2-2/10", b"2"),
        ("bytes=5-", "bytes 5-9/10", b"56789"),
        ("bytes=-3", "bytes 7-9/10", b"789"),
        ("bytes=8-100", "bytes 8-9/10", b"89"),
        ("bytes=-100", "bytes 0-9/10", PAYLOAD),
        ("BYTES=0-0", "bytes 0-0/10", b"0"),
    ],
)
def test_single_range_is_206(api: Api, spec: str, content_range: str, body: bytes) -> None:
    api.put("k", PAYLOAD, **{"x-snme-tag": "v"})
    response = api.get("k", range=spec)
    assert response.status_code == 206
    assert response.content == body
    assert response.headers["content-range"] == content_range
    assert response.headers["content-length"] == str(len(body))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["x-snme-tag"] == "v"


@pytest.mark.parametrize("spec", ["bytes=10-", "bytes=10-20", "bytes=100-"])
def test_unsatisfiable_range_is_416_with_empty_body(api: Api, spec: str) -> None:
    api.put("k", PAYLOAD)
    response = api.get("k", range=spec)
    assert response.status_code == 416
    assert response.content == b""
    assert response.headers["content-range"] == "bytes */10"
    assert "x-sn-time-created" not in response.headers


def test_any_range_on_an_empty_object_is_416(api: Api) -> None:
    api.put("k", b"")
    response = api.get("k", range="bytes=0-")
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */0"


@pytest.mark.parametrize("spec", ["bytes=0-1,3-4", "bytes=0-1, 3-4"])
def test_multiple_ranges_are_ignored(api: Api, spec: str) -> None:
    api.put("k", PAYLOAD)
    response = api.get("k", range=spec)
    assert response.status_code == 200
    assert response.content == PAYLOAD


@pytest.mark.parametrize(
    "spec", ["items=0-1", "bytes=5-2", "bytes=-0", "bytes=a-b", "bytes=-", "bytes= 0-1", "bytes"]
)
def test_malformed_range_is_400_json(api: Api, spec: str) -> None:
    api.put("k", PAYLOAD)
    response = api.get("k", range=spec)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


def test_missing_object_with_range_is_404(api: Api) -> None:
    assert api.get("nope", range="bytes=0-1").status_code == 404


def test_head_ignores_range(api: Api) -> None:
    api.put("k", PAYLOAD)
    response = api.head("k", range="bytes=0-1")
    assert response.status_code == 204
    assert "content-range" not in response.headers
