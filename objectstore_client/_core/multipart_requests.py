"""The multipart endpoints (reference §12), sans-I/O: validation, request plans built with
the generated layer, and flows (initiate, part, list with pagination, abort, complete with
its 200-with-error body). The decisions of automatic uploads are in ``multipart.py``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from objectstore_generated.api.multipart import (
    abort_multipart_upload,
    complete_multipart_upload,
    initiate_multipart_upload,
    initiate_multipart_upload_at_key,
    list_parts,
    upload_part,
)
from objectstore_generated.models import CompleteMultipartUpload
from objectstore_generated.models import CompletePart as WireCompletePart
from objectstore_generated.types import UNSET, Unset

from .._exceptions import (
    InvalidInput,
    MultipartCompleteError,
    ObjectstoreError,
    RequestError,
    TransportError,
)
from .._models import CompletePart, PartInfo
from .flows import Flow, OpContext, ReadBody, measured, send
from .plan import RequestPlan, SessionInfo, make_plan
from .retry import IDEMPOTENT, RequestKind
from .sources import BodySpec
from .validate import check_key
from .writes import Write

__all__ = [
    "abort_flow",
    "check_part",
    "check_upload_id",
    "complete_flow",
    "initiate_flow",
    "list_parts_flow",
    "plan_abort",
    "plan_complete",
    "plan_initiate",
    "plan_list",
    "plan_part",
    "put_part_flow",
]

# initiating twice would leave an orphan upload: never replayed once it may have been sent
_ONCE = RequestKind(idempotent=False, replayable=True)
# a part PUT with an in-memory body, list, abort and complete are IDEMPOTENT


def check_upload_id(upload_id: object) -> str:
    """Non-empty, and only normal path components (the server's rule)."""
    if not isinstance(upload_id, str) or not upload_id:
        raise InvalidInput(f"upload_id must be a non-empty str, got {upload_id!r}")
    parts = upload_id.split("/")
    if upload_id.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise InvalidInput(f"invalid upload_id {upload_id!r}: only normal path components")
    return upload_id


# -- plans ---------------------------------------------------------------------------------


def plan_initiate(session: SessionInfo, write: Write) -> RequestPlan:
    """Plan the initiate request; it carries the object's write headers, as a put would.

    Parts must then be zstd frames when ``write.compress``.
    """
    usecase, scopes = session.usecase.name, session.scope_path
    if write.key:
        kwargs = initiate_multipart_upload_at_key.build_request_kwargs(
            usecase, scopes, write.key, **write.builder_args
        )
    else:
        kwargs = initiate_multipart_upload.build_request_kwargs(
            usecase, scopes, **write.builder_args
        )
    return make_plan("PUT" if write.key else "POST", kwargs, _ONCE)


def check_part(part_number: object, content_length: object) -> None:
    """``part_number >= 1`` and a non-negative ``content_length`` (before reading anything)."""
    if not isinstance(part_number, int) or isinstance(part_number, bool) or part_number < 1:
        raise InvalidInput(f"part_number must be an int >= 1, got {part_number!r}")
    if not isinstance(content_length, int) or isinstance(content_length, bool):
        raise InvalidInput(f"content_length must be an int, got {content_length!r}")
    if content_length < 0:
        raise InvalidInput(f"content_length must not be negative, got {content_length}")


def plan_part(
    session: SessionInfo,
    key: str,
    upload_id: str,
    part_number: int,
    body: bytes | memoryview,
    content_md5: bytes | None = None,
) -> RequestPlan:
    """Plan one part upload with an in-memory body (so it can be retried)."""
    check_part(part_number, len(body))
    md5: str | Unset = UNSET
    if content_md5 is not None:
        if not isinstance(content_md5, bytes) or len(content_md5) != 16:
            raise InvalidInput(
                "content_md5 must be exactly 16 bytes: the raw bytes of an MD5 digest"
            )
        md5 = base64.b64encode(content_md5).decode("ascii")
    kwargs = upload_part.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key),
        upload_id=check_upload_id(upload_id), part_number=part_number,
        content_length=len(body), content_md5=md5,
    )  # fmt: skip
    spec = BodySpec(memoryview(body).cast("B"), "bytes", compress=False)
    return make_plan("PUT", kwargs, IDEMPOTENT, spec)


def plan_list(session: SessionInfo, key: str, upload_id: str, marker: int | None) -> RequestPlan:
    """Plan one page of the parts listing."""
    kwargs = list_parts.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key),
        upload_id=check_upload_id(upload_id),
        part_number_marker=UNSET if marker is None else marker,
    )  # fmt: skip
    return make_plan("GET", kwargs, IDEMPOTENT)


def plan_abort(session: SessionInfo, key: str, upload_id: str) -> RequestPlan:
    """Plan the abort of an upload."""
    kwargs = abort_multipart_upload.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key),
        upload_id=check_upload_id(upload_id),
    )  # fmt: skip
    return make_plan("DELETE", kwargs, IDEMPOTENT)


def plan_complete(
    session: SessionInfo, key: str, upload_id: str, parts: Sequence[CompletePart | PartInfo]
) -> RequestPlan:
    """Plan the completion; parts are sent sorted by part number."""
    if isinstance(parts, (str, bytes)) or not isinstance(parts, Sequence):
        raise InvalidInput("parts must be a sequence of CompletePart or PartInfo")
    for part in parts:
        if not isinstance(part, (CompletePart, PartInfo)):
            raise InvalidInput(f"parts must be CompletePart or PartInfo, got {part!r}")
    ordered = sorted(parts, key=lambda p: p.part_number)
    numbers = [p.part_number for p in ordered]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput(f"duplicate part numbers in {numbers}")
    body = CompleteMultipartUpload(
        parts=[WireCompletePart(part_number=p.part_number, etag=p.etag) for p in ordered]
    )
    kwargs = complete_multipart_upload.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key), body=body,
        upload_id=check_upload_id(upload_id),
    )  # fmt: skip
    # replaying a completion is safe: a second one finds the upload gone (see _complete)
    return make_plan("POST", kwargs, IDEMPOTENT)


# -- flows -----------------------------------------------------------------------------------


def _json(ctx: OpContext, plan: RequestPlan, status: int, body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        raise ctx.response_error(plan, status, body)
    return doc


def _json_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[dict[str, Any]]:
    response = yield from send(ctx, session, plan, frozenset({200, 201}))
    assert response is not None
    body = yield ReadBody(response)
    return _json(ctx, plan, response.status_code, body)


def _initiate(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[tuple[str, str]]:
    doc = yield from _json_flow(ctx, session, plan)
    try:
        return str(doc["key"]), check_upload_id(doc["upload_id"])
    except (KeyError, InvalidInput):
        body = json.dumps(doc).encode()
        raise ctx.response_error(plan, 200, body) from None


def initiate_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[tuple[str, str]]:
    """Start an upload; returns ``(key, upload_id)``."""
    inner = _initiate(ctx, session, plan)
    return measured(ctx, "multipart.initiate", session, inner, dict)


def _put_part(
    ctx: OpContext, session: SessionInfo, plan: RequestPlan, part_number: int, progress: int
) -> Flow[CompletePart]:
    response = yield from send(ctx, session, plan, frozenset({200}), progress=progress)
    assert response is not None
    body = yield ReadBody(response)
    doc = _json(ctx, plan, response.status_code, body)
    if not isinstance(doc.get("etag"), str):
        raise ctx.response_error(plan, response.status_code, body)
    return CompletePart(part_number, doc["etag"])


def put_part_flow(
    ctx: OpContext, session: SessionInfo, plan: RequestPlan, part_number: int, progress: int = 0
) -> Flow[CompletePart]:
    """Upload one part (retried like any idempotent request); returns its CompletePart.

    ``progress`` source bytes are reported when the part was sent, and taken back on a retry.
    """
    inner = _put_part(ctx, session, plan, part_number, progress)
    size = len(plan.body.source) if plan.body is not None else 0

    def sizes() -> dict[str, Any]:
        return {"size": size}  # upstream: the part's length, without a compression tag

    return measured(ctx, "multipart.put_part", session, inner, sizes)


def list_parts_flow(
    ctx: OpContext, session: SessionInfo, key: str, upload_id: str
) -> Flow[list[PartInfo]]:
    """Every uploaded part, following ``next_part_number_marker`` across pages."""
    parts: list[PartInfo] = []
    marker: int | None = None
    while True:
        plan = plan_list(session, key, upload_id, marker)
        doc = yield from _json_flow(ctx, session, plan)
        try:
            parts.extend(PartInfo.from_json(item) for item in doc["parts"])
            truncated = bool(doc.get("is_truncated"))
            next_marker = doc.get("next_part_number_marker")
        except (KeyError, TypeError, ValueError):
            raise ctx.response_error(plan, 200, json.dumps(doc).encode()) from None
        if not truncated:
            return parts
        if not isinstance(next_marker, int) or (marker is not None and next_marker <= marker):
            raise ctx.response_error(plan, 200, b"truncated parts page without a usable marker")
        marker = next_marker


def abort_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[None]:
    """Abort an upload (its parts are discarded)."""
    response = yield from send(ctx, session, plan, frozenset({200, 204}))
    if response is not None:
        yield ReadBody(response)


def _complete(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[str]:
    # always 200; the outcome is the JSON after the padding spaces
    try:
        doc = yield from _json_flow(ctx, session, plan)
    except (TransportError, RequestError):
        # the answer may be lost after the server assembled the object (then a replay finds
        # the upload gone): the object exists and the upload does not, so it completed
        if (yield from _completed_anyway(ctx, session, plan)):
            return _key_of(plan)
        raise
    error = doc.get("error")
    if isinstance(error, dict):
        # "upload not found" after a replay: the first attempt may have completed it
        gone = "not found" in str(error.get("message", "")).lower()
        if gone and (yield from _completed_anyway(ctx, session, plan)):
            return _key_of(plan)
        raise MultipartCompleteError(
            str(error.get("code", "")), str(error.get("message", "")),
            method=plan.method, path=ctx.sent_path(plan.path),
        )  # fmt: skip
    if not isinstance(doc.get("key"), str):
        raise ctx.response_error(plan, 200, json.dumps(doc).encode())
    return str(doc["key"])


_COMPLETE_ROUTE = "/v1/objects:multipart:complete/"


def _sibling(plan: RequestPlan, method: str, route: str, with_id: bool) -> RequestPlan:
    """A request on the usecase, scope and key of a completion, on another route."""
    path = route + plan.path[len(_COMPLETE_ROUTE) :]
    kwargs: dict[str, Any] = {"method": method.lower(), "url": path}
    if with_id:
        kwargs["params"] = dict(plan.kwargs.get("params") or {})
    return RequestPlan(method, path, kwargs, IDEMPOTENT)


def _key_of(plan: RequestPlan) -> str:
    """The object key of a completion: the path after usecase and scopes, decoded."""
    return unquote(plan.path[len(_COMPLETE_ROUTE) :].split("/", 2)[2])


def _completed_anyway(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[bool]:
    """Whether an upload whose completion failed was assembled after all: the upload is gone
    (listing its parts answers 404, or 500 "multipart upload not found" like the filesystem
    backend) and the object exists. Anything unclear answers False."""
    if not plan.path.startswith(_COMPLETE_ROUTE):
        return False
    listing = _sibling(plan, "GET", "/v1/objects:multipart:parts/", with_id=True)
    try:
        response = yield from send(ctx, session, listing, frozenset({200}))
    except RequestError as exc:
        if "not found" not in exc.response.lower():
            return False
    except ObjectstoreError:
        return False
    else:
        if response is not None:  # the upload is still there: it was not completed
            yield ReadBody(response)
            return False
    head = _sibling(plan, "HEAD", "/v1/objects/", with_id=False)
    try:
        found = yield from send(ctx, session, head, frozenset({200, 204}))
    except ObjectstoreError:
        return False
    if found is None:
        return False
    yield ReadBody(found)
    return True


def complete_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[str]:
    """Complete an upload; returns the key, or raises MultipartCompleteError."""
    inner = _complete(ctx, session, plan)
    return measured(ctx, "multipart.complete", session, inner, dict)
