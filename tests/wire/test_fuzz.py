"""Property-based: generated and mutated response streams, cut at random points, through the
default engine's parser. Whatever the bytes: only the SDK's refusal, never another
exception; an unmutated response reads back exactly; nothing of a stray second response
joins the first; memory stays bounded on endless input. (tests/engines/test_fuzz_sockets.py
runs streams like these through both engines over sockets.)"""

from __future__ import annotations

import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectstore_client._engines._h1 import Exchange
from objectstore_client._engines._limits import MAX_HEAD_BYTES, ResponseRefused
from tests.wire.cases import Body, Case, Refused
from tests.wire.outcome import parse, segments
from tests.wire.streams import EXAMPLES, STRAY_STATUS, Stream, streams

_SETTINGS = settings(
    max_examples=EXAMPLES or 300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_SETTINGS
@given(streams())
def test_any_stream_parses_to_one_right_outcome(stream: Stream) -> None:
    case = Case("fuzz", stream.wire, Refused(), method=stream.method, close=stream.close)
    got = parse(case, segments(stream.wire, stream.cuts))
    if not stream.mutated:
        reusable = not stream.stray and not stream.close
        assert got == Body(stream.status, stream.body, reusable)
    if isinstance(got, Body):
        assert b"B" not in got.body and got.status != STRAY_STATUS


_ENDLESS = st.sampled_from(
    [
        b"x-h: v\r\n",  # header after header
        b"vvvvvvvvvvvvvvvvvvvvvvvv",  # one endless header value
        b"HTTP/1.1 100 Continue\r\n\r\n",  # interim responses forever
    ]
)


@settings(max_examples=EXAMPLES or 15, deadline=None)
@given(_ENDLESS, st.integers(1, 65536))
def test_endless_heads_are_refused_at_bounded_memory(pattern: bytes, piece: int) -> None:
    start = {b"x": b"HTTP/1.1 200 OK\r\n", b"v": b"HTTP/1.1 200 OK\r\nx-h: "}.get(pattern[:1], b"")
    stream = start + pattern * (3 * MAX_HEAD_BYTES // len(pattern))
    exchange = Exchange(no_body=False)
    tracemalloc.start()
    try:
        fed = 0
        try:
            while fed < len(stream):
                exchange.feed(memoryview(stream)[fed : fed + piece])
                fed += piece
        except ResponseRefused as exc:
            assert exc.limit is not None
        else:
            raise AssertionError("an endless head was accepted")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert fed <= MAX_HEAD_BYTES + piece
    assert peak < 4 * MAX_HEAD_BYTES
