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
class RetryPolicy:
    """How often and how long to retry one request.

    :param max_retries: retries after the first attempt at most (0 disables retries).
    :param deadline: seconds after the first attempt by which the last retry must have
        started; a retry whose wait would end later is not made (the error is raised).
        Multipart aborts and resumed downloads use the same budget.
    :param initial_delay: backoff before the first retry; doubles per retry (50-100 % jitter)
        up to ``max_delay``.
    :param max_retry_after: a ``Retry-After`` longer than this is waited for only this long.
    :param statuses: response statuses that idempotent requests retry.
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
