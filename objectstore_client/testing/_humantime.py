"""Durations and timestamps in the formats of the Rust ``humantime`` crate.

The server parses ``x-sn-expiration`` durations with ``humantime::parse_duration`` and echoes
them with ``format_duration``; timestamps are written with ``format_rfc3339_micros`` (object
metadata) or ``format_rfc3339`` (multipart ``last_modified``). Durations are integer
nanoseconds here so that sub-second units round-trip exactly.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = [
    "DurationError",
    "format_duration",
    "format_rfc3339",
    "format_rfc3339_micros",
    "parse_duration",
    "parse_rfc3339_lenient",
]

NANOS_PER_SEC = 1_000_000_000
_SEC_PER_MONTH = 2_630_016
_SEC_PER_YEAR = 31_557_600

# unit -> nanoseconds per unit (case-sensitive, as in humantime)
_UNITS: dict[str, int] = {}
for _names, _nanos in (
    (("nanos", "nsec", "ns"), 1),
    (("usec", "us", "\u00b5s"), 1_000),
    (("millis", "msec", "ms"), 1_000_000),
    (("seconds", "second", "secs", "sec", "s"), NANOS_PER_SEC),
    (("minutes", "minute", "min", "mins", "m"), 60 * NANOS_PER_SEC),
    (("hours", "hour", "hr", "hrs", "h"), 3600 * NANOS_PER_SEC),
    (("days", "day", "d"), 86400 * NANOS_PER_SEC),
    (("weeks", "week", "wk", "wks", "w"), 7 * 86400 * NANOS_PER_SEC),
    (("months", "month", "M"), _SEC_PER_MONTH * NANOS_PER_SEC),
    (("years", "year", "yr", "yrs", "y"), _SEC_PER_YEAR * NANOS_PER_SEC),
):
    for _name in _names:
        _UNITS[_name] = _nanos

_ITEM = re.compile(r"\s*([0-9]+)(?:\.([0-9]+))?\s*([a-zA-Z\u00b5]+)\s*")
_MAX_NANOS = (2**64 - 1) * NANOS_PER_SEC + NANOS_PER_SEC - 1  # Rust Duration::MAX


class DurationError(ValueError):
    """The text is not a valid humantime duration."""


def parse_duration(text: str) -> int:
    """Parse a humantime duration (``"1h 30m"``, ``"4.2s"``, ``"0"``) into nanoseconds."""
    if text.strip() == "0":
        return 0
    if not text.strip():
        raise DurationError("value was empty")
    pos = 0
    total = 0
    while pos < len(text):
        match = _ITEM.match(text, pos)
        if match is None or match.end() == pos:
            raise DurationError(f"invalid duration at position {pos}")
        whole, frac, unit = match.group(1), match.group(2), match.group(3)
        per_unit = _UNITS.get(unit)
        if per_unit is None:
            raise DurationError(f"unknown time unit {unit!r}")
        total += int(whole) * per_unit
        if frac:
            total += int(frac) * per_unit // int("1" + "0" * len(frac))
        pos = match.end()
    if total > _MAX_NANOS:
        raise DurationError("number is too large")
    return total


def format_duration(nanos: int) -> str:
    """Format nanoseconds like ``humantime::format_duration`` (``90 min`` -> ``"1h 30m"``)."""
    if nanos == 0:
        return "0s"
    secs, sub = divmod(nanos, NANOS_PER_SEC)
    years, rem = divmod(secs, _SEC_PER_YEAR)
    months, rem = divmod(rem, _SEC_PER_MONTH)
    days, rem = divmod(rem, 86400)
    hours, rem = divmod(rem, 3600)
    minutes, seconds = divmod(rem, 60)
    millis, rem_ns = divmod(sub, 1_000_000)
    micros, ns = divmod(rem_ns, 1000)
    items: list[str] = []
    for value, singular, plural in (
        (years, "year", "years"),
        (months, "month", "months"),
        (days, "day", "days"),
        (hours, "h", "h"),
        (minutes, "m", "m"),
        (seconds, "s", "s"),
        (millis, "ms", "ms"),
        (micros, "us", "us"),
        (ns, "ns", "ns"),
    ):
        if value:
            items.append(f"{value}{singular if value == 1 else plural}")
    return " ".join(items)


def _utc(micros_or_nanos: int, per_sec: int) -> tuple[_dt.datetime, int]:
    secs, frac = divmod(micros_or_nanos, per_sec)
    return _dt.datetime.fromtimestamp(secs, tz=_dt.timezone.utc), frac


def format_rfc3339_micros(unix_micros: int) -> str:
    """``2026-07-23T14:55:51.123456Z``: always exactly six fractional digits."""
    when, frac = _utc(unix_micros, 1_000_000)
    return f"{when:%Y-%m-%dT%H:%M:%S}.{frac:06d}Z"


def format_rfc3339(unix_nanos: int) -> str:
    """``humantime::format_rfc3339``: no fraction for whole seconds, else nine digits."""
    when, frac = _utc(unix_nanos, NANOS_PER_SEC)
    if frac == 0:
        return f"{when:%Y-%m-%dT%H:%M:%S}Z"
    return f"{when:%Y-%m-%dT%H:%M:%S}.{frac:09d}Z"


_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|\+00:00)?$"
)


def parse_rfc3339_lenient(text: str) -> float:
    """Parse a UTC timestamp (``T`` or space, optional ``Z``/``+00:00``, any fraction)."""
    match = _RFC3339.match(text)
    if match is None:
        raise ValueError(f"invalid timestamp {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    when = _dt.datetime(year, month, day, hour, minute, second, tzinfo=_dt.timezone.utc)
    return when.timestamp() + float("0." + (match.group(7) or "0"))
