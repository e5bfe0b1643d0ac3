"""The download sink: stored bytes in, the payload out, decoded frame by frame in parallel
(or as one stream when frames are large or of unknown size); cut and corrupt input refused."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pytest
import zstandard

from objectstore_client import DecodeError
from objectstore_client._constants import DEFAULT_DECODE_THREADS, MAX_PARALLEL_FRAME_BYTES
from objectstore_client._core.codec import ZstdEncoder
from objectstore_client._core.download import MemoryBudget, check_destination
from objectstore_client._download_sink import Sink

TEXT = b"".join(b"row %d of a table, some words\n" % i for i in range(60_000))


def _framed(payload: bytes, frame_bytes: int) -> bytes:
    encoder = ZstdEncoder(size=len(payload), frame_bytes=frame_bytes)
    return encoder.feed(payload) + encoder.flush()


def _unsized(payload: bytes) -> bytes:
    """One streamed frame whose header does not record the content size."""
    streaming = zstandard.ZstdCompressor().compressobj()
    return streaming.compress(payload) + streaming.flush()


def _sink_decode(stored: bytes, threads: int, step: int) -> tuple[bytes, Sink]:
    out = io.BytesIO()
    sink = Sink(check_destination(out), decode=True, threads=threads)
    for at in range(0, len(stored), step):
        sink.write([stored[at : at + step]])
    sink.finish()
    return out.getvalue(), sink


@pytest.mark.parametrize("threads", [1, 2, 4])
@pytest.mark.parametrize("step", [1000, 65536, 1 << 22])
def test_many_frames_decode_in_order(threads: int, step: int) -> None:
    stored = _framed(TEXT, 100_000)
    data, sink = _sink_decode(stored, threads, step)
    assert data == TEXT
    assert (sink.stored, sink.written) == (len(stored), len(TEXT))


@pytest.mark.parametrize(
    "stored",
    [
        _unsized(TEXT),
        _unsized(TEXT[:5000])
        + _framed(TEXT[5000:], 100_000),  # the first frame unknown, then sized ones
        _framed(TEXT[:5000], 1000) + _unsized(TEXT[5000:]),  # sized, then unknown
    ],
)
def test_frames_without_a_size_are_decoded_as_one_stream(stored: bytes) -> None:
    assert _sink_decode(stored, 3, 7000)[0] == TEXT


def test_a_frame_above_the_parallel_limit_is_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("objectstore_client._download_sink.MAX_PARALLEL_FRAME_BYTES", 150_000)
    stored = _framed(TEXT[:300_000], 100_000) + _framed(TEXT[300_000:], 200_000)
    assert _sink_decode(stored, 2, 50_000)[0] == TEXT


def test_skippable_frames_are_passed_over() -> None:
    skippable = (0x184D2A50).to_bytes(4, "little") + (3).to_bytes(4, "little") + b"abc"
    stored = _framed(TEXT[:1000], 500) + skippable + _framed(TEXT[1000:], 100_000)
    assert _sink_decode(stored, 2, 4096)[0] == TEXT


@pytest.mark.parametrize("threads", [1, 2])
def test_cut_and_corrupt_streams_are_refused(threads: int) -> None:
    stored = _framed(TEXT, 100_000)
    with pytest.raises(DecodeError, match="truncated"):
        _sink_decode(stored[:-10], threads, 65536)
    flipped = bytearray(stored)
    flipped[len(stored) // 2] ^= 0x10
    with pytest.raises(DecodeError):
        _sink_decode(bytes(flipped), threads, 65536)


def test_a_path_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out"
    sink = Sink(check_destination(target), decode=False)
    sink.write([b"abc"])
    assert not target.exists()
    sink.finish()
    assert target.read_bytes() == b"abc"
    failed = Sink(check_destination(tmp_path / "failed"), decode=True, threads=2)
    failed.write([_framed(TEXT, 100_000)[:1000]])
    failed.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_defaults() -> None:
    assert 1 <= DEFAULT_DECODE_THREADS <= 4
    assert MAX_PARALLEL_FRAME_BYTES == 32 * 1024 * 1024


def _recording_frames(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(frames in flight, bytes they hold) after every frame handed to a decoding thread."""
    from objectstore_client import _download_sink

    seen: list[tuple[int, int]] = []
    real = _download_sink._ParallelFrames.submit

    def submit(self: Any, frame: bytes, cost: int) -> None:
        real(self, frame, cost)
        seen.append((len(self._pending), self.held))

    monkeypatch.setattr(_download_sink._ParallelFrames, "submit", submit)
    return seen


def _budgeted(stored: bytes, budget: MemoryBudget, threads: int = 4) -> bytes:
    out = io.BytesIO()
    sink = Sink(check_destination(out), decode=True, threads=threads, budget=budget)
    for at in range(0, len(stored), 30_000):
        sink.write([stored[at : at + 30_000]])
        assert budget.decoding == sink.held
    sink.finish()
    return out.getvalue()


def test_frames_in_flight_stay_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _recording_frames(monkeypatch)
    stored = _framed(TEXT, 100_000)  # frames of ~100 KB output, a few KB stored
    assert _budgeted(stored, MemoryBudget(10 << 20)) == TEXT
    assert max(n for n, _ in seen) == 4  # room for every thread
    seen.clear()
    tight = MemoryBudget(150_000)  # room for one frame and its output at a time
    assert _budgeted(stored, tight) == TEXT
    assert {n for n, _ in seen} == {1}
    tight = MemoryBudget(400_000, ranges=150_000)  # ranges read ahead take their share
    assert _budgeted(stored, tight) == TEXT
    assert max(n for n, _ in seen) == 2 and max(held for _, held in seen) <= 250_000


def test_frames_that_do_not_shrink_are_decoded_on_the_writing_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _recording_frames(monkeypatch)
    noise = random.Random(3).randbytes(300_000)
    stored = _framed(noise + TEXT, 100_000)  # three incompressible frames, then text
    assert _budgeted(stored, MemoryBudget(10 << 20)) == noise + TEXT
    frames = -(-len(TEXT) // 100_000)
    assert len(seen) == frames  # only the text frames went to threads


def test_reserved_chunks_are_released_as_they_are_consumed() -> None:
    budget = MemoryBudget(1 << 20, ranges=3000)
    chunks = [b"a" * 1000, b"b" * 2000]
    out = io.BytesIO()
    sink = Sink(check_destination(out), decode=False, budget=budget)
    sink.write(chunks, reserved=True)
    assert chunks == [] and budget.ranges == 0  # the caller's list no longer holds them
    sink.finish()
    assert out.getvalue() == b"a" * 1000 + b"b" * 2000


def test_the_budget_lets_one_range_through_and_shares_the_rest() -> None:
    budget = MemoryBudget(100)
    assert budget.may_start(500)  # nothing held: a download always progresses
    budget.ranges = 60
    assert budget.may_start(40) and not budget.may_start(41)
    budget.decoding = 30
    assert budget.may_start(10) and not budget.may_start(11)
    assert budget.decode_room() == 40
