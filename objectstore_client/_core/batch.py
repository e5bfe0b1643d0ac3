"""Batch operations (reference §13), sans-I/O: preparing operations, splitting them into
batch requests (<= 1000 operations, <= 100 MB) and individual puts (inserts over 1 MiB after
compression), the multipart/form-data wire format both ways, and index correlation.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Sequence
from urllib.parse import quote, unquote

import attrs
from objectstore_generated.api.batch import batch
from objectstore_generated.api.objects import insert_object

from .._batch import (
    BatchDelete,
    BatchGet,
    BatchHead,
    BatchOperation,
    BatchPut,
    BatchResult,
    DeleteResult,
    GetResult,
    HeadResult,
    OperationError,
    OperationKind,
    PutResult,
)
from .._constants import (
    BATCH_BODY_CHUNK_BYTES,
    BATCH_MAX_BYTES,
    BATCH_MAX_INSERT_BYTES,
    BATCH_MAX_OPERATIONS,
    DECODE_PIECE_BYTES,
)
from .._exceptions import InvalidInput, ObjectstoreError, RequestError
from .._models import Metadata
from .codec import ZstdDecoder, compress_once
from .flows import Flow, OpContext, ReadBody, measured, put_flow, send
from .plan import RequestPlan, SessionInfo, make_plan, plan_put
from .retry import RequestKind
from .sources import BodySpec
from .writes import Write, WriteOptions

__all__ = [
    "Indexed",
    "PartGuard",
    "BatchItem",
    "assemble",
    "batch_flow",
    "individual_flow",
    "parse_form_data",
    "plan_batch",
    "prepare",
    "split",
]

#: Results of one request, keyed by the operations' positions in the call.
Indexed = list[tuple[int, BatchResult]]
_KIND = "x-sn-batch-operation-kind"
_KEY = "x-sn-batch-operation-key"
_INDEX = "x-sn-batch-operation-index"
_STATUS = "x-sn-batch-operation-status"
#: Framing and header bytes per operation, for the batch size estimate.
_PART_OVERHEAD = 512


@attrs.frozen(eq=False)
class BatchItem:
    """One validated operation: its position in the call, wire headers and (compressed) body."""

    index: int
    kind: OperationKind
    key: str | None
    headers: dict[str, str]
    body: bytes = b""
    decompress: bool = False
    compressed: bool = False
    write: Write | None = None

    @property
    def size(self) -> int:
        """Estimated bytes of this operation in a batch request."""
        return len(self.body) + _PART_OVERHEAD


def _insert(session: SessionInfo, index: int, op: BatchPut) -> BatchItem:
    write = WriteOptions(
        key=op.key, compression=op.compression, content_type=op.content_type,
        metadata=op.metadata, expiration_policy=op.expiration_policy, origin=op.origin,
        filename=op.filename,
    ).resolve(session.usecase)  # fmt: skip
    compressed = write.compress
    data = bytes(op.contents)
    body = compress_once(data) if compressed else data
    # an insert operation carries an insert request's write headers
    headers = insert_object.build_request_kwargs(
        session.usecase.name, session.scope_path, **write.builder_args
    )["headers"]
    headers[_KIND] = "insert"
    if op.key:
        headers[_KEY] = quote(op.key, safe="")
    return BatchItem(
        index, "insert", op.key or None, headers, body, compressed=compressed, write=write
    )


def prepare(session: SessionInfo, operations: Sequence[BatchOperation]) -> list[BatchItem]:
    """Validate every operation (and compress inserts) before any request."""
    if isinstance(operations, (str, bytes)) or not isinstance(operations, Sequence):
        raise InvalidInput("operations must be a sequence of BatchGet/BatchHead/BatchPut/...")
    prepared: list[BatchItem] = []
    for index, op in enumerate(operations):
        if isinstance(op, BatchPut):
            prepared.append(_insert(session, index, op))
            continue
        kind: OperationKind
        if isinstance(op, BatchGet):
            kind = "get"
        elif isinstance(op, BatchHead):
            kind = "head"
        elif isinstance(op, BatchDelete):
            kind = "delete"
        else:
            raise InvalidInput(f"operation {index} is not a batch operation: {op!r}")
        headers = {_KIND: kind, _KEY: quote(op.key, safe="")}
        decompress = isinstance(op, BatchGet) and op.decompress
        prepared.append(BatchItem(index, kind, op.key, headers, decompress=decompress))
    return prepared


def split(
    prepared: Sequence[BatchItem],
    max_operations: int = BATCH_MAX_OPERATIONS,
    max_bytes: int = BATCH_MAX_BYTES,
) -> tuple[list[list[BatchItem]], list[BatchItem]]:
    """Batches of at most ``max_operations`` and ``max_bytes``, plus the inserts too large for
    a batch (sent as individual puts)."""
    batches: list[list[BatchItem]] = []
    individual: list[BatchItem] = []
    current: list[BatchItem] = []
    size = 0
    for op in prepared:
        if op.kind == "insert" and len(op.body) > BATCH_MAX_INSERT_BYTES:
            individual.append(op)
            continue
        if current and (len(current) >= max_operations or size + op.size > max_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(op)
        size += op.size
    if current:
        batches.append(current)
    return batches, individual


def _encode(ops: Sequence[BatchItem], boundary: str) -> tuple[bytes, ...]:
    """The form-data body in chunks of about BATCH_BODY_CHUNK_BYTES.

    Thousands of tiny pieces would cost a ``send()`` each; one joined buffer would copy a whole
    100 MB batch. Coalescing bounds both.
    """
    chunks: list[bytes] = []
    pending: list[bytes] = []
    size = 0
    for op in ops:
        head = f"--{boundary}\r\ncontent-disposition: form-data; name=part\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in op.headers.items())
        pieces = (head.encode("latin-1"), b"\r\n", op.body or b"", b"\r\n")
        pending.extend(pieces)
        size += sum(len(piece) for piece in pieces)
        if size >= BATCH_BODY_CHUNK_BYTES:
            chunks.append(b"".join(pending))
            pending, size = [], 0
    pending.append(f"--{boundary}--\r\n".encode("ascii"))
    chunks.append(b"".join(pending))
    return tuple(chunks)


def plan_batch(session: SessionInfo, ops: Sequence[BatchItem]) -> RequestPlan:
    """One batch request; its body is a tuple of chunks, streamed and replayable."""
    boundary = f"os-batch-{secrets.token_hex(16)}"
    kwargs = batch.build_request_kwargs(session.usecase.name, session.scope_path)
    kwargs["headers"]["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    # replaying is safe unless an insert without a key is in it (the server would add twice)
    idempotent = all(op.kind != "insert" or op.key for op in ops)
    body = BodySpec(_encode(ops, boundary), "iter", compress=False)
    return make_plan("POST", kwargs, RequestKind(idempotent=idempotent, replayable=True), body)


_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)


def parse_form_data(content_type: str, body: bytes) -> list[tuple[dict[str, str], bytes]]:
    """Parts of a multipart/form-data body: (lower-cased headers, body) in order."""
    match = _BOUNDARY.search(content_type)
    if match is None:
        raise ValueError(f"no boundary in {content_type!r}")
    delimiter = b"--" + (match.group(1) or match.group(2)).encode("latin-1")
    if not body.startswith(delimiter):
        raise ValueError("body does not start with the boundary")
    parts: list[tuple[dict[str, str], bytes]] = []
    pos = len(delimiter)
    while not body.startswith(b"--", pos):  # "--" after a delimiter ends the body
        if not body.startswith(b"\r\n", pos):
            raise ValueError("malformed delimiter line")
        pos += 2
        end = pos if body.startswith(b"\r\n", pos) else body.index(b"\r\n\r\n", pos) + 2
        headers: dict[str, str] = {}
        for line in body[pos:end].decode("latin-1").split("\r\n"):
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        start = end + 2
        stop = body.index(b"\r\n" + delimiter, start)
        parts.append((headers, body[start:stop]))
        pos = stop + 2 + len(delimiter)
    return parts


class PartGuard:
    """Watches a batch response as it streams in and says where it stops making sense.

    A well-formed response has one part per operation, each with a distinct index in
    ``range(operations)``. The first part that breaks this (the real server answers an
    unparsable request with error parts numbered 0, 1, 2, ... that never end) sets
    :attr:`violation` and :attr:`cut` (the offset of its delimiter): the body is complete
    and correct up to there, and nothing after it is worth reading.
    """

    def __init__(self, boundary: bytes, operations: int) -> None:
        self._delimiter = b"--" + boundary
        self._operations = operations
        self._seen: set[int] = set()
        self._parts = 0
        self._buffer = bytearray()  # the body from offset self._base on, not yet scanned
        self._base = 0
        self.violation: str | None = None
        self.cut = 0

    def feed(self, data: bytes) -> bool:
        """Scan more of the body; True once it is time to stop reading."""
        self._buffer += data
        buffer, delimiter = self._buffer, self._delimiter
        search = 0
        while self.violation is None:
            at = buffer.find(delimiter, search)
            if at < 0:
                search = max(search, len(buffer) - len(delimiter) - 2)
                break
            after = at + len(delimiter)
            if self._base + at > 0 and buffer[at - 2 : at] != b"\r\n":
                search = at + 1  # the boundary text inside a part, not a delimiter
                continue
            if len(buffer) < after + 2:
                break
            if buffer[after : after + 2] == b"--":
                search = len(buffer)  # the closing delimiter: the rest is epilogue
                break
            end = buffer.find(b"\r\n\r\n", after)
            if end < 0:
                break  # the part's headers are still coming
            self._check(self._base + at, bytes(buffer[after:end]))
            search = end + 4
        if self.violation is not None:
            return True
        keep = max(search - 2, 0)  # the CRLF before a delimiter is looked at
        del buffer[:keep]
        self._base += keep
        return False

    def _check(self, at: int, head: bytes) -> None:
        self._parts += 1
        match = _INDEX_LINE.search(head)
        index = int(match.group(1)) if match else None
        if index is not None and index in self._seen:
            self.violation = f"operation index {index} answered twice"
        elif index is not None and index >= self._operations:
            self.violation = (
                f"operation index {index} out of range for {self._operations} operations"
            )
        elif self._parts > self._operations:
            self.violation = f"more parts than the {self._operations} operations"
        if self.violation is not None:
            self.cut = at
        elif index is not None:
            self._seen.add(index)

    def complete_body(self, body: bytes) -> bytes:
        """``body`` up to the first unacceptable part, closed with the final delimiter."""
        if self.violation is None:
            return body
        return body[: self.cut] + self._delimiter + b"--"


_INDEX_LINE = re.compile(rb"(?:^|\r\n)x-sn-batch-operation-index:[ \t]*([0-9]+)", re.IGNORECASE)


def _decode(data: bytes) -> bytes:
    decoder = ZstdDecoder(io.BytesIO(data))
    out = io.BytesIO()
    while piece := decoder.read(DECODE_PIECE_BYTES):
        out.write(piece)
    return out.getvalue()


def _result(op: BatchItem, status: int, headers: dict[str, str], body: bytes) -> BatchResult:
    key = op.key or ""
    if op.kind in ("get", "head") and status == 404:
        return GetResult(key, None, None) if op.kind == "get" else HeadResult(key, None)
    if op.kind == "get" and status == 200:
        metadata = Metadata.from_headers(headers)
        if not (op.decompress and metadata.compression == "zstd"):
            return GetResult(key, metadata, body)
        try:
            return GetResult(key, attrs.evolve(metadata, compression=None), _decode(body))
        except ObjectstoreError as exc:
            return OperationError(op.index, op.kind, op.key, status, str(exc))
    if op.kind == "head" and status in (200, 204):
        return HeadResult(key, Metadata.from_headers(headers))
    if op.kind == "insert" and status in (200, 201):
        return PutResult(unquote(headers.get(_KEY, "")) or key)
    if op.kind == "delete" and status in (200, 204):
        return DeleteResult(key)
    message = body.decode("utf-8", errors="replace").strip() or f"status {status}"
    return OperationError(op.index, op.kind, op.key, status, message)


def _failed(ops: Sequence[BatchItem], exc: ObjectstoreError) -> Indexed:
    status = exc.status if isinstance(exc, RequestError) else None
    return [(op.index, OperationError(op.index, op.kind, op.key, status, str(exc))) for op in ops]


def _batch(
    ctx: OpContext, session: SessionInfo, plan: RequestPlan, ops: Sequence[BatchItem]
) -> Flow[Indexed]:
    guard: PartGuard | None = None
    try:
        response = yield from send(ctx, session, plan, frozenset({200}))
        assert response is not None
        content_type = response.headers.get("content-type", "")
        match = _BOUNDARY.search(content_type)
        if match is not None:
            guard = PartGuard((match.group(1) or match.group(2)).encode("latin-1"), len(ops))
        stop = None if guard is None else guard.feed  # ends an endless body at its first extra part
        body: bytes = yield ReadBody(response, raw=True, stop=stop)
        try:
            if guard is not None:
                body = guard.complete_body(body)
            parts = parse_form_data(content_type, body)
        except ValueError as exc:
            raise _malformed(ctx, plan, str(exc)) from None
    except ObjectstoreError as exc:  # the whole batch failed: every operation reports it
        return _failed(ops, exc)
    results: Indexed = []
    for headers, part_body in parts:
        try:
            op = ops[int(headers[_INDEX])]
            status = int(headers[_STATUS].split()[0])
        except (KeyError, ValueError, IndexError):
            continue  # unusable part: its operation is reported missing by assemble
        results.append((op.index, _result(op, status, headers, part_body)))
    if guard is not None and guard.violation is not None:
        # reading stopped there: the operations not answered before it get this error
        answered = {index for index, _ in results}
        error = _malformed(ctx, plan, f"{guard.violation}; stopped reading")
        results += _failed([op for op in ops if op.index not in answered], error)
    return results


def _malformed(ctx: OpContext, plan: RequestPlan, problem: str) -> RequestError:
    body = f"malformed batch response: {problem}".encode()
    return ctx.response_error(plan, 200, body)


def batch_flow(
    ctx: OpContext, session: SessionInfo, plan: RequestPlan, ops: Sequence[BatchItem]
) -> Flow[Indexed]:
    """One batch request; results keyed by the operations' positions in the call."""
    return measured(ctx, "batch", session, _batch(ctx, session, plan, ops), dict)


def individual_flow(ctx: OpContext, session: SessionInfo, op: BatchItem) -> Flow[Indexed]:
    """An insert too large for a batch, as a put of its already compressed body."""
    if op.write is None:
        raise TypeError(f"operation {op.index} is not an insert")
    # the body was compressed when prepared: send it as is, with its Content-Encoding
    plan = plan_put(session, op.body, op.write, precompressed=True)
    try:
        key = yield from put_flow(ctx, session, plan)
    except ObjectstoreError as exc:
        return _failed([op], exc)
    return [(op.index, PutResult(key))]


def assemble(
    prepared: Sequence[BatchItem], indexed: Sequence[Indexed | ObjectstoreError]
) -> list[BatchResult]:
    """Results in request order; an operation the server never answered is an error."""
    by_index: dict[int, BatchResult] = {}
    for group in indexed:
        if not isinstance(group, ObjectstoreError):
            by_index.update(group)
    return [
        by_index.get(op.index)
        or OperationError(op.index, op.kind, op.key, None, "no result in the batch response")
        for op in prepared
    ]


def batch_jobs(
    ctx: OpContext, session: SessionInfo, operations: Sequence[BatchOperation]
) -> tuple[list[BatchItem], list[Flow[Indexed]], list[Flow[Indexed]]]:
    """Validate every operation, then split them: the flows of the batch requests and of the
    individual puts of inserts too large for a batch (results by position, see ``assemble``)."""
    items = prepare(session, operations)
    groups, singles = split(items)
    batches = [batch_flow(ctx, session, plan_batch(session, group), group) for group in groups]
    individual = [individual_flow(ctx, session, item) for item in singles]
    return items, batches, individual
