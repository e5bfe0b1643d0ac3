"""The download sink: stored bytes in, the payload out, decoded frame by frame in parallel
(or as one stream when frames are large or of unknown size); cut and corrupt input refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zstandard

from objectstore_client import DecodeError
from objectstore_client._constants import DEFAULT_DECODE_THREADS, MAX_PARALLEL_FRAME_BYTES
from objectstore_client._core.codec import ZstdEncoder
from objectstore_client._core.download import check_destination
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
