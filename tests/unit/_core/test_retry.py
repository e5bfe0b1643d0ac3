import pytest

from objectstore_client._core.retry import (
    GiveUp,
    RequestKind,
    Retry,
    RetryPolicy,
    backoff,
    decide,
    parse_retry_after,
)

POLICY = RetryPolicy(3, initial_delay=0.1, max_delay=1.0, max_retry_after=10)
IDEMPOTENT = RequestKind(idempotent=True, replayable=True)
STREAMED_PUT = RequestKind(idempotent=True, replayable=False)
POST = RequestKind(idempotent=False, replayable=True)


def half() -> float:
    return 0.5


@pytest.mark.parametrize(
    ("kind", "status", "maybe_sent", "retried"),
    [
        (IDEMPOTENT, 503, True, True),
        (IDEMPOTENT, 429, True, True),
        (IDEMPOTENT, 502, True, True),
        (IDEMPOTENT, 504, True, True),
        (IDEMPOTENT, 500, True, False),
        (IDEMPOTENT, 400, True, False),
        (IDEMPOTENT, 404, True, False),
        (POST, 503, True, False),  # a POST is never replayed once sent
        (STREAMED_PUT, 503, True, False),  # the body cannot be replayed
        (IDEMPOTENT, None, True, True),  # connection reset after sending
        (POST, None, True, False),
        (STREAMED_PUT, None, True, False),
        (POST, None, False, True),  # connect failure: nothing was sent
        (STREAMED_PUT, None, False, True),
    ],
)
def test_decide_table(
    kind: RequestKind, status: int | None, maybe_sent: bool, retried: bool
) -> None:
    decision = decide(POLICY, kind, 1, status=status, maybe_sent=maybe_sent, random=half)
    assert isinstance(decision, Retry) is retried


def test_gives_up_after_max_retries() -> None:
    assert isinstance(decide(POLICY, IDEMPOTENT, 3, status=503, random=half), Retry)
    assert isinstance(decide(POLICY, IDEMPOTENT, 4, status=503, random=half), GiveUp)
    none = RetryPolicy(0)
    assert isinstance(decide(none, POST, 1, maybe_sent=False, random=half), GiveUp)


def test_backoff_is_exponential_capped_and_jittered() -> None:
    assert backoff(POLICY, 1, lambda: 1.0) == pytest.approx(0.1)
    assert backoff(POLICY, 2, lambda: 1.0) == pytest.approx(0.2)
    assert backoff(POLICY, 10, lambda: 1.0) == pytest.approx(1.0)
    assert backoff(POLICY, 1, lambda: 0.0) == pytest.approx(0.05)


def test_retry_after_is_honoured_and_capped() -> None:
    assert decide(POLICY, IDEMPOTENT, 1, status=429, retry_after="2", random=half) == Retry(2.0)
    # Retry-After: 3600 used to give up at once, while 60 held a call for 3 x 60 s: now capped
    capped = RetryPolicy(3, max_retry_after=5, deadline=30)
    assert decide(capped, IDEMPOTENT, 1, status=503, retry_after="3600", random=half) == Retry(5)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None
    assert parse_retry_after("-1") is None
    assert parse_retry_after(None) is None


def test_retries_stop_at_the_deadline() -> None:
    policy = RetryPolicy(100, initial_delay=0.5, max_delay=2.0, deadline=10.0)
    elapsed, attempt = 0.0, 0
    while True:
        attempt += 1
        decision = decide(policy, IDEMPOTENT, attempt, status=503, random=half, elapsed=elapsed)
        if isinstance(decision, GiveUp):
            break
        elapsed += decision.delay + 0.01  # the attempt itself takes a little
    # rides over several seconds of 503s, and never waits past the deadline
    assert 8.0 < elapsed <= 10.0
    assert attempt < 100
    # a Retry-After that ends past the deadline gives up now instead of sleeping uselessly
    late = decide(policy, IDEMPOTENT, 1, status=429, retry_after="3", random=half, elapsed=8.0)
    assert isinstance(late, GiveUp)


def test_default_budget_rides_over_a_restart() -> None:
    """A refused connection for ~1 s (a server restart) is retried with the defaults, where
    upstream's three quick retries (~0.3 s in all) gave up."""
    policy, elapsed, attempt = RetryPolicy(), 0.0, 0
    while elapsed < 3.0:
        attempt += 1
        decision = decide(
            policy, POST, attempt, maybe_sent=False, random=lambda: 1.0, elapsed=elapsed
        )
        assert isinstance(decision, Retry), (attempt, elapsed)
        elapsed += decision.delay
    assert policy.deadline >= 5.0


def test_policy_validates() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(-1)
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="deadline"):
        RetryPolicy(deadline=-1)
