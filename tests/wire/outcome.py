"""Run one scripted case through the default engine's parser, as a socket would deliver it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from objectstore_client._engines._h1 import READ_BYTES, Exchange
from objectstore_client._engines._limits import ResponseRefused
from tests.wire.cases import Body, Case, Refused


def segments(wire: bytes, cuts: Iterable[int]) -> list[bytes]:
    """``wire`` cut at ``cuts``, each piece at most one socket read."""
    points = sorted({0, len(wire), *(c for c in cuts if 0 < c < len(wire))})
    pieces = [wire[a:b] for a, b in itertools.pairwise(points)]
    return [p[i : i + READ_BYTES] for p in pieces for i in range(0, len(p), READ_BYTES)]


def parse(case: Case, pieces: list[bytes]) -> Body | Refused | None:
    """The outcome of ``pieces`` fed to a fresh ``Exchange`` (None: still waiting)."""
    exchange = Exchange(no_body=case.method == "HEAD")
    body = bytearray()
    rest = b""
    try:
        for index, piece in enumerate(pieces):
            exchange.feed(memoryview(piece))
            body += exchange.take()
            if exchange.done and not case.close:
                # the engine stops reading here; what is left in the socket makes the idle
                # connection readable, so it is not reused either
                rest = b"".join(pieces[index + 1 :])
                break
        if case.close:
            exchange.eof()
        elif rest:
            exchange.feed(rest)
    except ResponseRefused as exc:
        return Refused(exc.limit)
    body += exchange.take()
    if not exchange.done:
        return None
    reusable = exchange.keep_alive and not exchange.trailing and not case.close
    return Body(exchange.status, bytes(body), reusable)
