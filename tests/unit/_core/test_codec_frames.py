"""Large inputs become several independent zstd frames of bounded size: one plain stream."""

from __future__ import annotations

import io
import itertools

import pytest
import zstandard

from objectstore_client._constants import FRAME_INPUT_BYTES
from objectstore_client._core.codec import ZstdEncoder
from objectstore_client._core.frames import FrameTracker


def _encode(payload: bytes, chunk: int, **kwargs: int) -> bytes:
    encoder = ZstdEncoder(**kwargs)
    out = [encoder.feed(payload[i : i + chunk]) for i in range(0, len(payload), chunk)]
    return b"".join(out) + encoder.flush()


def _frames(data: bytes) -> list[bytes]:
    tracker = FrameTracker()
    tracker.feed(data)
    edges = [0, *tracker.boundaries]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@pytest.mark.parametrize("size_known", [True, False])
@pytest.mark.parametrize("threads", [0, -1])
@pytest.mark.parametrize("length", [0, 999, 1000, 1001, 3500])
def test_one_frame_per_frame_bytes_of_input(size_known: bool, threads: int, length: int) -> None:
    payload = bytes(i % 251 for i in range(length))
    kwargs = {"threads": threads, "frame_bytes": 1000, "size": length if size_known else -1}
    encoded = _encode(payload, 300, **kwargs)
    frames = _frames(encoded)
    assert len(frames) == max(1, -(-length // 1000))
    decompressor = zstandard.ZstdDecompressor()
    assert b"".join(decompressor.decompress(f, max_output_size=1000) for f in frames) == payload
    for index, frame in enumerate(frames):
        expected = min(1000, length - 1000 * index)
        content = zstandard.get_frame_parameters(frame).content_size
        # zstd records the size of an empty input even when it was not announced
        known = size_known or length == 0
        assert content == (expected if known else zstandard.CONTENTSIZE_UNKNOWN)
    # still one plain zstd stream for a reader across frames (upstream's reader, the tool)
    reader = decompressor.stream_reader(io.BytesIO(encoded), read_across_frames=True)
    assert reader.read() == payload


def test_the_default_frame_is_8_mib_of_input() -> None:
    assert FRAME_INPUT_BYTES == 8 * 1024 * 1024
    payload = b"x" * (FRAME_INPUT_BYTES + 1)
    assert len(_frames(_encode(payload, 1 << 20, size=len(payload)))) == 2
