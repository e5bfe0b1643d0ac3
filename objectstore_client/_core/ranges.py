"""Range reads (``bytes=S-E``, ``bytes=S-``, ``bytes=-N``): validation, plan and flow.

Ranges address the **stored** bytes: on a compressed object they select a slice of the zstd
stream, returned as is (``metadata.compression`` says so); the SDK never decodes a range.
"""

from __future__ import annotations

import re

import attrs
from objectstore_generated.api.objects import get_object

from .._exceptions import InvalidInput, RangeNotSatisfiable
from .._models import Metadata, RangeResult
from .flows import Flow, OpContext, ReadBody, measured, send
from .plan import RequestPlan, SessionInfo, make_plan
from .retry import IDEMPOTENT
from .validate import check_key

__all__ = ["ByteRange", "byte_range", "content_range", "plan_range", "range_flow"]

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
_UNSATISFIED = re.compile(r"bytes \*/(\d+)")


def content_range(value: str) -> tuple[int, int, int] | None:
    """``(start, end, size)`` of a ``Content-Range: bytes start-end/size`` (end inclusive);
    None for anything else."""
    match = _CONTENT_RANGE.fullmatch(value)
    if match is None:
        return None
    start, end, size = (int(group) for group in match.groups())
    return start, end, size


def _offset(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInput(f"{name} must be a non-negative int, got {value!r}")
    return value


@attrs.frozen
class ByteRange:
    """A validated single byte range; ``end`` is inclusive, like HTTP."""

    start: int | None
    end: int | None
    suffix: int | None

    @property
    def header(self) -> str:
        """The ``Range`` header value."""
        if self.suffix is not None:
            return f"bytes=-{self.suffix}"
        return f"bytes={self.start}-{'' if self.end is None else self.end}"

    def resolve(self, size: int) -> tuple[int, int] | None:
        """``(start, end)`` within an object of ``size`` bytes (None: not satisfiable)."""
        if size == 0:
            return None
        if self.suffix is not None:
            return max(size - self.suffix, 0), size - 1
        assert self.start is not None
        if self.start >= size:
            return None
        return self.start, size - 1 if self.end is None else min(self.end, size - 1)


def byte_range(start: int | None, end: int | None, suffix: int | None) -> ByteRange:
    """Validate ``start``/``end`` (inclusive) or ``suffix`` (the last N bytes)."""
    if suffix is not None:
        if start is not None or end is not None:
            raise InvalidInput("pass either start (and end) or suffix, not both")
        if _offset("suffix", suffix) == 0:
            raise InvalidInput("suffix must be at least 1")
        return ByteRange(None, None, suffix)
    if start is None:
        raise InvalidInput("a range needs start (with an optional end) or suffix")
    _offset("start", start)
    if end is not None and _offset("end", end) < start:
        raise InvalidInput(f"end ({end}) must not be before start ({start})")
    return ByteRange(start, end, None)


def plan_range(session: SessionInfo, key: str, wanted: ByteRange) -> RequestPlan:
    """Plan a GET with a ``Range`` header."""
    kwargs = get_object.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key), range_=wanted.header
    )
    return make_plan("GET", kwargs, IDEMPOTENT)


def _read(
    ctx: OpContext, session: SessionInfo, plan: RequestPlan, wanted: ByteRange
) -> Flow[RangeResult | None]:
    response = yield from send(ctx, session, plan, frozenset({200, 206, 416}))
    if response is None:
        return None
    body: bytes = yield ReadBody(response, raw=True)
    status = response.status_code
    header = response.headers.get("content-range", "")
    shown = ctx.sent_path(plan.path)
    if status == 416:
        match = _UNSATISFIED.fullmatch(header)
        size = int(match.group(1)) if match else None
        message = f"range {wanted.header} not satisfiable: GET {shown} (size {size})"
        raise RangeNotSatisfiable(message, size, method=plan.method, path=shown)
    metadata = Metadata.from_headers(response.headers)
    if status == 200:  # the server ignored the range (older servers): slice here
        resolved = wanted.resolve(len(body))
        if resolved is None:
            message = f"range {wanted.header} not satisfiable: GET {shown}"
            raise RangeNotSatisfiable(message, len(body), method=plan.method, path=shown)
        start, end = resolved
        return RangeResult(metadata, body[start : end + 1], start=start, end=end, size=len(body))
    found = content_range(header)
    if found is None or found[1] - found[0] + 1 != len(body):
        raise ctx.response_error(plan, status, b"bad Content-Range")
    start, end, size = found
    return RangeResult(metadata, body, start=start, end=end, size=size)


def range_flow(
    ctx: OpContext, session: SessionInfo, plan: RequestPlan, wanted: ByteRange
) -> Flow[RangeResult | None]:
    """Read a range into memory; None when the object is missing."""
    return measured(ctx, "get", session, _read(ctx, session, plan, wanted), dict)
