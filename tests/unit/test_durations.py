from datetime import timedelta

import pytest

from objectstore_client import InvalidInput
from objectstore_client._durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=30), "30s"),
        (timedelta(hours=1), "1h"),
        (timedelta(days=1, hours=1, minutes=1, seconds=1), "1d 1h 1m 1s"),
        (timedelta(days=400, seconds=90), "400d 1m 30s"),
        (timedelta(milliseconds=1), "1s"),  # sub-second rounds up, never to zero
        (timedelta(seconds=1, microseconds=1), "2s"),
    ],
)
def test_format(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text
    assert parse_duration(text) >= delta


def test_format_rejects_negative() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        format_duration(timedelta(seconds=-1))


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("0", timedelta(0)),
        ("30s", timedelta(seconds=30)),
        ("1day", timedelta(days=1)),
        ("7days", timedelta(days=7)),
        ("1h 30m", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("2h 37min", timedelta(hours=2, minutes=37)),
        ("1 days 3600 seconds", timedelta(days=1, hours=1)),
        ("4.2s", timedelta(seconds=4.2)),
        ("1month", timedelta(seconds=2_630_016)),
        ("1M", timedelta(seconds=2_630_016)),
        ("1m", timedelta(minutes=1)),
        ("1year", timedelta(seconds=31_557_600)),
        ("2y", timedelta(seconds=2 * 31_557_600)),
        ("2months 29days 2h 52m 48s", timedelta(days=90)),
        ("11months 30days 3h 50m 24s", timedelta(days=365)),
        ("1w", timedelta(weeks=1)),
        ("500ms 500000us 1000000000ns", timedelta(seconds=2)),
        ("3µs", timedelta(microseconds=3)),
    ],
)
def test_parse_humantime(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == delta


@pytest.mark.parametrize("text", ["", "   ", "5", "1 fortnight", "1h x", "s", "ttl:1h"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
