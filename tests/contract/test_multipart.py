"""Multipart uploads (reference §12)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .conftest import Api, Clocked


def _initiate(api: Api, key: str | None = "mp", **headers: str) -> dict[str, Any]:
    if key is None:
        response = api.request("POST", api.path(route="objects:multipart"), headers=headers)
    else:
        response = api.request("PUT", api.path(key, "objects:multipart"), headers=headers)
    assert response.status_code == 200, response.text
    doc: dict[str, Any] = response.json()
    api.written.append(doc["key"])
    return doc


def _part(api: Api, key: str, upload_id: str, n: int, body: bytes) -> httpx.Response:
    return api.request(
        "PUT",
        api.path(key, "objects:multipart:parts"),
        params={"upload_id": upload_id, "part_number": n},
        content=body,
    )


def _complete(api: Api, key: str, upload_id: str, parts: list[dict[str, Any]]) -> httpx.Response:
    return api.request(
        "POST",
        api.path(key, "objects:multipart:complete"),
        params={"upload_id": upload_id},
        json={"parts": parts},
    )


def _doc(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    doc: dict[str, Any] = json.loads(response.content.lstrip())
    return doc


def test_initiate_with_key_and_generated_key(api: Api) -> None:
    doc = _initiate(api, "mp")
    assert doc["key"] == "mp" and doc["upload_id"]
    generated = _initiate(api, None)
    assert re.match(r"^[0-9a-f-]{36}$", generated["key"])


def test_full_upload_round_trip(api: Api) -> None:
    doc = _initiate(api, "mp", **{"content-type": "text/plain", "x-snme-a": "b"})
    etags = []
    for n, body in ((1, b"hello "), (2, b"multipart "), (3, b"world")):
        response = _part(api, "mp", doc["upload_id"], n, body)
        assert response.status_code == 200
        etags.append({"part_number": n, "etag": response.json()["etag"]})
    result = _complete(api, "mp", doc["upload_id"], etags)
    assert _doc(result) == {"key": "mp"}
    got = api.get("mp")
    assert got.content == b"hello multipart world"
    assert got.headers["content-type"] == "text/plain"
    assert got.headers["x-snme-a"] == "b"


@pytest.mark.local_only
def test_complete_body_is_padded_with_leading_whitespace(api: Api) -> None:
    doc = _initiate(api)
    etag = _part(api, "mp", doc["upload_id"], 1, b"x").json()["etag"]
    response = _complete(api, "mp", doc["upload_id"], [{"part_number": 1, "etag": etag}])
    assert response.content.startswith(b" ")
    assert response.content.strip() == b'{"key":"mp"}'


@pytest.mark.local_only
def test_filesystem_etag_format(api: Api) -> None:
    doc = _initiate(api)
    assert _part(api, "mp", doc["upload_id"], 2, b"abcd").json()["etag"] == '"etag-2-4"'


def test_part_without_content_length_is_400(api: Api) -> None:
    doc = _initiate(api)

    def chunked() -> Iterator[bytes]:
        yield b"abc"

    response = api.request(
        "PUT",
        api.path("mp", "objects:multipart:parts"),
        params={"upload_id": doc["upload_id"], "part_number": 1},
        content=chunked(),
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("part_number", ["0", "abc", "-1", "4294967296"])
def test_bad_part_number_is_400_text(api: Api, part_number: str) -> None:
    doc = _initiate(api)
    response = api.request(
        "PUT",
        api.path("mp", "objects:multipart:parts"),
        params={"upload_id": doc["upload_id"], "part_number": part_number},
        content=b"x",
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")


def test_missing_upload_id_is_400_text(api: Api) -> None:
    response = api.request("DELETE", api.path("mp", "objects:multipart"))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")


def test_list_parts_with_pagination(api: Api) -> None:
    doc = _initiate(api)
    for n in (1, 2, 3):
        _part(api, "mp", doc["upload_id"], n, b"x" * n)
    path = api.path("mp", "objects:multipart:parts")
    full = api.request("GET", path, params={"upload_id": doc["upload_id"]}).json()
    assert [p["part_number"] for p in full["parts"]] == [1, 2, 3]
    assert [p["size"] for p in full["parts"]] == [1, 2, 3]
    assert full["is_truncated"] is False
    assert "next_part_number_marker" not in full
    page = api.request("GET", path, params={"upload_id": doc["upload_id"], "max_parts": 2}).json()
    assert [p["part_number"] for p in page["parts"]] == [1, 2]
    assert page["is_truncated"] is True
    assert page["next_part_number_marker"] == 2
    rest = api.request(
        "GET", path, params={"upload_id": doc["upload_id"], "part_number_marker": 2}
    ).json()
    assert [p["part_number"] for p in rest["parts"]] == [3]
    assert re.match(
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{9})?Z$", rest["parts"][0]["last_modified"]
    )


def test_reuploading_a_part_replaces_it(api: Api) -> None:
    doc = _initiate(api)
    _part(api, "mp", doc["upload_id"], 1, b"first")
    etag = _part(api, "mp", doc["upload_id"], 1, b"second!").json()["etag"]
    _complete(api, "mp", doc["upload_id"], [{"part_number": 1, "etag": etag}])
    assert api.get("mp").content == b"second!"


def test_complete_with_wrong_etag_reports_invalid_part_and_can_be_retried(api: Api) -> None:
    doc = _initiate(api)
    etag = _part(api, "mp", doc["upload_id"], 1, b"data").json()["etag"]
    bad = _doc(_complete(api, "mp", doc["upload_id"], [{"part_number": 1, "etag": "bogus"}]))
    assert set(bad["error"]) == {"code", "message"}
    good = _complete(api, "mp", doc["upload_id"], [{"part_number": 1, "etag": etag}])
    assert _doc(good) == {"key": "mp"}


def test_complete_unknown_upload_reports_an_error_document(api: Api) -> None:
    _initiate(api)
    doc = _doc(_complete(api, "mp", "0190aaaa-0000-7000-8000-000000000000", []))
    assert "error" in doc


def test_complete_needs_json_content_type(api: Api) -> None:
    doc = _initiate(api)
    response = api.request(
        "POST",
        api.path("mp", "objects:multipart:complete"),
        params={"upload_id": doc["upload_id"]},
        content=b'{"parts": []}',
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'{"parts": [{"part_number": 0, "etag": "x"}]}', 422),
        (b'{"parts": "nope"}', 422),
        (b"{}", 422),
    ],
)
def test_complete_body_rejections(api: Api, body: bytes, status: int) -> None:
    doc = _initiate(api)
    response = api.request(
        "POST",
        api.path("mp", "objects:multipart:complete"),
        params={"upload_id": doc["upload_id"]},
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/plain")


def test_abort_is_204_and_idempotent(api: Api) -> None:
    doc = _initiate(api)
    path = api.path("mp", "objects:multipart")
    params = {"upload_id": doc["upload_id"]}
    assert api.request("DELETE", path, params=params).status_code == 204
    assert api.request("DELETE", path, params=params).status_code == 204


@pytest.mark.local_only
def test_part_for_unknown_upload_is_500(api: Api) -> None:
    response = _part(api, "mp", "0190aaaa-0000-7000-8000-000000000000", 1, b"x")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("upload_id", ["..", "../x", "/abs", "./x", "a/../b", "."])
def test_invalid_upload_id_is_400(api: Api, upload_id: str) -> None:
    response = api.request(
        "DELETE", api.path("mp", "objects:multipart"), params={"upload_id": upload_id}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("GET", "objects:multipart"),
        ("POST", "objects:multipart:parts"),
        ("GET", "objects:multipart:complete"),
    ],
)
def test_multipart_wrong_methods_are_405(api: Api, method: str, route: str) -> None:
    assert api.request(method, api.path("mp", route)).status_code == 405


def test_abort_of_unknown_but_valid_upload_id_is_204(api: Api) -> None:
    response = api.request(
        "DELETE", api.path("mp", "objects:multipart"), params={"upload_id": "a/./b"}
    )
    assert response.status_code == 204


@pytest.mark.needs_auth
def test_multipart_needs_write_permission(api: Api) -> None:
    doc = _initiate(api)
    token = api.token(permissions=["object.read", "object.delete"])
    response = api.request(
        "PUT",
        api.path("mp", "objects:multipart:parts"),
        params={"upload_id": doc["upload_id"], "part_number": 1},
        content=b"x",
        headers={"x-os-auth": f"Bearer {token}"},
        auth=False,
    )
    assert response.status_code == 403


@pytest.mark.needs_auth
def test_complete_without_permission_is_200_with_an_error_document(api: Api) -> None:
    doc = _initiate(api)
    token = api.token(permissions=["object.read"])
    response = api.request(
        "POST",
        api.path("mp", "objects:multipart:complete"),
        params={"upload_id": doc["upload_id"]},
        json={"parts": []},
        headers={"x-os-auth": f"Bearer {token}"},
        auth=False,
    )
    assert _doc(response)["error"]["code"] == "internal error"


@pytest.mark.local_only
def test_multipart_ttl_starts_at_initiation(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    doc = _initiate(api, "mp", **{"x-sn-expiration": "ttl:1h"})
    clock.advance(3000)
    etag = _part(api, "mp", doc["upload_id"], 1, b"x").json()["etag"]
    _complete(api, "mp", doc["upload_id"], [{"part_number": 1, "etag": etag}])
    assert api.get("mp").status_code == 200
    clock.advance(601)
    assert api.get("mp").status_code == 404
