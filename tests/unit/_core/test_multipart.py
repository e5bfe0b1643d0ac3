"""_core/multipart.py: part splitting, per-part frames, progress aggregation, strategies."""

from __future__ import annotations

import warnings

import pytest
import zstandard

from objectstore_client import CompletePart, InvalidInput, ProgressEvent, TransferConfig
from objectstore_client._core.multipart import (
    PartSplitter,
    ProgressAggregator,
    UploadJob,
    choose_strategy,
    encode_part,
)
from objectstore_client._core.multipart_wire import check_upload_id


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


def test_strategy() -> None:
    config = _config(multipart_threshold=100, part_size=1024)
    assert choose_strategy(99, config) == "single"
    assert choose_strategy(100, config) == "multipart"
    assert choose_strategy(0, config) == "single"
    assert choose_strategy(None, config) == "probe"


def test_upload_job_decisions() -> None:
    job = UploadJob(compress=True)
    assert not job.needs_abort
    job.started("key", "upload-1")
    assert job.needs_abort
    job.part_done(CompletePart(2, "b"))
    job.part_done(CompletePart(1, "a"))
    assert job.completion_parts(2) == [CompletePart(1, "a"), CompletePart(2, "b")]
    with pytest.raises(RuntimeError, match=r"\[3\]"):
        job.completion_parts(3)
    first, second = ValueError("first"), ValueError("second")
    job.fail(first)
    job.fail(second)
    assert job.failed and job.failure is first
    job.completed = True
    assert not job.needs_abort


@pytest.mark.parametrize("bad", ["", "/x", "a/../b", "./a", "a//b", 5])
def test_upload_id_validation(bad: object) -> None:
    with pytest.raises(InvalidInput, match="upload_id"):
        check_upload_id(bad)


def test_complete_part_validation() -> None:
    with pytest.raises(InvalidInput, match="part_number"):
        CompletePart(0, "etag")
