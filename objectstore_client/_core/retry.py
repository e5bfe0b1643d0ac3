"""Retry decisions as a pure function: exponential backoff with jitter, capped Retry-After,
all within one overall deadline.

Rules: connection failures that certainly never reached the server are retried for every
request. Idempotent requests (GET, HEAD, DELETE, PUT with a key) with a replayable body are
also retried on 429/502/503/504 and on connection resets or timeouts after sending. A POST
without a key is never replayed once it may have been sent.

Budget: retries of one request stop at ``max_retries`` or when the next attempt would start
later than ``deadline`` seconds after the first one, whichever comes first. The defaults ride
over about ten seconds of unavailability (a server restart, a burst of 503s). A
``Retry-After`` is honoured up to ``max_retry_after`` seconds and capped there, so one header
cannot hold a call for minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY_DEADLINE_S,
    INITIAL_RETRY_DELAY_S,
    MAX_RETRY_AFTER_S,
    MAX_RETRY_DELAY_S,
    RETRYABLE_STATUSES,
)
from .._exceptions import InvalidInput

__all__ = [
    "IDEMPOTENT",
    "GiveUp",
    "RequestKind",
    "Retry",
    "RetryNotice",
    "RetryPolicy",
    "decide",
    "parse_retry_after",
    "within_deadline",
]


def _non_negative(_instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise InvalidInput(f"{attribute.name} must be a non-negative number, got {value!r}")


def _non_negative_int(_instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInput(f"{attribute.name} must be a non-negative int, got {value!r}")


@attrs.frozen
class RetryNotice:
    """A retry about to happen, as told to :attr:`RetryPolicy.on_retry`.

    :param method: the request's HTTP method.
    :param path: the request's path as sent (with the base URL's path prefix).
    :param retry: which retry this is, 1 for the first.
    :param max_retries: the policy's ``max_retries``.
    :param delay: seconds until the retry is sent.
    :param reason: what failed: ``"status 503"``, or the transport error's class name
        (``"ConnectError"``, ``"RequestTimeout"``, ``"TransportError"``).
    :param error: the transport error (its message names the host and the cause), or None
        for a retried status.
    """

    method: str
    path: str
    retry: int
    max_retries: int
    delay: float
    reason: str
    error: Exception | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class RetryPolicy:
    """How often and how long to retry one request.

    :param max_retries: retries after the first attempt at most (default 10; 0 disables
        retries).
    :param deadline: seconds after the first attempt by which the last retry must have
        started (default 10); a retry whose wait would end later is not made (the error is
        raised). Multipart aborts and resumed downloads use the same budget.
    :param initial_delay: backoff in seconds before the first retry (default 0.1); doubles
        per retry (50-100 % jitter) up to ``max_delay`` (default 2).
    :param max_delay: the longest backoff in seconds.
    :param max_retry_after: a ``Retry-After`` longer than this many seconds (default 5) is
        waited for only this long.
    :param statuses: response statuses that idempotent requests retry (default 429, 502, 503
        and 504).
    :param on_retry: called with a :class:`RetryNotice` before each retry's wait (on the
        thread or task that sends the request), for example to tell a user at a terminal
        why nothing happens yet. What it raises fails the request.
    """

    max_retries: int = attrs.field(default=DEFAULT_MAX_RETRIES, validator=_non_negative_int)
    deadline: float = attrs.field(
        default=DEFAULT_RETRY_DEADLINE_S, validator=_non_negative, kw_only=True
    )
    initial_delay: float = attrs.field(
        default=INITIAL_RETRY_DELAY_S, validator=_non_negative, kw_only=True
    )
    max_delay: float = attrs.field(default=MAX_RETRY_DELAY_S, validator=_non_negative, kw_only=True)
    max_retry_after: float = attrs.field(
        default=MAX_RETRY_AFTER_S, validator=_non_negative, kw_only=True
    )
    statuses: frozenset[int] = attrs.field(default=RETRYABLE_STATUSES, kw_only=True)
    on_retry: Callable[[RetryNotice], object] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False
    )


@attrs.frozen
class RequestKind:
    """What makes a request safe to send again."""

    idempotent: bool
    replayable: bool


#: A request that may be sent again as it is: GET, HEAD, DELETE, a part upload, ...
IDEMPOTENT = RequestKind(idempotent=True, replayable=True)


@attrs.frozen
class Retry:
    """Send again after ``delay`` seconds."""

    delay: float


@attrs.frozen
class GiveUp:
    """Do not retry."""


_GIVE_UP = GiveUp()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds form only)."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def backoff(policy: RetryPolicy, attempt: int, random: Callable[[], float]) -> float:
    """Delay before retry number ``attempt`` (1-based): capped exponential, 50-100 % jitter."""
    base = min(policy.initial_delay * (2 ** (attempt - 1)), policy.max_delay)
    return float(base * (0.5 + 0.5 * random()))


def decide(
    policy: RetryPolicy,
    kind: RequestKind,
    attempt: int,
    *,
    status: int | None = None,
    retry_after: str | None = None,
    maybe_sent: bool = True,
    random: Callable[[], float],
    elapsed: float = 0.0,
) -> Retry | GiveUp:
    """Decide about retry number ``attempt`` after a failed attempt.

    Pass ``status`` for an HTTP response, or ``maybe_sent`` for a transport failure, and
    ``elapsed``: seconds since the first attempt started.
    """
    if attempt > policy.max_retries:
        return _GIVE_UP
    if status is not None:
        if status not in policy.statuses or not (kind.idempotent and kind.replayable):
            return _GIVE_UP
        wait = parse_retry_after(retry_after)
        delay = (
            backoff(policy, attempt, random) if wait is None else min(wait, policy.max_retry_after)
        )
    elif maybe_sent and not (kind.idempotent and kind.replayable):
        return _GIVE_UP
    else:
        delay = backoff(policy, attempt, random)
    return within_deadline(policy, elapsed, delay)


def within_deadline(policy: RetryPolicy, elapsed: float, delay: float) -> Retry | GiveUp:
    """Retry after ``delay`` if that still starts within the policy's deadline."""
    if elapsed + delay > policy.deadline:
        return _GIVE_UP
    return Retry(delay)
