"""Upstream-compatible module: metadata, expiration policies, header names and durations."""

from __future__ import annotations

import re
from datetime import timedelta

from ._constants import (
    HEADER_EXPIRATION,
    HEADER_FILENAME,
    HEADER_META_PREFIX,
    HEADER_ORIGIN,
    HEADER_SIZE,
    HEADER_TIME_CREATED,
    HEADER_TIME_EXPIRES,
)
from ._durations import format_duration, parse_duration
from ._models import (
    Compression,
    ExpirationPolicy,
    Metadata,
    TimeToIdle,
    TimeToLive,
    format_expiration,
    parse_expiration,
)
from ._utils import T, decode_header_value, itertools_batched

__all__ = [
    "HEADER_EXPIRATION",
    "HEADER_FILENAME",
    "HEADER_META_PREFIX",
    "HEADER_ORIGIN",
    "HEADER_SIZE",
    "HEADER_TIME_CREATED",
    "HEADER_TIME_EXPIRES",
    "TIME_SPLIT",
    "Compression",
    "ExpirationPolicy",
    "Metadata",
    "T",
    "TimeToIdle",
    "TimeToLive",
    "decode_header_value",
    "format_expiration",
    "format_timedelta",
    "itertools_batched",
    "parse_expiration",
    "parse_timedelta",
]

#: Splits a duration into numbers and unit words (kept from upstream; parsing does not use it).
TIME_SPLIT = re.compile(r"[^\W\d_]+|\d+")


def format_timedelta(delta: timedelta) -> str:
    """A duration in the wire format, ``400d 1m 30s`` (``0s`` for zero).

    Sub-second parts round up to the next second (upstream 0.2.10 truncates them), so an
    expiration is never shorter than asked.
    """
    return format_duration(delta)


def parse_timedelta(delta: str) -> timedelta:
    """Parse a duration: the wire format (``1d 2h``) and every humantime form servers emit
    (``1day``, ``1month 13h``, ``1 days 3661 seconds``); ValueError on an unknown unit."""
    return parse_duration(delta)
