"""Upstream-compatible module: metadata, expiration policies, header names and durations."""

from ._constants import (
    HEADER_EXPIRATION,
    HEADER_FILENAME,
    HEADER_META_PREFIX,
    HEADER_ORIGIN,
    HEADER_SIZE,
    HEADER_TIME_CREATED,
    HEADER_TIME_EXPIRES,
)
from ._durations import format_duration as format_timedelta
from ._models import (
    Compression,
    ExpirationPolicy,
    Metadata,
    TimeToIdle,
    TimeToLive,
    format_expiration,
    parse_expiration,
)
from ._utils import TIME_SPLIT, T, decode_header_value, itertools_batched, parse_timedelta

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
