"""_core/batch.py: wire format both ways, splitting, correlation by index (MockTransport)."""

from __future__ import annotations

import httpx
import pytest

from objectstore_client import BatchGet, BatchPut, GetResult, OperationError, PutResult
from objectstore_client._constants import BATCH_BODY_CHUNK_BYTES
from objectstore_client._core.batch import BatchItem, parse_form_data, plan_batch, split
from objectstore_client._core.plan import SessionInfo
from objectstore_client._core.tokens import TokenCache
from objectstore_client._models import Scope, Usecase
from tests.unit.conftest import MockFactory


def _response(parts: list[tuple[list[tuple[str, str]], bytes]], boundary: str = "os-b") -> bytes:
    out = b""
    for headers, body in parts:
        out += f"--{boundary}\r\n".encode()
        out += b"".join(f"{k}: {v}\r\n".encode() for k, v in headers)
        out += b"\r\n" + body + b"\r\n"
    return out + f"--{boundary}--".encode()  # no CRLF after the final delimiter


def test_parse_form_data_with_a_quoted_boundary() -> None:
    body = _response([([("X-A", "1")], b"first\r\nline"), ([], b""), ([("b", "2")], b"--os-")])
    parts = parse_form_data('multipart/form-data; boundary="os-b"', body)
    assert parts == [({"x-a": "1"}, b"first\r\nline"), ({}, b""), ({"b": "2"}, b"--os-")]
    with pytest.raises(ValueError):
        parse_form_data("multipart/form-data", body)


def test_split_limits() -> None:
    def op(index: int, size: int = 0, kind: str = "get") -> BatchItem:
        return BatchItem(index, kind, f"k{index}", {}, b"x" * size)  # type: ignore[arg-type]

    small = [op(i) for i in range(2500)]
    batches, individual = split(small)
    assert [len(b) for b in batches] == [1000, 1000, 500] and individual == []
    sized = [op(0, 600_000, "insert"), op(1, 600_000, "insert"), op(2, 2_000_000, "insert")]
    batches, individual = split(sized, max_bytes=1_000_000)
    assert [[o.index for o in b] for b in batches] == [[0], [1]]
    assert [o.index for o in individual] == [2]


def test_batch_body_is_coalesced_into_bounded_chunks() -> None:
    def op(index: int, size: int) -> BatchItem:
        headers = {"x-os-op": "insert", "x-os-key": f"k{index}"}
        return BatchItem(index, "insert", f"k{index}", headers, bytes([index % 256]) * size)

    info = SessionInfo(Usecase("u"), Scope(org=1), None, TokenCache(lambda: 0.0))
    small = [op(i, 1024) for i in range(1000)]
    large = [op(i, 600_000) for i in range(5)]
    for ops in (small, large, small[:1]):
        plan = plan_batch(info, ops)
        chunks = plan.body.source  # type: ignore[union-attr]
        # few chunks, none much larger than the target (one part at most on top)
        assert all(len(c) < BATCH_BODY_CHUNK_BYTES + 700_000 for c in chunks)
        assert len(chunks) <= sum(o.size for o in ops) // BATCH_BODY_CHUNK_BYTES + 1
        content_type = plan.build_kwargs(info)["headers"]["Content-Type"]
        parts = parse_form_data(content_type, b"".join(chunks))
        assert [(h["x-os-key"], body) for h, body in parts] == [(o.key, o.body) for o in ops]


async def test_results_are_correlated_by_index(mock_client: MockFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = request.read()
        assert b"x-sn-batch-operation-key: a%2Fb" in body
        ok = [
            ("x-sn-batch-operation-index", "2"),
            ("x-sn-batch-operation-key", "new%2Dkey"),
            ("x-sn-batch-operation-status", "201 Created"),
        ]
        found = [
            ("x-sn-batch-operation-index", "0"),
            ("x-sn-batch-operation-status", "200 OK"),
            ("content-type", "text/plain"),
        ]
        content = _response([(ok, b""), (found, b"hello")])  # index 1 never answered
        headers = {"content-type": 'multipart/form-data; boundary="os-b"'}
        return httpx.Response(200, content=content, headers=headers)

    session = mock_client(handler).session("attachments", org="1")
    results = await session.call("many", [BatchGet("a/b"), BatchGet("c"), BatchPut(b"v")])
    assert isinstance(results[0], GetResult) and results[0].data == b"hello"
    assert isinstance(results[1], OperationError) and results[1].status is None
    assert "no result" in results[1].message
    assert results[2] == PutResult("new-key")
