"""Each operation written once, as a generator flow that yields effects to a driver.

Effects: :class:`Send` (answer: a :class:`Response` whose body is unread, or a
TransportError thrown in), :class:`ReadBody` (answer: the body bytes), :class:`Close`,
:class:`Sleep`, :class:`Emit` (metric records for the MetricsBackend) and :class:`Progress`
(signed byte deltas for an upload's progress callback). ``_sync._drive``
and ``_async._drive`` are the only two drivers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Mapping
from typing import Any, Protocol, TypeVar

import attrs

from .._exceptions import ObjectstoreError, RequestError, TransportError
from .._models import Metadata
from .guidance import ServerCheck, auth_hint, wrong_base_url
from .metrics import MetricRecord, operation_metrics
from .plan import RequestPlan, SessionInfo, plan_health, with_range
from .retry import GiveUp, RetryNotice, RetryPolicy, decide
from .urls import BaseUrl

__all__ = [
    "Close",
    "Emit",
    "Flow",
    "OpContext",
    "Progress",
    "ReadBody",
    "Response",
    "Send",
    "Sleep",
    "delete_flow",
    "get_flow",
    "head_flow",
    "measured",
    "put_flow",
]

T = TypeVar("T")


class Response(Protocol):
    """What flows read of a response: the driver's own type (``httpx.Response`` today),
    passed back to it unread in ReadBody and Close."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


@attrs.frozen(eq=False)
class Send:
    """Send the plan's request (a fresh body each time); answer the unread response."""

    plan: RequestPlan
    session: SessionInfo


@attrs.frozen(eq=False)
class ReadBody:
    """Read the whole (small) body of a response and close it; answer the bytes.

    ``raw`` keeps a ``Content-Encoding`` undecoded (stored bytes of a range read). ``stop``
    (raw reads only) sees each piece as it arrives; once it returns True the driver reads no
    further and closes the response, dropping the connection (a body that never ends).
    """

    response: Response
    raw: bool = False
    stop: Callable[[bytes], bool] | None = None


@attrs.frozen(eq=False)
class Close:
    """Close a response without reading the rest of its body."""

    response: Response


@attrs.frozen
class Sleep:
    """Wait before the next attempt."""

    seconds: float


@attrs.frozen
class Emit:
    """Hand metric records to the MetricsBackend."""

    records: tuple[MetricRecord, ...]


@attrs.frozen
class Progress:
    """Bytes of the source were sent (positive) or must be sent again (negative)."""

    delta: int


Effect = Send | ReadBody | Close | Sleep | Emit | Progress
Flow = Generator[Effect, Any, T]


@attrs.frozen(eq=False)
class OpContext:
    """Per-client knobs a flow needs: retry policy, clock and jitter source; the base URL (its
    prefix for messages) and whether it was confirmed to lead to an Objectstore server."""

    retry: RetryPolicy
    clock: Callable[[], float]
    random: Callable[[], float]
    base: BaseUrl
    server: ServerCheck = attrs.field(factory=ServerCheck)
    #: False when metrics go nowhere (the default backend): no records are built.
    metrics: bool = True

    def sent_path(self, path: str) -> str:
        """A request's path as sent, for messages: with the base URL's path prefix."""
        return self.base.path(path)

    def response_error(
        self, plan: RequestPlan, status: int, body: bytes, *, hint: str | None = None
    ) -> RequestError:
        """The error for an answer to ``plan`` that cannot be used (a refusing status, or a
        success whose body is not what the protocol promises), naming the path as sent."""
        return RequestError.from_response(
            plan.method, self.sent_path(plan.path), status, body, hint=hint
        )


def send(
    ctx: OpContext,
    session: SessionInfo,
    plan: RequestPlan,
    ok: frozenset[int],
    *,
    progress: int = 0,
    attempts: int = 0,
    started: float | None = None,
) -> Flow[Response | None]:
    """Send with retries: the one retry loop of every request. Returns the response for an
    ``ok`` status, None for a drained 404 (when 404 is not ``ok``), and raises RequestError
    for other statuses.

    With ``progress``, that many source bytes are reported once a response arrives (the body
    was sent) and taken back (a negative delta) when the attempt failed. A request that
    continues an earlier one (a resumed download) passes the ``attempts`` already made and
    when the first one ``started``: the retry budget is shared.
    """
    attempt = attempts
    if started is None:
        started = ctx.clock()  # retries stop at the policy's deadline, counted from here
    while True:
        attempt += 1
        try:
            response: Response = yield Send(plan, session)
            if progress:
                yield Progress(progress)
        except TransportError as exc:
            decision = decide(
                ctx.retry,
                plan.kind,
                attempt,
                maybe_sent=exc.maybe_sent,
                random=ctx.random,
                elapsed=ctx.clock() - started,
            )
            if isinstance(decision, GiveUp):
                raise
            _notify(ctx, plan, attempt, decision.delay, type(exc).__name__, exc)
            yield Sleep(decision.delay)
            continue
        status = response.status_code
        if status in ok:
            return response
        if progress:
            yield Progress(-progress)
        if status == 404 and plan.method in ("GET", "HEAD"):
            yield ReadBody(response)
            yield from confirm_server(ctx, session, plan)
            return None
        decision = decide(
            ctx.retry,
            plan.kind,
            attempt,
            status=status,
            retry_after=response.headers.get("retry-after"),
            random=ctx.random,
            elapsed=ctx.clock() - started,
        )
        if isinstance(decision, GiveUp):
            body = yield ReadBody(response)
            if status == 404:
                yield from confirm_server(ctx, session, plan)
            hint = auth_hint(status, body, has_token=bool(session.token))
            raise ctx.response_error(plan, status, body, hint=hint)
        yield Close(response)
        _notify(ctx, plan, attempt, decision.delay, f"status {status}")
        yield Sleep(decision.delay)


def _notify(
    ctx: OpContext,
    plan: RequestPlan,
    retry: int,
    delay: float,
    reason: str,
    error: Exception | None = None,
) -> None:
    """Tell the policy's ``on_retry`` (if any) that retry number ``retry`` is coming."""
    if ctx.retry.on_retry is not None:
        path = ctx.sent_path(plan.path)
        max_retries = ctx.retry.max_retries
        notice = RetryNotice(plan.method, path, retry, max_retries, delay, reason, error)
        ctx.retry.on_retry(notice)


def confirm_server(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[None]:
    """After a 404, once per client: does the base URL lead to an Objectstore server?

    A missing object and a path the server does not serve both answer 404 with an empty body;
    the server's ``/health`` below the base URL tells a wrong base URL apart. Raises
    RequestError when it is 404 too. A probe that fails otherwise decides nothing.
    """
    if ctx.server.confirmed:
        return
    probe = plan_health()
    try:
        response: Response = yield Send(probe, session)
    except TransportError:
        return
    yield ReadBody(response)
    if response.status_code == 200:
        ctx.server.confirmed = True
    elif response.status_code == 404:
        raise wrong_base_url(plan.method, ctx.base.text + plan.path, ctx.base.text, 404)


def measured(
    ctx: OpContext,
    op: str,
    session: SessionInfo,
    inner: Flow[T],
    sizes: Callable[[], dict[str, Any]],
) -> Flow[T]:
    """``inner``, emitting the operation's metrics, on failure too. When metrics go nowhere
    this is ``inner`` itself: no generator in between to pass every effect through."""
    if not ctx.metrics:
        return inner
    return _measured(ctx, op, session, inner, sizes)


def _measured(
    ctx: OpContext,
    op: str,
    session: SessionInfo,
    inner: Flow[T],
    sizes: Callable[[], dict[str, Any]],
) -> Flow[T]:
    start = ctx.clock()
    try:
        result = yield from inner
    except (ObjectstoreError, OSError):
        yield Emit(tuple(operation_metrics(op, session.usecase.name, ctx.clock() - start)))
        raise
    records = operation_metrics(op, session.usecase.name, ctx.clock() - start, **sizes())
    yield Emit(tuple(records))
    return result


def _put(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[str]:
    response = yield from send(ctx, session, plan, frozenset({200, 201}))
    assert response is not None
    body = yield ReadBody(response)
    try:
        key = json.loads(body)["key"]
    except (ValueError, KeyError, TypeError):
        raise ctx.response_error(plan, response.status_code, body) from None
    return str(key)


def put_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[str]:
    """Upload; returns the key the server stored the object under."""
    counter = plan.body.counter if plan.body is not None else None

    def sizes() -> dict[str, Any]:
        if counter is None:
            return {}
        if plan.body is not None and plan.body.precompressed:  # only the size as sent
            return {"compressed": counter.sent, "compression": "zstd"}
        compression = "zstd" if plan.body is not None and plan.body.compress else "none"
        return {
            "uncompressed": counter.read,
            "compressed": counter.sent,
            "compression": compression,
        }

    return measured(ctx, "put", session, _put(ctx, session, plan), sizes)


def _get(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[Response | None]:
    response = yield from send(ctx, session, plan, frozenset({200, 206, 416}))
    if response is not None and response.status_code == 416:
        # plan_get asks for bytes=0- (the size comes back in Content-Range), which an empty
        # object cannot satisfy: ask again for the whole (empty) object
        yield ReadBody(response)
        response = yield from send(ctx, session, with_range(plan, None), frozenset({200, 206}))
    return response


def get_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[Response | None]:
    """Start a GET of stored bytes: the open response (body unread), or None when the object
    is missing; ``get.get_stream_flow`` completes ``get`` from it.

    Latency is time to headers, like upstream.
    """
    return measured(ctx, "get", session, _get(ctx, session, plan), dict)


def _head(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[Metadata | None]:
    response = yield from send(ctx, session, plan, frozenset({200, 204}))
    if response is None:
        return None
    # no body to decode: raw skips setting up a decoder for the object's Content-Encoding
    yield ReadBody(response, raw=True)
    return Metadata.from_headers(response.headers)


def head_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[Metadata | None]:
    """Metadata of an object, or None when it is missing."""
    return measured(ctx, "head", session, _head(ctx, session, plan), dict)


def _delete(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[None]:
    response = yield from send(ctx, session, plan, frozenset({200, 204}))
    if response is not None:
        yield ReadBody(response)


def delete_flow(ctx: OpContext, session: SessionInfo, plan: RequestPlan) -> Flow[None]:
    """Delete an object."""
    return measured(ctx, "delete", session, _delete(ctx, session, plan), dict)
