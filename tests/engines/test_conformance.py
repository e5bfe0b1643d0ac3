"""The wire-conformance cases (tests/wire/cases.py) over real loopback sockets, on every
engine and driver: each case, cut into segments at a few boundaries, ends in exactly the
right bytes or a typed ``ProtocolViolation`` within bounded time, and nothing of it reaches
the next request on the connection. (tests/wire feeds the parser every boundary; here the
sockets are the point.)"""

from __future__ import annotations

import threading
import time

import httpx

from objectstore_client._exceptions import ProtocolViolation, TransportError
from tests.engines.conftest import EngineAdapter, EngineFactory
from tests.engines.rawserver import Connection, RawServer, ok
from tests.wire.cases import CASES, Body, Case, Refused

_BY_NAME = {case.name: case for case in CASES}
#: Gap between segments, so that each arrives on its own (the server sets TCP_NODELAY).
_GAP = 0.003


def _cuts(case: Case) -> list[int]:
    """Whole, then cut inside the status line, right after the head, and mid-way.

    Never at or after the end of a first message that more bytes follow: a stray answer sent
    once the client's next request is on its way is that request's answer as far as any
    HTTP/1.1 client can tell (docs/failure-semantics.md).
    """
    wire = case.wire
    head_end = wire.find(b"\r\n\r\n")
    cuts = [0, 7, head_end + 4 if head_end > 0 else len(wire) // 2, len(wire) // 2]
    end = len(wire) if case.message_end is None else case.message_end
    return sorted({c for c in cuts if 0 <= c < end})


class _Script:
    """Serves ``/case/<name>/<cut>`` with the case's bytes cut there, anything else with
    ``NEXT``; logs which connection served which request."""

    def __init__(self) -> None:
        self.log: list[tuple[int, bytes]] = []
        self._ids = iter(range(1_000_000))
        self._lock = threading.Lock()

    def __call__(self, conn: Connection) -> None:
        with self._lock:
            conn_id = next(self._ids)
        while (request := conn.read_request()) is not None:
            self.log.append((conn_id, request.target))
            parts = request.target.split(b"/")
            if len(parts) != 4 or parts[1] != b"case":
                conn.send(ok(b"NEXT"))
                continue
            case = _BY_NAME[parts[2].decode()]
            cut = int(parts[3])
            first, second = case.wire[:cut], case.wire[cut:]
            if first:
                conn.send(first)
                time.sleep(_GAP)
            conn.send(second)
            if case.close:
                return

    def connection_of(self, target: bytes) -> int:
        return next(conn_id for conn_id, seen in self.log if seen == target)


async def _outcome(engine: EngineAdapter, case: Case, path: str) -> Body | Refused:
    try:
        response = await engine.send(case.method, path)
        body = await engine.read(response)
    except TransportError as exc:
        assert isinstance(exc, ProtocolViolation), exc
        return Refused(exc.limit)
    return Body(response.status_code, body)


def _expected(engine: EngineAdapter, case: Case) -> Body | Refused:
    return case.httpx if engine.name == "httpx" and case.httpx is not None else case.expect


def _same(got: Body | Refused, want: Body | Refused, engine: EngineAdapter) -> bool:
    if isinstance(want, Refused) and isinstance(got, Refused):
        # the httpx engine may refuse through h11 first, without naming an SDK limit
        return got.limit == want.limit or (engine.name == "httpx" and want.limit is None)
    if isinstance(want, Body) and isinstance(got, Body):
        return (got.status, got.body) == (want.status, want.body)
    return False


async def test_every_case_over_sockets(make_engine: EngineFactory) -> None:
    script = _Script()
    with RawServer(script) as server:
        engine = make_engine(server.url, timeout=httpx.Timeout(5.0))
        for case in CASES:
            want = _expected(engine, case)
            for cut in _cuts(case):
                path = f"/case/{case.name}/{cut}"
                started = time.monotonic()
                got = await _outcome(engine, case, path)
                assert time.monotonic() - started < 3, (case.name, cut)
                assert _same(got, want, engine), (case.name, cut, got, want)
                # the next request never sees a byte of this case
                response = await engine.send("GET", "/next")
                got_next = (response.status_code, await engine.read(response))
                assert got_next == (200, b"NEXT"), (case.name, cut)
                if isinstance(want, Body):
                    reused = script.connection_of(path.encode()) == script.log[-1][0]
                    assert reused == want.reusable, (case.name, cut, "reuse")


async def test_poisoned_answer_never_reaches_the_next_request(
    make_engine: EngineFactory,
) -> None:
    """The issue's reproduction: 200 "hello" and a stray 200 "POISON" in one write."""

    def handler(conn: Connection) -> None:
        while conn.read_request() is not None:
            conn.send(ok(b"hello") + ok(b"POISON"))

    with RawServer(handler) as server:
        engine = make_engine(server.url)
        for _ in range(3):
            response = await engine.send("GET", "/k")
            assert await engine.read(response) == b"hello"
        assert server.accepted == 3
