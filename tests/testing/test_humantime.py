"""humantime-compatible durations and timestamps."""

from __future__ import annotations

import pytest

from objectstore_client.testing._humantime import (
    DurationError,
    format_duration,
    format_rfc3339,
    format_rfc3339_micros,
    parse_duration,
    parse_rfc3339_lenient,
)

S = 1_000_000_000


@pytest.mark.parametrize(
    ("text", "nanos"),
    [
        ("0", 0),
        ("30s", 30 * S),
        ("1 days 3600 seconds", 90000 * S),
        ("2h 37min", (2 * 3600 + 37 * 60) * S),
        ("1h30m", 5400 * S),
        ("4.2s", 4_200_000_000),
        ("1M", 2_630_016 * S),
        ("1y", 31_557_600 * S),
        ("2w", 14 * 86400 * S),
        ("5ms 3us 7ns", 5_003_007),
        ("1.5m", 90 * S),
    ],
)
def test_parse(text: str, nanos: int) -> None:
    assert parse_duration(text) == nanos


@pytest.mark.parametrize("text", ["", " ", "5", "5 parsecs", "-5s", "s", "1.s", "5S", "1h,2m"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (30, "30s"),
        (3600, "1h"),
        (86400, "1day"),
        (7 * 86400, "7days"),
        (30 * 86400, "30days"),
        (90 * 86400, "2months 29days 2h 52m 48s"),
        (100 * 86400, "3months 8days 16h 19m 12s"),
        (365 * 86400, "11months 30days 3h 50m 24s"),
        (5400, "1h 30m"),
        (31_557_600, "1year"),
    ],
)
def test_format(seconds: int, text: str) -> None:
    assert format_duration(seconds * S) == text


def test_format_sub_second() -> None:
    assert format_duration(4_500_000_000) == "4s 500ms"
    assert format_duration(1_001_001) == "1ms 1us 1ns"


def test_timestamps() -> None:
    assert format_rfc3339_micros(1_784_816_151_123_456) == "2026-07-23T14:15:51.123456Z"
    assert format_rfc3339_micros(0) == "1970-01-01T00:00:00.000000Z"
    assert format_rfc3339(1_784_816_151 * S) == "2026-07-23T14:15:51Z"
    assert format_rfc3339(1_784_816_151 * S + 5) == "2026-07-23T14:15:51.000000005Z"


@pytest.mark.parametrize(
    "text",
    ["2026-07-23T12:00:00Z", "2026-07-23 12:00:00", "2026-07-23T12:00:00+00:00"],
)
def test_lenient_timestamps(text: str) -> None:
    assert parse_rfc3339_lenient(text) == 1_784_808_000.0


def test_lenient_fraction() -> None:
    assert parse_rfc3339_lenient("1985-04-12T23:20:50.52Z") == pytest.approx(482196050.52)
