"""Upstream-compatible module: metadata, expiration policies and header names."""

from ._constants import (
    HEADER_EXPIRATION,
    HEADER_FILENAME,
    HEADER_META_PREFIX,
    HEADER_ORIGIN,
    HEADER_TIME_CREATED,
    HEADER_TIME_EXPIRES,
)
from ._durations import format_duration as format_timedelta
from ._durations import parse_duration as parse_timedelta
from ._models import (
    Compression,
    ExpirationPolicy,
    Metadata,
    TimeToIdle,
    TimeToLive,
    format_expiration,
    parse_expiration,
)

__all__ = [
    "HEADER_EXPIRATION",
    "HEADER_FILENAME",
    "HEADER_META_PREFIX",
    "HEADER_ORIGIN",
    "HEADER_TIME_CREATED",
    "HEADER_TIME_EXPIRES",
    "Compression",
    "ExpirationPolicy",
    "Metadata",
    "TimeToIdle",
    "TimeToLive",
    "format_expiration",
    "format_timedelta",
    "parse_expiration",
    "parse_timedelta",
]
