"""Where the real server's answers are surprising, pinned down (marker ``divergence``).

Measured against the real server (tag 0.2.0, filesystem backend); each docstring says what it
does. The local server answers the same, the filesystem-only ones in its strict filesystem mode
(``Target.strict``); against a remote target of unknown backend both documented answers pass.
"""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from .conftest import Api, Target
from .test_batch import Part, by_index, op, send

pytestmark = pytest.mark.divergence


def _expect_strict(target: Target, response: httpx.Response, production: int) -> None:
    """500 with the filesystem backend's I/O error, or the production status."""
    allowed = {True: {500}, False: {production}, None: {500, production}}[target.strict]
    assert response.status_code in allowed, response.text
    if response.status_code == 500:
        assert response.json()["detail"].startswith("service error: i/o error: ")


def test_content_type_with_a_trailing_semicolon_is_accepted(api: Api) -> None:
    """``content-type: text/plain;`` is a valid media type for the real server (the
    ``mediatype`` crate): 200, stored and echoed verbatim."""
    assert api.put("k", b"x", **{"content-type": "text/plain;"}).status_code == 200
    assert api.get("k").headers["content-type"] == "text/plain;"


def test_empty_scope_segment_matches_the_object_route(api: Api) -> None:
    """``/v1/objects/<usecase>//<key>`` (an empty scopes segment) is not unroutable on the real
    server: its router lets the scopes parameter match an empty segment when a ``/`` follows.
    So POST is 405 (``allow: GET,HEAD,PUT,DELETE``, empty body), and GET/PUT/DELETE reach the
    scopes parser: 400 ``Invalid URL: scope must be 'key=value'`` (plain text) after auth.
    ``/v1/objects/<usecase>//`` is the collection route (GET: 405, ``allow: POST``), and an
    empty usecase segment matches too (``/v1/objects//_/key`` is the object route of usecase
    ``""``: 404 without auth, 403 with a token for another usecase). Only an empty last
    segment matches nothing: ``/v1/objects/<usecase>/`` is 404."""
    path = f"/v1/objects/{api.usecase}//key"
    response = api.request("POST", path)
    assert response.status_code == 405 and response.content == b""
    assert response.headers["allow"] == "GET,HEAD,PUT,DELETE"
    for method in ("GET", "PUT", "DELETE"):
        response = api.request(method, path)
        assert response.status_code == 400, method
        assert response.text == "Invalid URL: scope must be 'key=value'"
        assert response.headers["content-type"].startswith("text/plain")
    response = api.request("GET", f"/v1/objects/{api.usecase}//")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    response = api.request("POST", "/v1/objects//_/key")
    assert response.status_code == 405 and response.headers["allow"] == "GET,HEAD,PUT,DELETE"
    response = api.request("GET", f"/v1/objects/{api.usecase}/")
    assert response.status_code == 404 and response.content == b""


def test_key_ending_in_a_slash(api: Api, target: Target) -> None:
    """A key ending in ``/`` (``PUT .../trailing/``): the real filesystem backend answers 500
    (``service error: i/o error: Is a directory (os error 21)``: the key is a directory
    path there); production backends store it (200)."""
    response = api.put("trailing/", b"x")
    _expect_strict(target, response, 200)
    if response.status_code == 200:
        assert response.json() == {"key": "trailing/"}
        assert api.get("trailing/").content == b"x"


def test_delete_of_a_missing_key(api: Api, target: Target) -> None:
    """DELETE of a key that does not exist: 500 ``service error: i/o error: No such file or
    directory (os error 2)`` on the real filesystem backend, 204 on production backends."""
    _expect_strict(target, api.delete(f"missing-{uuid.uuid4().hex}"), 204)


def test_delete_of_a_missing_key_in_a_batch(api: Api, target: Target) -> None:
    """The same per operation inside a batch: the filesystem backend answers that operation
    with a 500 error part (JSON body, no key or kind header); production backends with 204."""
    api.written.append("there")
    api.put("there", b"x")
    parts = by_index(
        send(api, [op("delete", f"missing-{uuid.uuid4().hex}"), op("delete", "there")])
    )
    assert parts[1].status == 204
    missing: Part = parts[0]
    allowed = {True: {500}, False: {204}, None: {500, 204}}[target.strict]
    assert missing.status in allowed
    if missing.status == 500:
        assert b"No such file or directory" in missing.body
        assert "x-sn-batch-operation-kind" not in missing.headers


def test_unparsable_batch_body_is_answered_with_error_parts(api: Api, target: Target) -> None:
    """A batch body that ends inside a part (``--b\\r\\nno-terminator``): the real server answers
    200 and then error parts numbered 0, 1, 2, ... **that never end** (a server bug), each
    ``400 Bad Request`` with ``batch error: multipart error: Error parsing
    `multipart/form-data` request``. So this test reads a bounded number of parts (and bytes,
    and seconds) and never waits for the end."""
    wanted, budget, deadline = 5, 1 << 20, time.monotonic() + 20
    with api.client.stream(
        "POST",
        api.path(route="objects:batch"),
        content=b"--b\r\nno-terminator",
        headers={**api.auth_headers(), "content-type": "multipart/form-data; boundary=b"},
    ) as response:
        assert response.status_code == 200
        boundary = response.headers["content-type"].split("boundary=")[1].strip('"').encode()
        delimiter = b"--" + boundary
        received = b""
        for chunk in response.iter_raw():
            received += chunk
            ended = received.rstrip().endswith(delimiter + b"--")
            if received.count(delimiter) > wanted or ended or len(received) > budget:
                break
            assert time.monotonic() < deadline, "the batch answer neither ended nor went on"
    pieces = [p for p in received.split(delimiter)[1:] if p.startswith(b"\r\n")]
    parts = [_part(piece) for piece in pieces[:wanted]]
    assert parts, received[:500]
    first = parts[0]
    assert first.status == 400
    assert first.index == 0
    assert b"Error parsing `multipart/form-data` request" in first.body
    endless = {True: [True], False: [False], None: [True, False]}[target.endless_batch]
    assert (len(parts) == wanted) in endless
    if len(parts) == wanted:  # the endless answer: more parts than the request had
        assert [p.index for p in parts] == list(range(wanted))
        assert all(p.status == 400 for p in parts)


def _part(piece: bytes) -> Part:
    head, _, body = piece[2:].partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Part(headers, body.removesuffix(b"\r\n"))
