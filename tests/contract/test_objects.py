"""Single-object routes: status codes, bodies, routing, key encoding (reference §1-3, §6)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest

from .conftest import Api

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_post_returns_201_and_a_uuid4_key(api: Api) -> None:
    response = api.request("POST", api.path().rstrip("/"), content=b"hello")
    assert response.status_code == 201
    key = response.json()["key"]
    api.written.append(key)
    assert UUID4.match(key)
    assert response.headers["content-type"] == "application/json"


def test_post_with_trailing_slash_is_the_same_route(api: Api) -> None:
    response = api.request("POST", api.path(), content=b"hello")
    assert response.status_code == 201
    api.written.append(response.json()["key"])


def test_put_returns_200_and_the_key(api: Api) -> None:
    response = api.put("my-key", b"hello")
    assert response.status_code == 200
    assert response.json() == {"key": "my-key"}


def test_put_overwrites(api: Api) -> None:
    api.put("k", b"one")
    assert api.put("k", b"two").status_code == 200
    assert api.get("k").content == b"two"


def test_get_returns_the_bytes(api: Api) -> None:
    payload = bytes(range(256)) * 1000
    api.put("blob", payload)
    response = api.get("blob")
    assert response.status_code == 200
    assert response.content == payload
    assert response.headers["accept-ranges"] == "bytes"


def test_chunked_upload_is_accepted(api: Api) -> None:
    def body() -> Iterator[bytes]:
        yield b"chunk-1;"
        yield b"chunk-2"

    response = api.request("PUT", api.path("chunked"), content=body())
    assert response.status_code == 200
    api.written.append("chunked")
    assert api.get("chunked").content == b"chunk-1;chunk-2"


def test_empty_object_round_trips(api: Api) -> None:
    api.put("empty", b"")
    response = api.get("empty")
    assert response.status_code == 200
    assert response.content == b""


def test_head_returns_204_with_metadata_and_no_body(api: Api) -> None:
    api.put("k", b"hello", **{"content-type": "text/plain"})
    response = api.head("k")
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["content-type"] == "text/plain"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-length"] == "0"  # the real server says so (DELETE not)


def test_delete_returns_204_and_removes(api: Api) -> None:
    api.put("k")
    response = api.delete("k")
    assert response.status_code == 204
    assert response.content == b""
    assert api.get("k").status_code == 404


def test_missing_object_is_404_with_empty_body(api: Api) -> None:
    for response in (api.get("nope"), api.head("nope")):
        assert response.status_code == 404
        assert response.content == b""
        assert "content-type" not in response.headers


def test_server_header_and_lower_case_names(api: Api) -> None:
    api.put("k", b"x", **{"x-snme-Custom": "v"})
    response = api.get("k")
    assert response.headers["server"] == "objectstore/0.1.0"
    for name, _ in response.headers.raw:
        assert name == name.lower(), name


@pytest.mark.parametrize(
    ("method", "suffix", "allowed"),
    [
        ("GET", "/", "POST"),
        ("PUT", "/", "POST"),
        ("GET", "", "POST"),
        ("POST", "/key", "DELETE"),
        ("PATCH", "/key", "GET"),
    ],
)
def test_wrong_method_is_405_with_allow(api: Api, method: str, suffix: str, allowed: str) -> None:
    path = api.path().rstrip("/") + suffix
    response = api.request(method, path)
    assert response.status_code == 405
    assert response.content == b""
    assert allowed in response.headers["allow"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/objects/contract-tests",
        "/v1/objects:batch/contract-tests/_",
        "/v2/objects/contract-tests/_/key",
        "/nope",
    ],
)
def test_unroutable_paths_are_404_with_empty_body(api: Api, path: str) -> None:
    response = api.request("POST", path)
    assert response.status_code == 404
    assert response.content == b""


def test_encoded_slash_in_key_is_a_slash(api: Api) -> None:
    assert api.put("a%2Fb", b"x").json() == {"key": "a/b"}
    assert api.get("a/b").content == b"x"


@pytest.mark.parametrize(
    ("wire", "key"),
    [
        ("with%20space", "with space"),
        ("caf%C3%A9", "café"),
        ("plus+sign", "plus+sign"),
        ("100%25literal", "100%literal"),
        ("looks%2520encoded", "looks%20encoded"),
        ("sub!$'()*+,=delims", "sub!$'()*+,=delims"),
        ("a%3Fb%23c", "a?b#c"),
        ("nested/path/segments", "nested/path/segments"),
        ("/leading", "/leading"),
    ],
)
def test_keys_are_percent_decoded_once(api: Api, wire: str, key: str) -> None:
    response = api.put(wire, b"x")
    assert response.status_code == 200
    assert response.json() == {"key": key}
    assert api.get(wire).content == b"x"


def test_scope_order_is_significant(api: Api) -> None:
    api.scope = {**api.scope, "project": "1"}
    api.put("k", b"x")
    reversed_scope = ";".join(f"{k}={v}" for k, v in reversed(api.scope.items()))
    path = f"/v1/objects/{api.usecase}/{reversed_scope}/k"
    assert api.request("GET", path).status_code in (404, 403)


def test_empty_scope_is_underscore(api: Api) -> None:
    api.scope = {}
    key = f"k-{uuid.uuid4().hex}"
    assert api.put(key, b"x").status_code == 200
    assert api.get(key).content == b"x"


@pytest.mark.parametrize(
    "scopes",
    ["org", "org=", "=1", "org=1;", "a.b=1", "org=1=2", "org=a%20b", "org=%C3%A9"],
)
def test_invalid_scopes_are_400_plain_text(api: Api, scopes: str) -> None:
    response = api.request("GET", f"/v1/objects/{api.usecase}/{scopes}/key")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Invalid URL: ")


def test_encoded_scope_separator_is_decoded(api: Api) -> None:
    org = api.scope["org"]
    api.put("k", b"x")
    assert api.request("GET", f"/v1/objects/{api.usecase}/org%3D{org}/k").content == b"x"


@pytest.mark.local_only
@pytest.mark.parametrize(
    "key", ["a/%2E%2E/b", "%2E/a", "a/%2E", "%2E%2E", "a/%2E/b", "a%2F..%2Fb", "..%2F..%2Fetc"]
)
def test_dot_segments_in_keys_are_rejected(api: Api, key: str) -> None:
    # encoded, so that no client-side URL normalisation removes them
    response = api.request("PUT", api.path(key), content=b"x")
    assert response.status_code == 400
    assert response.text.startswith("Invalid URL: ")


def test_health_and_ready(api: Api) -> None:
    for path in ("/health", "/ready"):
        response = api.request("GET", path, auth=False)
        assert response.status_code == 200
        assert response.text == "OK"


def test_keda_metrics(api: Api) -> None:
    response = api.request("GET", "/keda", auth=False)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
