import gc
import io
import os
import random
import sys
from collections.abc import Callable

import pytest
import zstandard

from objectstore_client._core.codec import DecodeError, ZstdDecoder, ZstdEncoder, compress_once
from objectstore_client._core.multipart import PendingPart, encode_part
from objectstore_client._core.reader import ChunkBuffer, Slicer


@pytest.mark.parametrize("threads", [0, -1])
def test_encoder_round_trip(threads: int) -> None:
    payload = os.urandom(100_000) + b"abc" * 200_000
    encoder = ZstdEncoder(threads=threads, size=len(payload))
    compressed = b"".join(
        encoder.feed(payload[i : i + 65536]) for i in range(0, len(payload), 65536)
    )
    compressed += encoder.flush()
    assert zstandard.ZstdDecompressor().decompress(compressed) == payload


@pytest.mark.parametrize(
    ("payload", "threads"),
    [
        (os.urandom(3 << 20), 0),  # incompressible: stays single-threaded
        (b"log line with some text %d\n" * 200_000, -1),  # compressible: all cores
        (os.urandom(1000), 0),  # shorter than the probe: decided at flush
        (b"", 0),
    ],
)
def test_encoder_probes_the_ratio_before_using_threads(payload: bytes, threads: int) -> None:
    encoder = ZstdEncoder(threads=-1, size=len(payload))
    assert encoder.threads is None
    out = [encoder.feed(payload[i : i + 300_000]) for i in range(0, len(payload), 300_000)]
    out.append(encoder.flush())
    assert encoder.threads == threads
    assert zstandard.ZstdDecompressor().decompress(b"".join(out)) == payload
    params = zstandard.get_frame_parameters(b"".join(out))
    assert params.content_size == len(payload)


def test_single_threaded_encoder_does_not_probe() -> None:
    assert ZstdEncoder(size=10).threads == 0


class Source:
    """Hands out compressed bytes in fixed steps, like network chunks."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data = data
        self.step = step

    def read(self, size: int = -1, /) -> bytes:
        n = min(self.step, size) if size >= 0 else self.step
        chunk, self.data = self.data[:n], self.data[n:]
        return chunk


def _decode_all(data: bytes, step: int, piece: int = 1 << 20) -> list[bytes]:
    decoder = ZstdDecoder(Source(data, step))
    pieces = []
    while chunk := decoder.read(piece):
        pieces.append(chunk)
    return pieces


@pytest.mark.parametrize("step", [1, 7, 1000, 1 << 20])
def test_decoder_reads_across_frames(step: int) -> None:
    frames = [compress_once(b"part-%d " % i * 1000) for i in range(5)]
    expected = b"".join(b"part-%d " % i * 1000 for i in range(5))
    assert b"".join(_decode_all(b"".join(frames), step)) == expected


def test_decoder_bounds_pieces_on_extremely_compressible_data() -> None:
    encoder = ZstdEncoder()
    zeros = b"\0" * (1 << 20)
    data = b"".join(encoder.feed(zeros) for _ in range(64)) + encoder.flush()
    assert len(data) < 16 * 1024  # 64 MiB of zeros fit in one network-sized chunk
    decoder = ZstdDecoder(Source(data, 1 << 20))
    total = 0
    while piece := decoder.read(1 << 20):
        assert len(piece) <= 1 << 20
        total += len(piece)
    assert total == 64 << 20


def test_decoder_rejects_garbage() -> None:
    with pytest.raises(DecodeError):
        _decode_all(b"not zstd at all", 100)
    assert _decode_all(b"", 100) == []


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


def test_slicer_hands_out_a_chunk_in_order() -> None:
    slicer = Slicer()
    assert not slicer and slicer.take(5) == b""
    data = b"abcdefghij"
    slicer.load(data)
    assert slicer.take(-1) is data and not slicer  # whole chunk: no copy
    slicer.load(data)
    assert [slicer.take(4), slicer.take(4), slicer.take(4)] == [b"abcd", b"efgh", b"ij"]
    assert not slicer
    slicer.load(data)
    assert slicer.take(3) == b"abc" and slicer.take(-1) == b"defghij"


def _decode_whole(data: bytes) -> bytes:
    source = io.BytesIO(data)
    decoder = ZstdDecoder(source)
    out = []
    while piece := decoder.read(1 << 20):
        out.append(piece)
    return b"".join(out)


def _sdk_frames(payload: bytes, *, size_known: bool, threads: int = 0) -> bytes:
    encoder = ZstdEncoder(threads=threads, size=len(payload) if size_known else -1)
    step = 1 << 20
    body = b"".join(encoder.feed(payload[i : i + step]) for i in range(0, len(payload), step))
    return body + encoder.flush()


def _text(size: int) -> bytes:
    rng = random.Random(7)
    words = [b"objectstore", b"frame", b"checksum", b"sentry", b"zstd", b"payload", b"%d"]
    out = bytearray()
    while len(out) < size:
        out += b" ".join(rng.choice(words) for _ in range(12)) + b"\n"
    return bytes(out[:size])


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda p: compress_once(p), id="one-shot"),
        pytest.param(lambda p: _sdk_frames(p, size_known=True), id="stream-size-known"),
        pytest.param(lambda p: _sdk_frames(p, size_known=False), id="stream-size-unknown"),
        pytest.param(lambda p: _sdk_frames(p, size_known=True, threads=-1), id="threads"),
    ],
)
def test_every_frame_the_sdk_writes_has_a_checksum(body: Callable[[bytes], bytes]) -> None:
    payload = _text(300_000)
    assert zstandard.get_frame_parameters(body(payload)).has_checksum


@pytest.mark.parametrize("kind", ["text", "random"])
def test_one_flipped_bit_never_decodes_to_wrong_data(kind: str) -> None:
    """Issue 9 item 1: without checksums 21 of 25 single-bit flips in a text object came back
    as wrong data. Every flip in an SDK-written body must now raise DecodeError."""
    payload = _text(2 << 20) if kind == "text" else random.Random(3).randbytes(1 << 20)
    good = _sdk_frames(payload, size_known=False) + compress_once(payload[:50_000])
    assert _decode_whole(good) == payload + payload[:50_000]
    rng = random.Random(11)
    for _ in range(100):
        bit = rng.randrange(len(good) * 8)
        with pytest.raises(DecodeError):
            _decode_whole(_flip(good, bit))
    # Every bit of the first frame header and of the stream's last 12 bytes: each flip raises,
    # or (frame descriptor's unused bit, a larger window) still decodes to exactly the payload.
    for bit in [*range(0, 14 * 8), *range((len(good) - 12) * 8, len(good) * 8)]:
        try:
            out = _decode_whole(_flip(good, bit))
        except DecodeError:
            continue
        assert out == payload + payload[:50_000], bit


def _flip(data: bytes, bit: int) -> bytes:
    bad = bytearray(data)
    bad[bit // 8] ^= 1 << (bit % 8)
    return bytes(bad)


def test_encode_part_survives_garbage_collection() -> None:
    """Python 3.13: a part body that was a BytesIO.getbuffer() view made the garbage
    collector raise BufferError (as an unraisable exception, failing the test run)."""
    part = PendingPart(1, [b"a" * 1000, b"b" * 1000], 2000)
    body = encode_part(part, compress=True)
    holder: list[object] = [body]
    holder.append(holder)  # a reference cycle, collected by gc below
    del holder, body
    unraisable: list[object] = []
    previous = sys.unraisablehook
    sys.unraisablehook = unraisable.append
    try:
        gc.collect()
    finally:
        sys.unraisablehook = previous
    assert unraisable == []


def test_one_shot_compressors_are_reused_but_never_shared_between_threads() -> None:
    """compress_once keeps compressors for reuse; frames made in 8 threads at once must each
    decode to their own input (a compressor used by two threads at once corrupts both)."""
    from concurrent.futures import ThreadPoolExecutor

    def roundtrip(seed: int) -> bool:
        for i in range(200):
            data = b"%d-%d " % (seed, i) * (50 + i)
            if zstandard.ZstdDecompressor().decompress(compress_once(data)) != data:
                return False
        return True

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(roundtrip, range(8)))
