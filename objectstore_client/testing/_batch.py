"""The batch route (reference §13): multipart/form-data in, multipart/form-data out."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from ._auth import DELETE, READ, WRITE, AuthContext
from ._errors import IS_A_DIRECTORY, NOT_FOUND, ApiError, TextError, io_error
from ._formdata import (
    FormDataError,
    FormDataParser,
    PartData,
    PartEnd,
    PartStart,
    boundary_from_content_type,
    encode_part,
)
from ._http import ClientDisconnected, Headers, Request
from ._metadata import Metadata, MetadataError
from ._storage import ObjectId

if TYPE_CHECKING:
    from ._app import ObjectstoreApp

__all__ = ["MAX_INSERT_BYTES", "MAX_OPERATIONS", "handle_batch"]

MAX_OPERATIONS = 1000
MAX_INSERT_BYTES = 1024 * 1024
KINDS = {"get": READ, "head": READ, "insert": WRITE, "delete": DELETE}
REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    413: "Payload Too Large",
    500: "Internal Server Error",
}
DISPOSITION = (b"content-disposition", b"form-data; name=part")


def _bad(message: str) -> ApiError:
    return ApiError(400, f"batch error: bad request: {message}", [f"bad request: {message}"])


def _limit(message: str) -> ApiError:
    return ApiError(413, f"batch error: limit exceeded: {message}", [f"limit exceeded: {message}"])


@dataclass
class _Op:
    index: int
    headers: dict[bytes, bytes]
    raw_headers: Headers
    body: list[bytes] = field(default_factory=list)
    size: int = 0

    @property
    def kind(self) -> str | None:
        raw = self.headers.get(b"x-sn-batch-operation-kind")
        return None if raw is None else raw.decode("latin-1").lower()


@dataclass
class _Result:
    headers: Headers
    body: bytes = b""


def _encode_key(key: str) -> bytes:
    """Every byte that is not ASCII alphanumeric becomes ``%XX`` (``key-1`` -> ``key%2D1``)."""
    raw = key.encode("utf-8", "surrogatepass")
    return "".join(chr(b) if chr(b).isalnum() and b < 128 else f"%{b:02X}" for b in raw).encode()


def _error(index: int, exc: ApiError) -> _Result:
    status = f"{exc.status} {REASONS.get(exc.status, '')}".strip().encode()
    headers = [
        (b"x-sn-batch-operation-index", str(index).encode()),
        (b"x-sn-batch-operation-status", status),
        DISPOSITION,
    ]
    return _Result(headers, exc.body())


def _ok(op: _Op, kind: str, key: str, status: int, extra: Headers | None = None) -> _Result:
    headers = [
        (b"x-sn-batch-operation-index", str(op.index).encode()),
        (b"x-sn-batch-operation-key", _encode_key(key)),
        (b"x-sn-batch-operation-kind", kind.encode()),
        (b"x-sn-batch-operation-status", f"{status} {REASONS[status]}".encode()),
        DISPOSITION,
        *(extra or []),
    ]
    return _Result(headers)


def _execute(app: ObjectstoreApp, auth: AuthContext, base: ObjectId, op: _Op) -> _Result:
    kind = op.kind
    if kind is None:
        raise _bad("missing operation kind")
    if kind not in KINDS:
        raise _bad(f"invalid operation kind: {kind}")
    raw_key = op.headers.get(b"x-sn-batch-operation-key")
    key: str | None = None
    if raw_key is not None:
        try:
            key = unquote_to_bytes(raw_key).decode("utf-8")
        except UnicodeDecodeError:
            raise _bad("invalid operation key") from None
        if not key or any(seg in (".", "..") for seg in key.split("/")):
            raise _bad("invalid operation key")
    elif kind != "insert":
        raise _bad("missing operation key")
    metadata = None
    if kind == "insert":
        try:
            metadata = Metadata.from_headers(op.raw_headers, app.storage.now_micros())
        except MetadataError as exc:
            raise ApiError(400, f"batch error: metadata error: {exc}", [str(exc)]) from None
        if op.size > MAX_INSERT_BYTES:
            raise _limit(f"insert payload exceeds {MAX_INSERT_BYTES} bytes")
    auth.check(KINDS[kind], base.usecase, base.scopes)
    if kind == "insert":
        assert metadata is not None
        if app.strict_filesystem and key is not None and key.endswith("/"):
            raise io_error(IS_A_DIRECTORY)
        oid = ObjectId(base.usecase, base.scopes, key or str(uuid.uuid4()))
        app.storage.put_bytes(oid, metadata, b"".join(op.body))
        return _ok(op, kind, oid.key, 201)
    assert key is not None
    oid = ObjectId(base.usecase, base.scopes, key)
    if kind == "delete":
        if not app.storage.delete(oid) and app.strict_filesystem:
            raise io_error(NOT_FOUND)
        return _ok(op, kind, key, 204)
    obj = app.storage.get(oid)
    if obj is None:
        return _ok(op, kind, key, 404)
    try:
        meta_headers = obj.metadata.to_headers()
        if kind == "head":
            return _ok(op, kind, key, 204, meta_headers)
        result = _ok(op, kind, key, 200, meta_headers)
        result.body = b"".join(obj.read_range(0, None))
        return result
    finally:
        obj.close()


async def handle_batch(
    app: ObjectstoreApp, req: Request, auth: AuthContext, base: ObjectId
) -> None:
    """Parse operations as they stream in, run them, answer with one part per operation."""
    boundary = boundary_from_content_type(req.header(b"content-type"))
    if boundary is None:
        raise TextError(400, "Invalid `boundary` for `multipart/form-data` request")
    parser = FormDataParser(boundary)
    results: list[_Result] = []
    count = 0
    op: _Op | None = None

    def finish(current: _Op) -> None:
        if current.index >= MAX_OPERATIONS:
            results.append(_error(current.index, _limit(f"more than {MAX_OPERATIONS} operations")))
            return
        try:
            results.append(_execute(app, auth, base, current))
        except ApiError as exc:
            results.append(_error(current.index, exc))

    failure: FormDataError | None = None
    try:
        async for chunk in req.stream():
            if parser.done or failure is not None:
                continue  # epilogue, or draining after a parse error
            try:
                events = parser.feed(chunk)
            except FormDataError as exc:
                failure = exc
                continue
            for event in events:
                if isinstance(event, PartStart):
                    op = _Op(count, dict(event.headers), event.headers)
                    count += 1
                elif isinstance(event, PartData) and op is not None:
                    op.size += len(event.data)
                    keep = op.index < MAX_OPERATIONS and op.kind == "insert"
                    if keep and op.size <= MAX_INSERT_BYTES:
                        op.body.append(event.data)
                elif isinstance(event, PartEnd) and op is not None:
                    finish(op)
                    op = None
    except ClientDisconnected:
        return
    if failure is None:
        try:
            parser.finish()
        except FormDataError as exc:
            failure = exc
    if failure is not None and not app.endless_batch_errors:
        results.append(_error(count, _parse_error(failure)))
    if app.batch_order == "reverse":
        results.reverse()
    elif app.batch_order == "shuffle":
        app.random.shuffle(results)
    out_boundary = b"os-boundary-" + secrets.token_hex(16).encode()
    ctype = b'multipart/form-data; boundary="' + out_boundary + b'"'
    await req.start(200, [(b"content-type", ctype)])  # streamed: chunked, no length
    for result in results:
        await req.body(encode_part(out_boundary, result.headers, result.body), more=True)
    if failure is not None and app.endless_batch_errors:
        await _endless_errors(req, out_boundary, count, failure)
        return
    await req.body(b"--" + out_boundary + b"--")


def _parse_error(failure: FormDataError) -> ApiError:
    parsing = "Error parsing `multipart/form-data` request"
    message = f"multipart error: {parsing}"
    return ApiError(400, f"batch error: {message}", [message, parsing, str(failure)])


async def _endless_errors(
    req: Request, boundary: bytes, first: int, failure: FormDataError
) -> None:
    """The real server's answer to an unparsable body: the parse error again and again, as
    parts numbered ``first``, ``first + 1``, ... without end. Stops when the client hangs up."""
    disconnected = asyncio.ensure_future(req.receive())  # the body is read: only a disconnect
    try:
        index = first
        while not disconnected.done():
            result = _error(index, _parse_error(failure))
            await req.body(encode_part(boundary, result.headers, result.body), more=True)
            await asyncio.sleep(0)  # lets the loop notice the hang-up
            index += 1
    finally:
        disconnected.cancel()
