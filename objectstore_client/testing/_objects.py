"""Single-object routes: POST/PUT insert, GET (with ranges), HEAD, DELETE (reference §6, §9)."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol, TypeVar

from ._auth import DELETE, READ, WRITE, AuthContext
from ._errors import (
    IS_A_DIRECTORY,
    NOT_FOUND,
    EmptyError,
    client_error,
    io_error,
    metadata_error,
)
from ._http import Headers, Request
from ._metadata import Metadata, MetadataError, content_disposition
from ._storage import ObjectId, StoredObject
from ._wire import real_wire_chunks

if TYPE_CHECKING:
    from ._app import ObjectstoreApp

__all__ = ["delete_object", "get_object", "head_object", "insert_object", "parse_range"]

ACCEPT_RANGES = (b"accept-ranges", b"bytes")
_SPEC = re.compile(r"^([0-9]*)-([0-9]*)$")


def parse_range(raw: bytes | None) -> tuple[int | None, int | None] | None:
    """``(start, end)`` or ``(None, suffix)``; ``None`` when absent or ignored."""
    if raw is None:
        return None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise client_error("invalid Range header: header value is not ASCII") from None
    if "," in text:
        return None  # multiple ranges: ignored, full response
    unit, sep, spec = text.partition("=")
    if not sep:
        raise client_error("invalid Range header: invalid byte range")
    if unit.lower() != "bytes":
        raise client_error(f"invalid Range header: invalid range unit: {unit}, expected: bytes")
    match = _SPEC.match(spec)
    if match is None or (not match.group(1) and not match.group(2)):
        raise client_error("invalid Range header: invalid byte range")
    start_s, end_s = match.groups()
    if not start_s:
        suffix = int(end_s)
        if suffix == 0:
            raise client_error("invalid Range header: invalid byte range")
        return None, suffix
    start = int(start_s)
    end = int(end_s) if end_s else None
    if end is not None and start > end:
        raise client_error("invalid Range header: invalid byte range")
    return start, end


def _metadata(req: Request, app: ObjectstoreApp) -> Metadata:
    try:
        return Metadata.from_headers(req.headers, app.storage.now_micros())
    except MetadataError as exc:
        raise metadata_error(str(exc)) from None


_Committed = TypeVar("_Committed", covariant=True)


class BodyWriter(Protocol[_Committed]):
    """Where a request body is streamed to: an object or a multipart part."""

    def write(self, data: bytes) -> None: ...
    def abort(self) -> None: ...
    def commit(self) -> _Committed: ...


async def receive_into(req: Request, writer: BodyWriter[_Committed]) -> _Committed:
    """Stream the request body into ``writer``; abort it on any failure; returns what
    ``commit`` returns (a part's etag)."""
    try:
        async for chunk in req.stream():
            writer.write(chunk)
    except BaseException:
        writer.abort()
        raise
    return writer.commit()


async def insert_object(
    app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId
) -> None:
    """POST (``oid.key == ""``: generated key, 201) or PUT (200)."""
    metadata = _metadata(req, app)
    auth.check(WRITE, oid.usecase, oid.scopes)
    if app.strict_filesystem and oid.key.endswith("/"):
        raise io_error(IS_A_DIRECTORY)  # the file would be a directory path
    created = not oid.key
    if created:
        oid = ObjectId(oid.usecase, oid.scopes, str(uuid.uuid4()))
    await receive_into(req, app.storage.writer(oid, metadata))
    await req.json(201 if created else 200, {"key": oid.key})


def _read_headers(obj: StoredObject) -> Headers:
    headers = obj.metadata.to_headers()
    headers.append(ACCEPT_RANGES)
    if obj.metadata.filename is not None:
        disposition = content_disposition(obj.metadata.filename)
        if disposition is not None:
            headers.append((b"content-disposition", disposition))
    return headers


async def get_object(app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId) -> None:
    requested = parse_range(req.header(b"range"))
    auth.check(READ, oid.usecase, oid.scopes)
    obj = app.storage.get(oid)
    if obj is None:
        raise EmptyError(404)
    try:
        headers = _read_headers(obj)
        total = obj.size
        if requested is None:
            # streamed with chunked encoding and no length, like the real server
            await req.start(200, headers)
            if app.real_wire:
                await _stream_real_wire(req, obj.read_range(0, None))
            else:
                await _stream(req, obj.read_range(0, None))
            return
        start, end = requested
        if start is None:
            assert end is not None
            start, end = max(total - end, 0), total - 1
        elif end is None or end >= total:
            end = total - 1
        if total == 0 or start >= total:
            raise EmptyError(416, [(b"content-range", f"bytes */{total}".encode()), ACCEPT_RANGES])
        length = end - start + 1
        headers.append((b"content-range", f"bytes {start}-{end}/{total}".encode()))
        headers.append((b"content-length", str(length).encode()))
        await req.start(206, headers)
        for chunk in obj.read_range(start, length):
            await req.body(chunk, more=True)
        await req.body(b"")
    finally:
        obj.close()


async def _stream(req: Request, chunks: Iterator[bytes]) -> None:
    """The last chunk goes with the end of the body: a small object is a single write."""
    previous = next(chunks, b"")
    for chunk in chunks:
        await req.body(previous, more=True)
        previous = chunk
    await req.body(previous)


async def _stream_real_wire(req: Request, chunks: Iterator[bytes]) -> None:
    """The head, each chunk of the real server's sizes and the end: separate writes."""
    await asyncio.sleep(0)  # lets CoalescingTransport flush the head on its own
    for chunk in real_wire_chunks(chunks):
        await req.body(chunk, more=True)
        await asyncio.sleep(0)
    await req.body(b"")


async def head_object(app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId) -> None:
    auth.check(READ, oid.usecase, oid.scopes)
    obj = app.storage.get(oid)
    if obj is None:
        raise EmptyError(404)
    obj.close()
    # the real server's HEAD says `content-length: 0` (its DELETE's 204 does not)
    await req.empty(204, [*_read_headers(obj), (b"content-length", b"0")])


async def delete_object(
    app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId
) -> None:
    auth.check(DELETE, oid.usecase, oid.scopes)
    if not app.storage.delete(oid) and app.strict_filesystem:
        raise io_error(NOT_FOUND)
    await req.empty(204)
