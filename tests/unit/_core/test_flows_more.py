"""The range, multipart and batch flows of _core stepped by hand (tests/unit/_core/scripted.py)."""

from __future__ import annotations

import json

import pytest

from objectstore_client import BatchGet, BatchPut, GetResult, OperationError, PutResult
from objectstore_client._core import batch, multipart_requests
from objectstore_client._core.flows import Close, Emit, Progress, ReadBody, Send, Sleep
from objectstore_client._core.ranges import byte_range, content_range, plan_range, range_flow
from objectstore_client._core.writes import WriteOptions
from objectstore_client._exceptions import (
    MultipartCompleteError,
    RangeNotSatisfiable,
    RequestError,
    TransportError,
)
from objectstore_client._models import CompletePart, RangeResult

from .scripted import Answer, Step, context, session

INFO = session()


def _range(start: int | None, end: int | None = None, suffix: int | None = None) -> Step:
    wanted = byte_range(start, end, suffix)
    step = Step(range_flow(context(), INFO, plan_range(INFO, "k", wanted), wanted))
    assert step.expect(Send).plan.kwargs["headers"]["Range"] == wanted.header
    return step


def test_content_range_parses_only_the_full_form() -> None:
    assert content_range("bytes 2-5/10") == (2, 5, 10)
    assert content_range("bytes */10") is None
    assert content_range("bytes 2-5/*") is None


def test_a_range_answer_is_checked_against_its_content_range() -> None:
    step = _range(2, 5)
    answer = Answer.of(206, {"content-range": "bytes 2-5/10"})
    assert step.answer(answer).expect(ReadBody).raw  # stored bytes, never decoded
    step.answer(b"2345").expect(Emit)
    assert step.answer().returned() == RangeResult(
        step.returned().metadata, b"2345", start=2, end=5, size=10
    )
    short = _range(2, 5)
    short.answer(Answer.of(206, {"content-range": "bytes 2-5/10"})).answer(b"23").expect(Emit)
    with pytest.raises(RequestError, match="bad Content-Range"):
        short.answer()


def test_a_server_ignoring_the_range_is_sliced_here() -> None:
    step = _range(None, suffix=3)
    step.answer(Answer.of(200)).answer(b"0123456789").expect(Emit)
    result = step.answer().returned()
    assert (result.data, result.start, result.end, result.size) == (b"789", 7, 9, 10)


def test_an_unsatisfiable_range_names_the_stored_size() -> None:
    step = _range(20)
    step.answer(Answer.of(416, {"content-range": "bytes */10"})).answer(b"").expect(Emit)
    with pytest.raises(RangeNotSatisfiable) as caught:
        step.answer()
    assert caught.value.size == 10 and caught.value.path == "/pre/v1/objects/u/org=1/k"


def test_initiate_returns_the_key_and_upload_id() -> None:
    write = WriteOptions(key="k").resolve(INFO.usecase)
    step = Step(
        multipart_requests.initiate_flow(
            context(), INFO, multipart_requests.plan_initiate(INFO, write)
        )
    )
    assert step.expect(Send).plan.method == "PUT"
    step.answer(Answer.of(200)).expect(ReadBody)
    step.answer(b'{"key": "k", "upload_id": "u1"}').expect(Emit)
    assert step.answer().returned() == ("k", "u1")


def test_a_part_reports_progress_and_takes_it_back_on_a_retry() -> None:
    plan = multipart_requests.plan_part(INFO, "k", "u1", 1, b"abcd")
    step = Step(multipart_requests.put_part_flow(context(), INFO, plan, 1, progress=4))
    step.expect(Send)
    assert step.answer(Answer.of(503)).expect(Progress).delta == 4  # the body went out
    assert step.answer().expect(Progress).delta == -4  # and must go again
    step.answer().expect(Close)
    step.answer().expect(Sleep)
    step.answer().expect(Send)
    step.answer(Answer.of(200)).expect(Progress)
    step.answer().expect(ReadBody)
    emitted = step.answer(b'{"etag": "e1"}').expect(Emit)
    sizes = [r.value for r in emitted.records if r.name == "storage.multipart.put_part.size"]
    assert sizes == [4]
    assert step.answer().returned() == CompletePart(1, "e1")


def test_list_parts_follows_the_marker_across_pages() -> None:
    step = Step(multipart_requests.list_parts_flow(context(), INFO, "k", "u1"))
    pages = [
        {"parts": [{"part_number": 1, "etag": "a", "size": 1}], "is_truncated": True,
         "next_part_number_marker": 1},
        {"parts": [{"part_number": 2, "etag": "b", "size": 1}], "is_truncated": False},
    ]  # fmt: skip
    markers = []
    for page in pages:
        markers.append(step.expect(Send).plan.kwargs.get("params", {}).get("part_number_marker"))
        step.answer(Answer.of(200)).expect(ReadBody)
        step.answer(json.dumps(page).encode())
    assert markers == [None, 1]
    assert [part.etag for part in step.returned()] == ["a", "b"]


def test_list_parts_refuses_a_marker_that_does_not_advance() -> None:
    step = Step(multipart_requests.list_parts_flow(context(), INFO, "k", "u1"))
    page = {"parts": [], "is_truncated": True, "next_part_number_marker": None}
    step.answer(Answer.of(200)).expect(ReadBody)
    with pytest.raises(RequestError, match="usable marker"):
        step.answer(json.dumps(page).encode())


def test_abort_reads_the_answer() -> None:
    step = Step(
        multipart_requests.abort_flow(
            context(), INFO, multipart_requests.plan_abort(INFO, "k", "u1")
        )
    )
    assert step.expect(Send).plan.method == "DELETE"
    step.answer(Answer.of(204)).expect(ReadBody)
    assert step.answer(b"").returned() is None


def _complete() -> Step:
    plan = multipart_requests.plan_complete(
        INFO, "k", "u1", [CompletePart(2, "b"), CompletePart(1, "a")]
    )
    step = Step(multipart_requests.complete_flow(context(), INFO, plan))
    assert step.expect(Send).plan.method == "POST"
    return step


def test_complete_returns_the_key_or_raises_the_servers_error() -> None:
    step = _complete()
    step.answer(Answer.of(200)).answer(b'   {"key": "k"}').expect(Emit)
    assert step.answer().returned() == "k"
    refused = _complete()
    refused.answer(Answer.of(200)).answer(b' {"error": {"code": "X", "message": "bad etag"}}')
    refused.expect(Emit)
    with pytest.raises(MultipartCompleteError, match="bad etag"):
        refused.answer()


def test_a_completion_whose_answer_was_lost_is_confirmed_by_listing_and_head() -> None:
    step = _complete()
    lost = step.fail(TransportError("reset", method="POST", path="/")).expect(Sleep)
    assert lost.seconds > 0  # replayed first: completing twice is safe
    step.answer().expect(Send)
    step.answer(Answer.of(200)).expect(ReadBody)
    step.answer(b'{"error": {"code": "NotFound", "message": "upload not found"}}')
    listing = step.expect(Send).plan
    assert (listing.method, listing.path) == ("GET", "/v1/objects:multipart:parts/u/org=1/k")
    step.answer(Answer.of(404)).expect(ReadBody)  # the upload is gone ...
    assert step.answer(b"").expect(Send).plan.path == "/health"  # ... or the base URL wrong
    step.answer(Answer.of(200)).expect(ReadBody)
    head = step.answer(b"OK").expect(Send)  # the upload is gone: does the object exist?
    assert (head.plan.method, head.plan.path) == ("HEAD", "/v1/objects/u/org=1/k")
    step.answer(Answer.of(200)).expect(ReadBody)
    step.answer(b"").expect(Emit)
    assert step.answer().returned() == "k"


def _batch_body(parts: list[tuple[dict[str, str], bytes]]) -> bytes:
    out = b""
    for headers, body in parts:
        out += b"--os-b\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers.items())
        out += b"\r\n" + body + b"\r\n"
    return out + b"--os-b--"


def test_a_batch_correlates_parts_by_index() -> None:
    prepared = batch.prepare(INFO, [BatchGet("a"), BatchPut(b"v", "b")])
    plan = batch.plan_batch(INFO, prepared)
    step = Step(batch.batch_flow(context(), INFO, plan, prepared))
    assert step.expect(Send).plan.method == "POST"
    ok = Answer.of(200, {"content-type": "multipart/form-data; boundary=os-b"})
    read = step.answer(ok).expect(ReadBody)
    assert read.raw and read.stop is not None  # an endless body is cut at an extra part
    body = _batch_body([
        ({"x-sn-batch-operation-index": "1", "x-sn-batch-operation-key": "b",
          "x-sn-batch-operation-status": "201 Created"}, b""),
        ({"x-sn-batch-operation-index": "0", "x-sn-batch-operation-status": "200 OK"}, b"A"),
    ])  # fmt: skip
    step.answer(body).expect(Emit)
    results = dict(step.answer().returned())
    assert results[1] == PutResult("b")
    assert isinstance(results[0], GetResult) and results[0].data == b"A"


def test_a_failed_batch_is_every_operations_error() -> None:
    prepared = batch.prepare(INFO, [BatchGet("a"), BatchGet("b")])
    step = Step(batch.batch_flow(context(), INFO, batch.plan_batch(INFO, prepared), prepared))
    step.answer(Answer.of(400)).answer(b"bad batch").expect(Emit)
    results = step.answer().returned()
    assert [index for index, _ in results] == [0, 1]
    assert all(isinstance(r, OperationError) and r.status == 400 for _, r in results)


def test_an_insert_too_large_for_a_batch_is_a_put_of_its_compressed_body() -> None:
    zstd = session("zstd")
    [op] = batch.prepare(zstd, [BatchPut(b"x" * 100, "big")])
    step = Step(batch.individual_flow(context(), zstd, op))
    send = step.expect(Send)
    assert send.plan.body is not None and send.plan.body.precompressed
    headers = {name.lower(): value for name, value in send.plan.kwargs["headers"].items()}
    assert not send.plan.body.compress and headers["content-encoding"] == "zstd"
    step.answer(Answer.of(200)).answer(b'{"key": "big"}').expect(Emit)
    assert step.answer().returned() == [(0, PutResult("big"))]
