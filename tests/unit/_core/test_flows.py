"""Every operation flow of _core stepped by hand: the requests it yields, the answers sent in,
its retries and waits, its metrics and its result (tests/unit/_core/scripted.py)."""

from __future__ import annotations

import re

import pytest

from objectstore_client._core import flows
from objectstore_client._core.flows import Close, Emit, ReadBody, Send, Sleep
from objectstore_client._core.get import GetStream, get_stream_flow
from objectstore_client._core.guidance import WrongBaseURL
from objectstore_client._core.plan import RequestPlan, plan_delete, plan_get, plan_head, plan_put
from objectstore_client._core.resume import Download, resume_flow
from objectstore_client._core.writes import WriteOptions
from objectstore_client._exceptions import RequestError, TransportError
from objectstore_client._models import Metadata

from .scripted import Answer, Clock, Step, context, session

INFO = session()


def _put_plan(key: str | None = "k", compression: str = "none") -> RequestPlan:
    write = WriteOptions(key=key, compression=compression).resolve(INFO.usecase)
    return plan_put(INFO, b"hello", write)


def test_put_sends_reads_the_key_and_emits_its_metrics() -> None:
    step = Step(flows.put_flow(context(), INFO, _put_plan()))
    send = step.expect(Send)
    assert (send.plan.method, send.plan.path) == ("PUT", "/v1/objects/u/org=1/k")
    ok = Answer.of(201)
    assert step.answer(ok).expect(ReadBody).response is ok
    emitted = step.answer(b'{"key": "k"}').expect(Emit)
    names = {record.name for record in emitted.records}
    assert {"storage.put.latency", "storage.put.size"} <= names
    assert step.answer().returned() == "k"


def test_put_retries_a_retryable_status_after_closing_it() -> None:
    step = Step(flows.put_flow(context(), INFO, _put_plan()))
    step.expect(Send)
    busy = Answer.of(503)
    assert step.answer(busy).expect(Close).response is busy
    assert step.answer().expect(Sleep).seconds == pytest.approx(0.05)  # 0.1 s, half jitter
    step.answer().expect(Send)
    step.answer(Answer.of(200)).expect(ReadBody)
    step.answer(b'{"key": "k"}').expect(Emit)
    assert step.answer().returned() == "k"


def test_a_post_is_not_retried_and_the_error_names_the_path_as_sent() -> None:
    step = Step(flows.put_flow(context(), INFO, _put_plan(key=None)))
    assert step.expect(Send).plan.method == "POST"
    step.answer(Answer.of(503)).expect(ReadBody)  # not idempotent: read the refusal
    step.answer(b"busy").expect(Emit)  # metrics of a failure too
    with pytest.raises(RequestError) as caught:
        step.answer()
    assert caught.value.status == 503 and caught.value.path == "/pre/v1/objects/u/org=1/"


def test_put_refuses_a_success_without_a_key() -> None:
    step = Step(flows.put_flow(context(), INFO, _put_plan()))
    step.answer(Answer.of(200)).expect(ReadBody)
    step.answer(b"{}").expect(Emit)
    with pytest.raises(RequestError, match="200"):
        step.answer()


def test_transport_errors_are_retried_until_the_retries_run_out() -> None:
    step = Step(flows.delete_flow(context(retries=2), INFO, plan_delete(INFO, "k")))
    delays = []
    for _ in range(2):
        step.expect(Send)
        delays.append(step.fail(TransportError("reset", method="DELETE", path="/")).expect(Sleep))
        step.answer()
    assert [d.seconds for d in delays] == [pytest.approx(0.05), pytest.approx(0.1)]
    step.expect(Send)
    step.fail(TransportError("last", method="DELETE", path="/")).expect(Emit)
    with pytest.raises(TransportError, match="last"):
        step.answer()


def test_retries_stop_at_the_deadline() -> None:
    clock = Clock(tick=6.0)  # every look at the clock is 6 s later: the second wait is too late
    step = Step(flows.head_flow(context(retries=5, clock=clock), INFO, plan_head(INFO, "k")))
    step.fail(TransportError("reset", method="HEAD", path="/")).expect(Sleep)
    step.answer().expect(Send)
    step.fail(TransportError("again", method="HEAD", path="/")).expect(Emit)
    with pytest.raises(TransportError, match="again"):
        step.answer()


def test_head_reads_the_metadata_without_decoding() -> None:
    step = Step(flows.head_flow(context(), INFO, plan_head(INFO, "k")))
    assert step.expect(Send).plan.method == "HEAD"
    ok = Answer.of(200, {"content-encoding": "zstd", "content-type": "text/plain"})
    assert step.answer(ok).expect(ReadBody).raw
    step.answer(b"").expect(Emit)
    metadata = step.answer().returned()
    assert isinstance(metadata, Metadata)
    assert (metadata.compression, metadata.content_type) == ("zstd", "text/plain")


def test_a_404_is_none_once_health_confirms_the_server() -> None:
    ctx = context()
    step = Step(flows.head_flow(ctx, INFO, plan_head(INFO, "missing")))
    step.answer(Answer.of(404)).expect(ReadBody)
    probe = step.answer(b"").expect(Send)
    assert (probe.plan.method, probe.plan.path) == ("GET", "/health")
    step.answer(Answer.of(200)).expect(ReadBody)
    step.answer(b"OK").expect(Emit)
    assert step.answer().returned() is None
    assert ctx.server.confirmed
    # confirmed once per client: the next 404 sends no probe
    step = Step(flows.delete_flow(ctx, INFO, plan_delete(INFO, "missing")))
    step.answer(Answer.of(404)).expect(ReadBody)
    step.answer(b"").expect(Emit)
    with pytest.raises(RequestError) as caught:
        step.answer()
    assert caught.value.status == 404


def test_a_404_of_health_too_means_a_wrong_base_url() -> None:
    step = Step(flows.get_flow(context(), INFO, plan_get(INFO, "k")))
    step.answer(Answer.of(404)).expect(ReadBody)
    step.answer(b"").expect(Send)
    step.answer(Answer.of(404)).expect(ReadBody)
    step.answer(b"").expect(Emit)
    with pytest.raises(WrongBaseURL, match=re.escape("http://objectstore.test/pre/health")):
        step.answer()


def test_get_asks_again_without_a_range_for_an_empty_object() -> None:
    step = Step(flows.get_flow(context(), INFO, plan_get(INFO, "k")))
    first = step.expect(Send).plan
    assert first.kwargs["headers"]["Range"] == "bytes=0-"
    step.answer(Answer.of(416, {"content-range": "bytes */0"})).expect(ReadBody)
    again = step.answer(b"").expect(Send).plan
    assert "Range" not in again.kwargs["headers"]
    whole = Answer.of(200)
    step.answer(whole).expect(Emit)
    assert step.answer().returned() is whole


def _get_stream(headers: dict[str, str], decompress: bool = True) -> Step:
    plan = plan_get(INFO, "k")
    step = Step(get_stream_flow(context(), INFO, plan, decompress, None))
    step.expect(Send)
    return step.answer(Answer.of(206, headers))


def test_get_stream_completes_get_metadata_decoding_and_the_download_state() -> None:
    headers = {
        "content-range": "bytes 0-9/10",
        "content-encoding": "zstd",
        "x-sn-time-created": "2026-01-01T00:00:00Z",
    }
    step = _get_stream(headers)
    step.expect(Emit)
    found = step.answer().returned()
    assert isinstance(found, GetStream)
    assert found.decode and found.metadata.compression is None  # decoded for the caller
    assert (found.download.size, found.download.created) == (10, "2026-01-01T00:00:00Z")
    stored = _get_stream(headers, decompress=False)
    stored.answer()
    assert not stored.returned().decode and stored.returned().metadata.compression == "zstd"


def test_get_stream_closes_the_response_of_an_encoding_it_cannot_decode() -> None:
    step = _get_stream({"content-encoding": "br"})
    step.expect(Emit)
    assert isinstance(step.answer().effect, Close)
    with pytest.raises(NotImplementedError, match="'br'"):
        step.answer()


def _download(received: int = 4) -> Download:
    found = Answer.of(206, {"content-range": "bytes 0-9/10", "x-sn-time-created": "t1"})
    download = Download.start(plan_get(INFO, "k"), found, started=0.0)
    download.received = received
    return download


def test_resume_asks_for_the_rest_with_the_same_retry_budget() -> None:
    broken = TransportError("cut", method="GET", path="/")
    step = Step(resume_flow(context(), INFO, _download(), broken))
    assert step.expect(Sleep).seconds == pytest.approx(0.05)
    send = step.answer().expect(Send)
    assert send.plan.kwargs["headers"]["Range"] == "bytes=4-"
    step.answer(Answer.of(503)).expect(Close)  # retried like any request
    step.answer().expect(Sleep)
    step.answer().expect(Send)
    rest = Answer.of(206, {"content-range": "bytes 4-9/10", "x-sn-time-created": "t1"})
    assert step.answer(rest).returned() is rest


def test_resume_gives_up_with_the_original_error_when_the_budget_is_spent() -> None:
    broken = TransportError("cut", method="GET", path="/")
    step = Step(resume_flow(context(retries=1), INFO, _download(), broken))
    step.answer().expect(Send)
    step.answer(Answer.of(503)).expect(ReadBody)  # no retry left: the refusal is read
    with pytest.raises(TransportError, match="cut"):
        step.answer(b"busy")


def test_resume_refuses_another_version_of_the_object() -> None:
    broken = TransportError("cut", method="GET", path="/")
    step = Step(resume_flow(context(), INFO, _download(), broken))
    step.answer().expect(Send)
    replaced = Answer.of(206, {"content-range": "bytes 4-9/10", "x-sn-time-created": "t2"})
    step.answer(replaced).expect(Close)
    with pytest.raises(TransportError, match="replaced during the download") as caught:
        step.answer()
    assert caught.value.path == "/pre/v1/objects/u/org=1/k"


def test_download_state_knows_the_size_only_from_a_range_answer() -> None:
    whole = Download.start(plan_get(INFO, "k"), Answer.of(200), started=0.0)
    assert not whole.resumable and whole.short_by() == 0
    ranged = _download(received=4)
    assert ranged.resumable and ranged.short_by() == 6
    error = ranged.truncated("GET", "/pre/v1/objects/u/org=1/k")
    assert "after 4 of 10 stored bytes" in str(error)
