"""Multipart upload routes (reference §12): initiate, part, list, abort, complete."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from ._auth import WRITE, AuthContext
from ._errors import ApiError, TextError, client_error, metadata_error
from ._http import Request
from ._humantime import format_rfc3339
from ._metadata import Metadata, MetadataError
from ._objects import receive_into
from ._storage import ObjectId
from ._uploads import InvalidPart, UploadNotFound, valid_upload_id

if TYPE_CHECKING:
    from ._app import ObjectstoreApp

__all__ = ["handle"]

JSON_LIMIT = 2 * 1024 * 1024  # axum's default body limit for `Json`
_U32_MAX = 2**32 - 1

NOT_FOUND_MESSAGE = "multipart upload not found"
NOT_FOUND = ApiError(
    500,
    f"service error: storage backend error: {NOT_FOUND_MESSAGE}",
    [f"storage backend error: {NOT_FOUND_MESSAGE}", NOT_FOUND_MESSAGE],
)
INVALID_UPLOAD_ID = ApiError(400, "service error: invalid upload id", ["invalid upload id"])


def _query(
    req: Request, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, str]:
    """serde_urlencoded into a struct: missing/duplicate fields are 400 text."""
    try:
        pairs = parse_qsl(req.raw_query.decode("ascii"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise TextError(400, f"Failed to deserialize query string: {exc}") from None
    out: dict[str, str] = {}
    for name, value in pairs:
        if name in required or name in optional:
            if name in out:
                raise TextError(
                    400, f"Failed to deserialize query string: duplicate field `{name}`"
                )
            out[name] = value
    for name in required:
        if name not in out:
            raise TextError(400, f"Failed to deserialize query string: missing field `{name}`")
    return out


def _u32(params: Mapping[str, str], name: str, *, nonzero: bool = False) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) > _U32_MAX or (nonzero and int(raw) == 0):
        kind = "a nonzero u32" if nonzero else "u32"
        raise TextError(
            400, f"Failed to deserialize query string: {name}: invalid value, expected {kind}"
        )
    return int(raw)


def _upload_id(params: Mapping[str, str]) -> str:
    upload_id = params["upload_id"]
    if not valid_upload_id(upload_id):
        raise INVALID_UPLOAD_ID
    return upload_id


async def handle(
    app: ObjectstoreApp, req: Request, auth: AuthContext, route: str, oid: ObjectId
) -> None:
    """Dispatch one multipart route (path already parsed, auth already verified)."""
    if route == "mp_initiate" or (route == "mp_object" and req.method == "PUT"):
        await _initiate(app, req, auth, oid)
    elif route == "mp_object":
        params = _query(req, ("upload_id",))
        auth.check(WRITE, oid.usecase, oid.scopes)
        app.uploads.abort(oid, _upload_id(params))
        await req.empty(204)
    elif route == "mp_parts" and req.method == "PUT":
        await _upload_part(app, req, auth, oid)
    elif route == "mp_parts":
        await _list_parts(app, req, auth, oid)
    else:
        await _complete(app, req, auth, oid)


async def _initiate(app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId) -> None:
    try:
        metadata = Metadata.from_headers(req.headers, app.storage.now_micros())
    except MetadataError as exc:
        raise metadata_error(str(exc)) from None
    auth.check(WRITE, oid.usecase, oid.scopes)
    if not oid.key:
        oid = ObjectId(oid.usecase, oid.scopes, str(uuid.uuid4()))
    upload_id = app.uploads.create(oid, metadata)
    await req.json(200, {"key": oid.key, "upload_id": upload_id})


async def _upload_part(app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId) -> None:
    params = _query(req, ("upload_id", "part_number"))
    part_number = _u32(params, "part_number", nonzero=True)
    assert part_number is not None
    raw_length = req.header(b"content-length")
    if raw_length is None or not raw_length.isdigit():
        raise client_error("Content-Length header is required")
    auth.check(WRITE, oid.usecase, oid.scopes)
    upload_id = _upload_id(params)
    try:
        writer = app.uploads.part_writer(oid, upload_id, part_number, int(raw_length))
    except UploadNotFound:
        raise NOT_FOUND from None
    await req.json(200, {"etag": await receive_into(req, writer)})


async def _list_parts(app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId) -> None:
    params = _query(req, ("upload_id",), ("max_parts", "part_number_marker"))
    max_parts = _u32(params, "max_parts")
    marker = _u32(params, "part_number_marker")
    auth.check(WRITE, oid.usecase, oid.scopes)
    try:
        parts = app.uploads.parts(oid, _upload_id(params))
    except UploadNotFound:
        raise NOT_FOUND from None
    if marker is not None:
        parts = [p for p in parts if p.part_number > marker]
    truncated = max_parts is not None and len(parts) > max_parts
    if max_parts is not None:
        parts = parts[:max_parts]
    doc: dict[str, Any] = {
        "parts": [
            {
                "part_number": p.part_number,
                "etag": p.etag,
                "last_modified": format_rfc3339(p.uploaded_at),
                "size": p.size,
            }
            for p in parts
        ],
        "is_truncated": truncated,
    }
    if truncated:
        doc["next_part_number_marker"] = parts[-1].part_number if parts else (marker or 0)
    await req.json(200, doc)


async def _complete_body(req: Request) -> list[tuple[int, str]]:
    ctype = (req.header(b"content-type") or b"").split(b";")[0].strip().lower()
    if not (
        ctype == b"application/json"
        or (ctype.startswith(b"application/") and ctype.endswith(b"+json"))
    ):
        raise TextError(415, "Expected request with `Content-Type: application/json`")
    body = await req.read(JSON_LIMIT)
    if body is None:
        raise TextError(413, "Failed to buffer the request body: length limit exceeded")
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise TextError(400, f"Failed to parse the request body as JSON: {exc}") from None
    listed: list[tuple[int, str]] = []
    problem = "Failed to deserialize the JSON body into the target type"
    parts = doc.get("parts") if isinstance(doc, dict) else None
    if not isinstance(parts, list):
        raise TextError(422, f"{problem}: missing field `parts`")
    for part in parts:
        number = part.get("part_number") if isinstance(part, dict) else None
        etag = part.get("etag") if isinstance(part, dict) else None
        if (
            not isinstance(number, int)
            or isinstance(number, bool)
            or not 0 < number <= _U32_MAX
            or not isinstance(etag, str)
        ):
            raise TextError(422, f"{problem}: parts: invalid part")
        listed.append((number, etag))
    return listed


def _complete_result(
    app: ObjectstoreApp, auth: AuthContext, oid: ObjectId, params: dict[str, str], listed: Any
) -> dict[str, Any]:
    """Run the completion; every failure becomes an error document (the status is 200)."""
    try:
        auth.check(WRITE, oid.usecase, oid.scopes)
        upload_id = _upload_id(params)
        try:
            app.uploads.complete(oid, upload_id, listed)
        except UploadNotFound:
            raise NOT_FOUND from None
        return {"key": oid.key}
    except InvalidPart as exc:
        return {"error": {"code": "InvalidPart", "message": str(exc)}}
    except ApiError as exc:
        return {"error": {"code": "internal error", "message": exc.detail}}
    except Exception as exc:  # I/O errors: the real server reports them the same way
        return {"error": {"code": "internal error", "message": f"service error: {exc}"}}


async def _complete(app: ObjectstoreApp, req: Request, auth: AuthContext, oid: ObjectId) -> None:
    params = _query(req, ("upload_id",))
    listed = await _complete_body(req)
    # Like the real server: stream whitespace while working (one space per second), then
    # exactly one JSON document. A little padding is always sent so clients must strip it.
    await req.start(200, [(b"content-type", b"application/json")])
    await req.body(b" " * app.complete_padding, more=True)
    work = asyncio.ensure_future(
        asyncio.to_thread(_complete_result, app, auth, oid, params, listed)
    )
    while True:
        done, _ = await asyncio.wait({work}, timeout=1.0)
        if done:
            break
        await req.body(b" ", more=True)
    await req.body(json.dumps(work.result(), separators=(",", ":")).encode())
