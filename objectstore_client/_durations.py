"""Durations on the wire: emitted in whole d/h/m/s units, parsed with the full humantime grammar.

Emitting: every server version (humantime 2.x) accepts ``"1d 2h 3m 4s"``; zero is ``"0s"``,
never an empty string. Sub-second parts are rounded *up* to the next whole second, so a
non-zero duration never becomes zero. Negative durations are refused.

Parsing: ``<int>[.<fraction>]<unit>`` items separated by optional whitespace, or the bare
``0``. Units are case-sensitive; ``M`` is months (30.44 days), ``m`` minutes.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from decimal import Decimal

from ._exceptions import InvalidInput

__all__ = ["format_duration", "parse_duration"]

_NS_PER_SECOND = 1_000_000_000
_UNIT_NS: dict[str, int] = {}
for _names, _ns in (
    (("nanos", "nsec", "ns"), 1),
    (("usec", "us", "µs"), 1_000),
    (("millis", "msec", "ms"), 1_000_000),
    (("seconds", "second", "secs", "sec", "s"), _NS_PER_SECOND),
    (("minutes", "minute", "min", "mins", "m"), 60 * _NS_PER_SECOND),
    (("hours", "hour", "hr", "hrs", "h"), 3_600 * _NS_PER_SECOND),
    (("days", "day", "d"), 86_400 * _NS_PER_SECOND),
    (("weeks", "week", "wk", "wks", "w"), 7 * 86_400 * _NS_PER_SECOND),
    (("months", "month", "M"), 2_630_016 * _NS_PER_SECOND),
    (("years", "year", "yr", "yrs", "y"), 31_557_600 * _NS_PER_SECOND),
):
    for _name in _names:
        _UNIT_NS[_name] = _ns

_ITEM = re.compile(r"\s*(\d+)(?:\.(\d+))?\s*([A-Za-zµ]+)")


def format_duration(delta: timedelta) -> str:
    """Render ``delta`` as whole ``d h m s`` units (``"0s"`` for zero; sub-seconds rounded up)."""
    if delta < timedelta(0):
        raise InvalidInput(f"duration must not be negative, got {delta}")
    total = math.ceil(delta / timedelta(microseconds=1) / 1_000_000)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    parts = [
        f"{value}{unit}"
        for value, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s"))
        if value
    ]
    return " ".join(parts) or "0s"


def parse_duration(text: str) -> timedelta:
    """Parse a humantime duration (``1day``, ``1h 30m``, ``2months 29days``, ``4.2s``, ``0``)."""
    stripped = text.strip()
    if stripped == "0":
        return timedelta(0)
    if not stripped:
        raise ValueError("empty duration")
    total_ns = 0
    pos = 0
    while pos < len(stripped):
        match = _ITEM.match(stripped, pos)
        if match is None:
            raise ValueError(f"invalid duration {text!r} at offset {pos}")
        whole, fraction, unit = match.groups()
        factor = _UNIT_NS.get(unit)
        if factor is None:
            raise ValueError(f"unknown time unit {unit!r} in duration {text!r}")
        value = Decimal(f"{whole}.{fraction}") if fraction else Decimal(whole)
        total_ns += int(value * factor)
        pos = match.end()
    return timedelta(microseconds=total_ns // 1_000)
