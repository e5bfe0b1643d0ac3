"""FrameTracker: frame boundaries of zstd streams, found without decompressing."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
import zstandard

from objectstore_client._core.codec import DecodeError, ZstdDecoder
from objectstore_client._core.frames import FrameTracker

from .test_codec import Source

PAYLOADS = [b"", b"a", b"hello " * 50_000, os.urandom(300_000), bytes(3_000_000)]
COMPRESSORS: dict[str, Callable[[], zstandard.ZstdCompressor]] = {
    "default": zstandard.ZstdCompressor,
    "checksum": lambda: zstandard.ZstdCompressor(write_checksum=True),
    "no-content-size": lambda: zstandard.ZstdCompressor(write_content_size=False),
    "level-19": lambda: zstandard.ZstdCompressor(level=19),
    "two-threads": lambda: zstandard.ZstdCompressor(threads=2),
}


def track(data: bytes, step: int) -> FrameTracker:
    tracker = FrameTracker()
    for start in range(0, len(data), step):
        tracker.feed(data[start : start + step])
    return tracker


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: f"{len(p)}B")
@pytest.mark.parametrize("compressor", COMPRESSORS)
def test_whole_frames_end_on_a_boundary_and_cut_ones_do_not(
    payload: bytes, compressor: str
) -> None:
    frame = COMPRESSORS[compressor]().compress(payload)
    two = frame + frame
    for step in (3, 4096, len(two)):
        tracker = track(two, step)
        assert tracker.at_boundary
        assert tracker.frames == 2
        for cut in {1, len(frame) // 2, len(frame) + 5, len(two) - 1}:
            if 0 < cut < len(two) and cut != len(frame):
                assert not track(two[:cut], step).at_boundary, cut


def test_streamed_multi_block_frame() -> None:
    compressor = zstandard.ZstdCompressor(level=3).compressobj()
    data = b"".join(compressor.compress(os.urandom(200) * 2000) for _ in range(5))
    data += compressor.flush()
    assert track(data, 65536).at_boundary


def test_skippable_frames_are_whole_frames() -> None:
    skippable = (0x184D2A5E).to_bytes(4, "little") + (3).to_bytes(4, "little") + b"xyz"
    tracker = track(skippable + zstandard.ZstdCompressor().compress(b"data"), 2)
    assert tracker.at_boundary
    assert tracker.frames == 2
    assert not track(skippable[:-1], 2).at_boundary


def test_empty_stream_is_on_a_boundary() -> None:
    assert FrameTracker().at_boundary


def test_garbage_is_refused() -> None:
    with pytest.raises(ValueError, match="not a zstd frame"):
        FrameTracker().feed(b"this is plain text")


@pytest.mark.parametrize("step", [7, 65536])
def test_decoder_refuses_a_body_cut_inside_a_frame(step: int) -> None:
    frames = zstandard.ZstdCompressor().compress(b"first " * 10_000)
    frames += zstandard.ZstdCompressor().compress(b"second " * 10_000)
    decoder = ZstdDecoder(Source(frames[:-10], step))
    with pytest.raises(DecodeError, match="truncated"):
        while decoder.read(1 << 20):
            pass


def test_decoder_refuses_plain_bytes_labelled_zstd() -> None:
    with pytest.raises(DecodeError):
        ZstdDecoder(Source(b"definitely not zstd" * 10, 64)).read(1 << 20)
