import os

import pytest
import zstandard

from objectstore_client._core.codec import DecodeError, ZstdDecoder, ZstdEncoder, compress_once
from objectstore_client._core.reader import ChunkBuffer


def _decode_all(data: bytes, step: int) -> bytes:
    decoder = ZstdDecoder()
    out = b"".join(
        piece for i in range(0, len(data), step) for piece in decoder.feed(data[i : i + step])
    )
    decoder.flush()
    return out


@pytest.mark.parametrize("threads", [0, -1])
def test_encoder_round_trip(threads: int) -> None:
    payload = os.urandom(100_000) + b"abc" * 200_000
    encoder = ZstdEncoder(threads=threads, size=len(payload))
    compressed = b"".join(
        encoder.feed(payload[i : i + 65536]) for i in range(0, len(payload), 65536)
    )
    compressed += encoder.flush()
    assert zstandard.ZstdDecompressor().decompress(compressed) == payload


@pytest.mark.parametrize("step", [1, 7, 1000, 1 << 20])
def test_decoder_reads_across_frames(step: int) -> None:
    frames = [compress_once(b"part-%d " % i * 1000) for i in range(5)]
    expected = b"".join(b"part-%d " % i * 1000 for i in range(5))
    assert _decode_all(b"".join(frames), step) == expected


def test_decoder_bounds_pieces() -> None:
    data = compress_once(b"a" * 10_000_000)
    pieces = ZstdDecoder().feed(data)
    assert b"".join(pieces) == b"a" * 10_000_000


def test_decoder_detects_truncation_and_garbage() -> None:
    data = compress_once(os.urandom(10_000))
    decoder = ZstdDecoder()
    decoder.feed(data[:-10])
    with pytest.raises(DecodeError, match="truncated"):
        decoder.flush()
    with pytest.raises(DecodeError):
        ZstdDecoder().feed(b"not zstd at all")


def test_empty_stream_is_fine() -> None:
    decoder = ZstdDecoder()
    assert decoder.feed(b"") == []
    decoder.flush()


def test_chunk_buffer() -> None:
    buffer = ChunkBuffer()
    for part in (b"abc", b"", b"defg", b"h"):
        buffer.push(part)
    assert len(buffer) == 8
    assert buffer.take(2) == b"ab"
    assert buffer.take(3) == b"cde"
    assert buffer.take_chunk() == b"fg"
    assert buffer.take(-1) == b"h"
    assert buffer.take_chunk() == b""
