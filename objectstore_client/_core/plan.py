"""Request plans: what to send, built with the generated layer's request builders.

A plan is data: method, the ``build_request`` kwargs (without the body), a description of the
body source, and what makes the request safe to replay. The drivers hand it to the engine
with a fresh body for every attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
from objectstore_generated.api.health import health
from objectstore_generated.api.objects import (
    delete_object,
    get_object,
    head_object,
    insert_object,
    put_object,
)

from .._constants import AUTH_HEADER, GET_RANGE
from .._models import Scope, Usecase
from .retry import IDEMPOTENT, RequestKind
from .sources import BodySpec, classify_body
from .tokens import SecretKey, TokenCache
from .validate import check_key
from .writes import Write

__all__ = [
    "RequestPlan",
    "SessionInfo",
    "make_plan",
    "plan_delete",
    "plan_get",
    "plan_head",
    "plan_health",
    "plan_put",
    "with_range",
]


@attrs.frozen(eq=False)
class SessionInfo:
    """The usecase, scope and credentials shared by every request of a session."""

    usecase: Usecase
    scope: Scope
    token: SecretKey | str | None = attrs.field(repr=False)
    tokens: TokenCache = attrs.field(repr=False)
    trace_headers: Callable[[], Mapping[str, str]] | None = None

    @property
    def scope_path(self) -> str:
        """The scopes path segment (``_`` when empty)."""
        return str(self.scope)

    def request_headers(self) -> dict[str, str]:
        """Per-attempt headers: a valid token (reused while fresh) and trace propagation."""
        headers: dict[str, str] = {}
        if isinstance(self.token, SecretKey):
            token = self.tokens.token(self.token, self.usecase.name, self.scope)
            headers[AUTH_HEADER] = f"Bearer {token}"
        elif self.token:
            headers[AUTH_HEADER] = f"Bearer {self.token}"
        if self.trace_headers is not None:
            headers.update(self.trace_headers())
        return headers


@attrs.frozen(eq=False)
class RequestPlan:
    """One logical request; the driver sends it (again on retries)."""

    method: str
    path: str
    kwargs: dict[str, Any]
    kind: RequestKind
    body: BodySpec | None = None

    def build_kwargs(self, session: SessionInfo) -> dict[str, Any]:
        """Fresh ``build_request`` kwargs for one attempt (headers copied, token current)."""
        kwargs = dict(self.kwargs)
        headers = dict(kwargs.get("headers") or {})
        headers.update(session.request_headers())
        kwargs["headers"] = headers
        if not kwargs.get("params"):
            kwargs.pop("params", None)
        return kwargs


def make_plan(
    method: str, kwargs: dict[str, Any], kind: RequestKind, body: BodySpec | None = None
) -> RequestPlan:
    """A plan from a generated builder's kwargs (the request plans of every endpoint)."""
    return RequestPlan(method, str(kwargs["url"]), kwargs, kind, body)


def plan_put(
    session: SessionInfo, contents: object, write: Write, *, precompressed: bool = False
) -> RequestPlan:
    """Plan a put of ``contents``: PUT with a key, POST (server-generated key) without.

    The body is zstd-compressed as it is sent when ``write.compress``, unless
    ``precompressed``: the contents already are zstd and go verbatim, with the write's
    ``Content-Encoding``.
    """
    precompressed = precompressed and write.compress
    body = classify_body(contents, compress=write.compress and not precompressed)
    if precompressed:
        body = attrs.evolve(body, precompressed=True)  # metrics: only the size as sent
    usecase, scopes = session.usecase.name, session.scope_path
    if write.key:
        kwargs = put_object.build_request_kwargs(usecase, scopes, write.key, **write.builder_args)
    else:
        kwargs = insert_object.build_request_kwargs(usecase, scopes, **write.builder_args)
    kind = RequestKind(idempotent=bool(write.key), replayable=body.replayable)
    return make_plan("PUT" if write.key else "POST", kwargs, kind, body)


def plan_get(session: SessionInfo, key: str) -> RequestPlan:
    """Plan a streamed GET of the whole object, as the range ``bytes=0-``: a server with
    range support then sends the stored size (Content-Range) and a Content-Length, so a body
    that ends early is noticed and can be resumed (``_core.resume``)."""
    kwargs = get_object.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key), range_=GET_RANGE
    )
    return make_plan("GET", kwargs, IDEMPOTENT)


def with_range(plan: RequestPlan, value: str | None) -> RequestPlan:
    """The plan with ``Range: value``, or without a Range header for None."""
    headers = {k: v for k, v in (plan.kwargs.get("headers") or {}).items() if k.lower() != "range"}
    if value is not None:
        headers["Range"] = value
    return attrs.evolve(plan, kwargs={**plan.kwargs, "headers": headers})


def plan_head(session: SessionInfo, key: str) -> RequestPlan:
    """Plan a HEAD."""
    kwargs = head_object.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key)
    )
    return make_plan("HEAD", kwargs, IDEMPOTENT)


def plan_health() -> RequestPlan:
    """Plan a GET of the server's liveness endpoint (``/health``, answers ``OK``)."""
    return make_plan("GET", health.build_request_kwargs(), IDEMPOTENT)


def plan_delete(session: SessionInfo, key: str) -> RequestPlan:
    """Plan a DELETE."""
    kwargs = delete_object.build_request_kwargs(
        session.usecase.name, session.scope_path, check_key(key)
    )
    return make_plan("DELETE", kwargs, IDEMPOTENT)


def object_path(session: SessionInfo, key: str) -> str:
    """The encoded path of an object, relative to the base URL (``/v1/objects/...``)."""
    return str(plan_get(session, key).path)
