"""_core/multipart.py: part splitting, per-part frames, progress aggregation, strategies."""

from __future__ import annotations

import warnings

import pytest
import zstandard

from objectstore_client import (
    CompletePart,
    InvalidInput,
    ProgressEvent,
    Scope,
    TransferConfig,
    Usecase,
)
from objectstore_client._core.multipart import (
    OnePut,
    PartSplitter,
    PendingPart,
    UploadCoordinator,
    encode_part,
)
from objectstore_client._core.multipart_requests import check_upload_id
from objectstore_client._core.plan import SessionInfo
from objectstore_client._core.progress import ProgressAggregator
from objectstore_client._core.tokens import TokenCache
from objectstore_client._core.writes import WriteOptions


def _config(**kwargs: int) -> TransferConfig:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TransferConfig(**kwargs)


def test_splitter_cuts_exact_parts_across_chunk_boundaries() -> None:
    splitter = PartSplitter(10)
    parts = []
    for chunk in (b"abc", b"defghijklmnop", bytearray(b"qrstuvwxyz0123456789"), b"!"):
        parts += splitter.feed(chunk)
    last = splitter.finish()
    assert last is not None
    parts.append(last)
    joined = [b"".join(bytes(c) for c in p.chunks) for p in parts]
    assert joined == [b"abcdefghij", b"klmnopqrst", b"uvwxyz0123", b"456789!"]
    assert [p.number for p in parts] == [1, 2, 3, 4]
    assert [p.size for p in parts] == [10, 10, 10, 7]
    assert splitter.parts_emitted == 4


def test_splitter_finish() -> None:
    exact = PartSplitter(4)
    assert len(exact.feed(b"12345678")) == 2
    assert exact.finish() is None
    empty = PartSplitter(4)
    only = empty.finish()
    assert only is not None and only.number == 1 and only.size == 0


def test_parts_are_independent_frames_that_decode_as_one_payload() -> None:
    splitter = PartSplitter(1000)
    data = bytes(range(256)) * 20
    parts = splitter.feed(data)
    last = splitter.finish()
    assert last is not None
    bodies = [bytes(encode_part(p, compress=True)) for p in [*parts, last]]
    assert len(bodies) == 6
    for body in bodies:
        assert zstandard.get_frame_parameters(body).content_size <= 1000
    reader = zstandard.ZstdDecompressor().stream_reader(b"".join(bodies), read_across_frames=True)
    assert reader.read() == data


def test_encode_part_releases_the_raw_chunks() -> None:
    part = PartSplitter(8).feed(b"abcdefgh")[0]
    assert bytes(encode_part(part, compress=False)) == b"abcdefgh"
    assert part.chunks == []


def test_progress_aggregates_and_reports_rewinds_at_once() -> None:
    agg = ProgressAggregator(total=100, every=10)
    assert agg.add(4) == []
    assert agg.add(7) == [ProgressEvent(11, transferred=11, total=100)]
    assert agg.add(3) == []
    assert agg.add(-5) == [
        ProgressEvent(3, transferred=14, total=100),
        ProgressEvent(-5, transferred=9, total=100),
    ]
    assert agg.pending == 0


def _coordinator(size: int | None, threshold: int = 100, part_size: int = 4) -> UploadCoordinator:
    info = SessionInfo(Usecase("u"), Scope(org=1), None, TokenCache(lambda: 0.0))
    write = WriteOptions().resolve(info.usecase)
    return UploadCoordinator(info, write, size, threshold, part_size, 10)


def test_strategy() -> None:
    assert _coordinator(99).strategy == "single"
    assert _coordinator(100).strategy == "multipart"
    assert _coordinator(0).strategy == "single"
    assert _coordinator(None).strategy == "probe"


def test_a_stream_that_ends_within_its_first_part_is_one_put() -> None:
    upload = _coordinator(None)
    assert upload.feed(b"abc") == []
    last = upload.finish()
    assert last == OnePut(b"abc", 3)
    assert upload.abort_plan() is None  # nothing was initiated
    assert upload.put_plan(last.body).method == "POST"


def test_upload_lifecycle_initiate_parts_complete() -> None:
    upload = _coordinator(None)
    assert upload.compress  # the usecase's default compression
    parts = upload.feed(b"abcdefghij")
    assert [p.number for p in parts] == [1, 2]
    assert upload.needs_initiate
    with pytest.raises(RuntimeError, match="before the upload was initiated"):
        upload.part_plan(parts[0], b"abcd")
    upload.started("key", "upload-1")
    assert not upload.needs_initiate
    plan = upload.part_plan(parts[0], b"abcd")
    assert plan.method == "PUT" and "part_number=1" not in plan.path  # a query parameter
    assert plan.kwargs["params"]["part_number"] == 1
    last = upload.finish()
    assert isinstance(last, PendingPart) and last.number == 3
    upload.part_done(CompletePart(3, "c"))
    upload.part_done(CompletePart(1, "a"))
    with pytest.raises(RuntimeError, match=r"\[2\]"):
        upload.complete_plan()
    upload.part_done(CompletePart(2, "b"))
    assert upload.complete_plan().method == "POST"
    abort = upload.abort_plan()
    assert abort is not None and abort.method == "DELETE"
    upload.completed()
    assert upload.abort_plan() is None


def test_the_first_part_failure_is_the_error() -> None:
    upload = _coordinator(1000)
    upload.started("key", "upload-1")
    first, second = ValueError("first"), ValueError("second")
    upload.fail(first)
    upload.fail(second)
    assert upload.failed and upload.failure is first
    with pytest.raises(ValueError, match="first"):
        upload.complete_plan()
    assert upload.abort_plan() is not None


def test_progress_is_aggregated_then_flushed_once() -> None:
    upload = _coordinator(1000)
    assert upload.progress(4) == []
    assert [e.delta for e in upload.progress(8)] == [12]
    assert [e.delta for e in upload.progress(-5)] == [-5]
    assert upload.progress(3) == []
    assert [e.delta for e in upload.final_progress()] == [3]
    assert upload.final_progress() == []


@pytest.mark.parametrize("bad", ["", "/x", "a/../b", "./a", "a//b", 5])
def test_upload_id_validation(bad: object) -> None:
    with pytest.raises(InvalidInput, match="upload_id"):
        check_upload_id(bad)


def test_complete_part_validation() -> None:
    with pytest.raises(InvalidInput, match="part_number"):
        CompletePart(0, "etag")
