"""The fault matrix: every fault x every operation, sync and async, through a FaultProxy.

Each cell ends in verified bytes (sha256 of what the server holds or what was read equals what
was written) or in a typed ObjectstoreError, never in wrong data, another exception type or a
hang; a POST without a key reaches the server at most once. Timeouts are short and the retry
budget small so that the whole matrix stays fast; every test has its own timeout.

It runs over every HTTP engine the SDK ships (the ``faulty`` fixture's parameters).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import attrs
import pytest

from objectstore_client import (
    Client,
    CompletePart,
    DecodeError,
    ObjectstoreError,
    OperationError,
    RetryPolicy,
    Usecase,
)
from objectstore_client.testing.faults import (
    Cut,
    Delay,
    Fault,
    FaultProxy,
    FlipBit,
    RequestInfo,
    Reset,
    Status,
    Trickle,
)
from tests.e2e.adapter import ClientAdapter, SessionAdapter

pytestmark = pytest.mark.timeout(30)

#: Compressible, so that corruption and truncation are detectable end to end; > 1 socket read.
DATA = b"".join(b"row %06d: integrity under faults\n" % i for i in range(12_000))
PART = os.urandom(64 * 1024)
#: Short read timeout (stalls) and a small retry budget: each cell takes well under a second.
POLICY = RetryPolicy(3, deadline=1.5, initial_delay=0.02, max_delay=0.1, max_retry_after=0.1)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FAULTS: dict[str, Fault] = {
    "503-burst": Status(503, retry_after=0.02),
    "429": Status(429, retry_after="0.01"),
    "502": Status(502),
    "504": Status(504),
    "reset-before-sending": Reset(0, side="request"),
    "reset-mid-request": Reset(180, side="request"),
    "reset-in-response-head": Reset(20),
    "reset-mid-body": Reset(4000),
    "cut-unframed": Cut(3000),
    "cut-framed": Cut(3000, framing=True),
    "flip-bit": FlipBit(2000, bit=5),
    "stall-headers": Delay(None),
    "stall-body": Delay(None, at="body", after=2000),
    "delay-headers": Delay(0.05),
    "trickle": Trickle(2_000_000, piece=16_384),
}
#: Faults applied twice in a row (a burst); the others once.
BURSTS = {"503-burst": 2}

#: Faults after which the request may have reached the server: a POST without key must not
#: be replayed, so these end in a typed error for it.
_MAYBE_SENT = {
    "503-burst", "429", "502", "504", "reset-before-sending", "reset-mid-request",
    "reset-in-response-head", "stall-headers",
}  # fmt: skip
#: Cells allowed to end in a typed error; every other cell must succeed with verified bytes.
MAY_FAIL: set[tuple[str, str]] = {
    *(("put-no-key", fault) for fault in _MAYBE_SENT),
}  # fmt: skip
#: Cells that must end in this error: corrupt bytes are never returned.
MUST_FAIL = {("get", "flip-bit"): DecodeError}


@attrs.define
class Cell:
    """What one operation needs: a session through the proxy, one around it, the proxy."""

    faulty: SessionAdapter
    direct: Any
    proxy: FaultProxy

    def stored(self, key: str) -> bytes | None:
        result = self.direct.get(key)
        return None if result is None else result.payload.read()


@pytest.fixture(scope="module")
def direct_client(objectstore_url: str) -> Iterator[Client]:
    with Client(objectstore_url) as client:
        yield client


#: (driver, HTTP engine): every engine the SDK ships runs the whole matrix.
VARIANTS = [(kind, engine) for engine in ("httptools", "httpx") for kind in ("sync", "async")]


@pytest.fixture(params=VARIANTS, ids=[f"{kind}-{engine}" for kind, engine in VARIANTS])
async def faulty(request: pytest.FixtureRequest, proxy: FaultProxy) -> AsyncIterator[ClientAdapter]:
    """The client under test, talking through the proxy, on each driver and engine."""
    kind, engine = request.param
    client = ClientAdapter(
        kind, proxy.url, engine=engine, timeout_ms=400, connection_kwargs={"retries": POLICY}
    )
    yield client
    await client.close()


@pytest.fixture
def cell(faulty: ClientAdapter, direct_client: Client, proxy: FaultProxy) -> Cell:
    scope = uuid.uuid4().hex[:12]
    return Cell(
        faulty.session("attachments", org=scope),
        direct_client.session(Usecase("attachments"), org=scope),
        proxy,
    )


async def op_put_with_key(cell: Cell) -> tuple[str, str]:
    await cell.faulty.put(DATA, key="k")
    return "PUT", "/k"


async def op_put_without_key(cell: Cell) -> tuple[str, str]:
    key = await cell.faulty.put(DATA)
    assert cell.stored(key) == DATA
    return "POST", "/v1/objects/"


async def op_get(cell: Cell) -> tuple[str, str]:
    cell.direct.put(DATA, key="k")
    result = await cell.faulty.get("k")
    assert result is not None
    assert sha(await result[1].read()) == sha(DATA)
    return "GET", "/k"


async def op_head(cell: Cell) -> tuple[str, str]:
    cell.direct.put(DATA, key="k", metadata={"check": "yes"})
    metadata = await cell.faulty.head("k")
    assert metadata is not None and metadata.custom == {"check": "yes"}
    return "HEAD", "/k"


async def op_delete(cell: Cell) -> tuple[str, str]:
    cell.direct.put(DATA, key="k")
    await cell.faulty.delete("k")
    assert cell.stored("k") is None
    return "DELETE", "/k"


async def _upload(cell: Cell) -> Any:
    raw = cell.direct.initiate_multipart_upload(key="k", compress="none")
    return cell.faulty.resume("k", raw.upload_id)


async def op_upload_part(cell: Cell) -> tuple[str, str]:
    upload = await _upload(cell)
    part = await upload.put_part(PART, part_number=1, content_length=len(PART))
    key = await upload.complete([part])
    assert key == "k" and cell.stored("k") == PART
    return "PUT", "objects:multipart:parts"


async def op_complete(cell: Cell) -> tuple[str, str]:
    upload = await _upload(cell)
    raw = cell.direct.resume_multipart_upload("k", upload.upload_id)
    part = raw.put_part(PART, part_number=1, content_length=len(PART))
    key = await upload.complete([CompletePart(part.part_number, part.etag)])
    assert key == "k" and cell.stored("k") == PART
    return "POST", "objects:multipart:complete"


async def op_abort(cell: Cell) -> tuple[str, str]:
    upload = await _upload(cell)
    await upload.abort()
    return "DELETE", "objects:multipart/"


async def op_batch(cell: Cell) -> tuple[str, str]:
    items = {f"b{i}": DATA[i * 1000 : (i + 2) * 1000] for i in range(5)}
    results = await cell.faulty.call("put_many", items)
    stored = [r for r in results if not isinstance(r, OperationError)]
    for result in stored:
        assert cell.stored(result.key) == items[result.key]
    got = await cell.faulty.call("get_many", [r.key for r in stored])
    for result in got:
        if not isinstance(result, OperationError):
            assert result.data is not None and sha(result.data) == sha(items[result.key])
    return "POST", "objects:batch"


OPERATIONS: dict[str, Callable[[Cell], Awaitable[tuple[str, str]]]] = {
    "put-key": op_put_with_key,
    "put-no-key": op_put_without_key,
    "get": op_get,
    "head": op_head,
    "delete": op_delete,
    "upload-part": op_upload_part,
    "complete": op_complete,
    "abort": op_abort,
    "batch": op_batch,
}
_TARGETS = {
    "put-key": ("PUT", "/k"),
    "put-no-key": ("POST", None),
    "get": ("GET", "/k"),
    "head": ("HEAD", "/k"),
    "delete": ("DELETE", "/k"),
    "upload-part": ("PUT", "objects:multipart:parts"),
    "complete": ("POST", "objects:multipart:complete"),
    "abort": ("DELETE", "objects:multipart/"),
    "batch": ("POST", "objects:batch"),
}


def faulty_kind(cell: Cell) -> str:
    return "async" if "Async" in type(cell.faulty.raw).__name__ else "sync"


def _is_insert(request: RequestInfo) -> bool:
    return "objects:" not in request.target


@pytest.mark.parametrize("fault_name", list(FAULTS))
@pytest.mark.parametrize("op_name", list(OPERATIONS))
async def test_fault_ends_in_verified_bytes_or_a_typed_error(
    cell: Cell, op_name: str, fault_name: str
) -> None:
    method, path = _TARGETS[op_name]
    where = _is_insert if op_name == "put-no-key" else None
    cell.proxy.inject(
        FAULTS[fault_name], method=method, path=path, times=BURSTS.get(fault_name, 1), where=where
    )
    error: ObjectstoreError | None = None
    try:
        await OPERATIONS[op_name](cell)
    except ObjectstoreError as exc:  # a typed error: the caller knows it failed
        error = exc
    expected = MUST_FAIL.get((op_name, fault_name))
    if expected is not None:
        assert isinstance(error, expected), error
    elif (op_name, fault_name) not in MAY_FAIL and error is not None:
        raise AssertionError(f"{op_name} did not recover from {fault_name}") from error
    if os.environ.get("FAULT_MATRIX_LOG"):
        with open(os.environ["FAULT_MATRIX_LOG"], "a") as log:
            outcome = "ok" if error is None else type(error).__name__
            log.write(f"{faulty_kind(cell)} {op_name} {fault_name} {outcome} {error}\n")
    if op_name == "put-no-key":
        inserts = [r for r in cell.proxy.requests if r.method == "POST" and _is_insert(r)]
        assert len(inserts) <= 1, "a POST without key was replayed"


def test_refused_connections_are_ridden_over(proxy: FaultProxy, direct_client: Client) -> None:
    """A server restart (about a second of refused connections) fails no request."""
    client = Client(proxy.url, connection_kwargs={"retries": RetryPolicy(deadline=5)})
    session = client.session(Usecase("attachments"), org=uuid.uuid4().hex[:12])
    proxy.refuse(0.6)
    key = session.put(DATA)  # refused connections never reached the server: safe to replay
    assert session.get(key).payload.read() == DATA  # type: ignore[union-attr]
    client.close()
