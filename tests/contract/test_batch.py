"""The batch route (reference §13)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser

import httpx
import pytest

from objectstore_client.testing import LocalObjectstore

from .conftest import Api, Clocked

Op = tuple[dict[str, str], bytes]


def encode(ops: Sequence[Op], boundary: str = "contract-boundary") -> tuple[bytes, str]:
    chunks = []
    for headers, body in ops:
        lines = [f"--{boundary}", 'content-disposition: form-data; name="part"']
        lines += [f"{k}: {v}" for k, v in headers.items()]
        chunks.append("\r\n".join(lines).encode() + b"\r\n\r\n" + body + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), boundary


@dataclass
class Part:
    headers: dict[str, str]
    body: bytes

    @property
    def index(self) -> int:
        return int(self.headers["x-sn-batch-operation-index"])

    @property
    def status(self) -> int:
        return int(self.headers["x-sn-batch-operation-status"].split()[0])


def decode(response: httpx.Response) -> list[Part]:
    assert response.status_code == 200, response.text
    ctype = response.headers["content-type"]
    match = re.match(r'^multipart/form-data; boundary="?([^"]+)"?$', ctype)
    assert match, ctype
    delim = b"--" + match.group(1).encode()
    body = response.content
    assert body.endswith(delim + b"--")
    parts = []
    for chunk in body.split(delim)[1:-1]:
        assert chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n")
        head, _, payload = chunk[2:-2].partition(b"\r\n\r\n")
        parsed = BytesHeaderParser().parsebytes(head + b"\r\n\r\n")
        headers = {k.lower(): v for k, v in parsed.items()}
        parts.append(Part(headers, payload))
    return parts


def send(api: Api, ops: Sequence[Op], url: str | None = None) -> list[Part]:
    body, boundary = encode(ops)
    response = api.request(
        "POST",
        url or api.path(route="objects:batch"),
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    return decode(response)


def op(kind: str, key: str | None = None, body: bytes = b"", **headers: str) -> Op:
    h = {"x-sn-batch-operation-kind": kind, **headers}
    if key is not None:
        h["x-sn-batch-operation-key"] = key
    return h, body


def by_index(parts: list[Part]) -> dict[int, Part]:
    return {p.index: p for p in parts}


def test_insert_get_head_delete(api: Api) -> None:
    api.written.append("a")
    parts = by_index(
        send(api, [op("insert", "a", b"alpha", **{"content-type": "text/plain"}), op("insert")])
    )
    assert parts[0].status == 201
    assert parts[0].headers["x-sn-batch-operation-key"] == "a"
    assert parts[0].headers["x-sn-batch-operation-kind"] == "insert"
    generated = parts[1].headers["x-sn-batch-operation-key"]
    assert re.match(r"^[0-9a-f]{8}%2D", generated)
    api.written.append(generated.replace("%2D", "-"))

    parts = by_index(send(api, [op("get", "a"), op("head", "a"), op("get", "missing")]))
    assert parts[0].status == 200 and parts[0].body == b"alpha"
    assert parts[0].headers["content-type"] == "text/plain"
    assert parts[1].status == 204 and parts[1].body == b""
    assert "x-sn-time-created" in parts[1].headers
    assert parts[2].status == 404 and "x-sn-time-created" not in parts[2].headers

    parts = by_index(send(api, [op("delete", "a")]))
    assert parts[0].status == 204
    assert api.get("a").status_code == 404


def test_status_header_has_reason_phrase(api: Api) -> None:
    api.written.append("k")
    (part,) = send(api, [op("insert", "k", b"x")])
    assert part.headers["x-sn-batch-operation-status"] == "201 Created"


def test_keys_are_percent_encoded_in_responses(api: Api) -> None:
    api.written.append("key-1.x")
    (part,) = send(api, [op("insert", "key%2D1.x", b"x")])
    assert part.headers["x-sn-batch-operation-key"] == "key%2D1%2Ex"
    assert api.get("key-1.x").content == b"x"


def test_every_request_index_is_answered(api: Api) -> None:
    keys = [f"k{i}" for i in range(20)]
    api.written.extend(keys)
    parts = send(api, [op("insert", k, k.encode()) for k in keys])
    assert sorted(p.index for p in parts) == list(range(20))
    for part in parts:
        assert part.headers["x-sn-batch-operation-key"] == f"k{part.index}"


@pytest.mark.local_only
def test_results_can_come_back_in_another_order(api: Api) -> None:
    with (
        LocalObjectstore(batch_order="reverse") as server,
        httpx.Client(base_url=server.url) as client,
    ):
        other = Api(api.target, client, scope=api.scope)
        other.target = type(api.target)(server.url)
        parts = send(other, [op("insert", f"k{i}", b"x") for i in range(3)])
        assert [p.index for p in parts] == [2, 1, 0]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 400),
        ({"x-sn-batch-operation-kind": "explode", "x-sn-batch-operation-key": "k"}, 400),
        ({"x-sn-batch-operation-kind": "get"}, 400),
        ({"x-sn-batch-operation-kind": "insert", "content-encoding": "gzip"}, 400),
    ],
)
def test_invalid_operations_get_error_parts(api: Api, headers: dict[str, str], status: int) -> None:
    (part,) = send(api, [(headers, b"")])
    assert part.status == status
    assert part.index == 0
    assert "x-sn-batch-operation-key" not in part.headers
    assert "x-sn-batch-operation-kind" not in part.headers
    assert "detail" in json.loads(part.body)


def test_kind_is_case_insensitive(api: Api) -> None:
    api.written.append("k")
    (part,) = send(api, [op("INSERT", "k", b"x")])
    assert part.status == 201


def test_insert_over_1_mib_is_413(api: Api) -> None:
    parts = by_index(send(api, [op("insert", "big", b"x" * (1024 * 1024 + 1)), op("get", "big")]))
    assert parts[0].status == 413
    assert parts[1].status == 404


def test_insert_of_exactly_1_mib_is_accepted(api: Api) -> None:
    api.written.append("max")
    (part,) = send(api, [op("insert", "max", b"x" * (1024 * 1024))])
    assert part.status == 201


def test_more_than_1000_operations_are_413_each(api: Api) -> None:
    parts = by_index(send(api, [op("get", f"k{i}") for i in range(1002)]))
    assert len(parts) == 1002
    assert parts[999].status == 404
    assert parts[1000].status == 413
    assert parts[1001].status == 413


def test_batch_requires_form_data_boundary(api: Api) -> None:
    for ctype in ("application/json", "multipart/mixed; boundary=x", "multipart/form-data"):
        response = api.request(
            "POST", api.path(route="objects:batch"), content=b"", headers={"content-type": ctype}
        )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/plain")


def test_batch_needs_the_trailing_slash(api: Api) -> None:
    body, boundary = encode([op("get", "k")])
    path = api.path(route="objects:batch").rstrip("/")
    response = api.request(
        "POST",
        path,
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 404


@pytest.mark.needs_auth
def test_permissions_are_checked_per_operation(api: Api) -> None:
    api.written.append("k")
    api.put("k", b"x")
    body, boundary = encode([op("get", "k"), op("delete", "k")])
    token = api.token(permissions=["object.read"])
    response = api.request(
        "POST",
        api.path(route="objects:batch"),
        content=body,
        headers={
            "content-type": f"multipart/form-data; boundary={boundary}",
            "x-os-auth": f"Bearer {token}",
        },
        auth=False,
    )
    parts = by_index(decode(response))
    assert parts[0].status == 200
    assert parts[1].status == 403


def test_unique_keys_do_not_collide(api: Api) -> None:
    key = f"u-{uuid.uuid4().hex}"
    api.written.append(key)
    parts = by_index(send(api, [op("insert", key, b"1")]))
    assert parts[0].status == 201


@pytest.mark.local_only
def test_batch_reads_bump_tti_and_filter_expired(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    api.put("tti", b"x", **{"x-sn-expiration": "tti:1h"})
    api.put("ttl", b"x", **{"x-sn-expiration": "ttl:1h"})
    clock.advance(50 * 60)
    parts = by_index(send(api, [op("get", "tti"), op("head", "ttl")]))
    assert parts[0].status == 200 and parts[1].status == 204
    clock.advance(30 * 60)
    parts = by_index(send(api, [op("get", "tti"), op("get", "ttl")]))
    assert parts[0].status == 200  # bumped by the batch read
    assert parts[1].status == 404


@pytest.mark.needs_auth
def test_presigned_batch_is_403(api: Api) -> None:
    from .test_auth import presign

    url = presign(api, "GET", "").replace(api.path(""), api.path(route="objects:batch"))
    body, boundary = encode([op("get", "k")])
    response = api.request(
        "POST",
        url,
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        auth=False,
    )
    assert response.status_code == 403
