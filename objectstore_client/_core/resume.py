"""Downloads that notice truncation and survive a broken body, without I/O.

Every GET asks for ``Range: bytes=0-``. A server that supports ranges (0.1.12 and later)
answers 206 with ``Content-Range: bytes 0-(T-1)/T``: the stored size T, which the server
otherwise never sends. The download then knows when its body ends early, however cleanly the
connection ended, and can resume: when the body breaks (reset, cut, read timeout) it asks for
``bytes=<received>-``, within the retry deadline, and only while ``x-sn-time-created`` is
unchanged (another write in between would splice two versions). The stored bytes are resumed,
so a compressed object goes on decoding where it stopped.

A server that ignores ``Range`` answers 200 without a size: then nothing can be checked or
resumed beyond what the zstd frames themselves tell.
"""

from __future__ import annotations

import attrs

from .._constants import HEADER_TIME_CREATED
from .._exceptions import RequestError, TransportError
from .flows import Close, Flow, OpContext, Response, Sleep, send
from .plan import RequestPlan, SessionInfo, with_range
from .ranges import content_range
from .retry import GiveUp, decide

__all__ = ["Download", "resume_flow"]

#: every HTTP status: the resumed request returns whatever is not retried, to be checked here
_ANY_STATUS = frozenset(range(100, 600))


def _content_range(response: Response) -> tuple[int, int] | None:
    """``(start, total)`` of a 206 response, else None."""
    if response.status_code != 206:
        return None
    found = content_range(response.headers.get("content-range", ""))
    return None if found is None else (found[0], found[2])


@attrs.define
class Download:
    """What a running download knows: the GET, the object's version and size, progress.

    ``size`` is None when the server ignored the Range (no size, no resume). ``stop`` is the
    offset where reading ends when that is before ``size`` (one range of a ranged download):
    a resumed body is read up to it, not to the end of the object.
    """

    plan: RequestPlan
    created: str | None
    size: int | None
    started: float
    received: int = 0
    stop: int | None = None

    @classmethod
    def start(cls, plan: RequestPlan, response: Response, started: float) -> Download:
        """The state after the first response (200 or 206)."""
        found = _content_range(response)
        size = found[1] if found is not None and found[0] == 0 else None
        return cls(plan, response.headers.get(HEADER_TIME_CREATED), size, started)

    @property
    def resumable(self) -> bool:
        """Whether a broken body can be resumed with a Range request."""
        return self.size is not None

    def short_by(self) -> int:
        """Stored bytes still missing at the end of a body (0 when complete or unknown)."""
        end = self.size if self.stop is None else self.stop
        return 0 if end is None else max(end - self.received, 0)

    def truncated(self, method: str, path: str) -> TransportError:
        """The error for a body that ended (cleanly) before the stored size."""
        return TransportError(
            f"Objectstore request {method} {path} failed: the body ended after "
            f"{self.received} of {self.size} stored bytes",
            method=method,
            path=path,
        )


def resume_flow(
    ctx: OpContext, session: SessionInfo, download: Download, error: TransportError
) -> Flow[Response]:
    """Ask for the rest of the stored bytes after ``error`` broke the body; returns the 206
    response that continues exactly at ``download.received``. Raises ``error`` (or a later
    transport error) once the retry budget is spent, and an error naming the reason when the
    object changed or the server stopped honouring ranges."""
    plan = with_range(download.plan, f"bytes={download.received}-")
    final = _ANY_STATUS - ctx.retry.statuses
    # the broken body was the first attempt: wait as after any failed attempt, then send with
    # the same retry loop and budget as every request
    decision = decide(
        ctx.retry,
        plan.kind,
        1,
        maybe_sent=True,
        random=ctx.random,
        elapsed=ctx.clock() - download.started,
    )
    if isinstance(decision, GiveUp):
        raise error
    yield Sleep(decision.delay)
    try:
        response = yield from send(ctx, session, plan, final, attempts=1, started=download.started)
    except RequestError as exc:  # retryable statuses until the budget ran out
        raise error from exc
    assert response is not None  # every status but the retried ones is final, 404 too
    found = _content_range(response)
    created = response.headers.get(HEADER_TIME_CREATED)
    if found == (download.received, download.size) and created == download.created:
        return response
    yield Close(response)
    reason = (
        "the object was replaced during the download"
        if created != download.created
        else f"the server answered {response.status_code} to a resumed range request"
    )
    raise TransportError(
        f"{error} (could not resume at byte {download.received}: {reason})",
        method=plan.method,
        path=ctx.sent_path(plan.path),
    ) from error
