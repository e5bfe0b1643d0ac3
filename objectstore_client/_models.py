"""Frozen value objects of the public API. Validators raise InvalidInput before any request."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal, cast, overload

import attrs
from dateutil.parser import isoparse

from ._constants import (
    EMPTY_SCOPE,
    HEADER_EXPIRATION,
    HEADER_FILENAME,
    HEADER_META_PREFIX,
    HEADER_ORIGIN,
    HEADER_SIZE,
    HEADER_TIME_CREATED,
    HEADER_TIME_EXPIRES,
)
from ._durations import format_duration, parse_duration
from ._exceptions import InvalidInput
from ._fields import check_compression, check_scope_pair, check_usecase_name, decode_header_value

__all__ = [
    "CompletePart",
    "Compression",
    "ExpirationPolicy",
    "Metadata",
    "PartInfo",
    "Permission",
    "ProgressEvent",
    "RangeResult",
    "Scope",
    "TimeToIdle",
    "TimeToLive",
    "Usecase",
    "format_expiration",
    "parse_expiration",
]

#: ``"zstd"`` compresses (the default), ``"none"`` sends the bytes as they are.
Compression = Literal["zstd", "none"]


class Permission(str, enum.Enum):
    """What a signed token allows."""

    OBJECT_READ = "object.read"
    OBJECT_WRITE = "object.write"
    OBJECT_DELETE = "object.delete"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def max(cls) -> list[Permission]:
        """All permissions."""
        return list(cls)


def _check_delta(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, timedelta):
        raise InvalidInput(f"expiration delta must be a timedelta, got {type(value).__name__}")
    if value < timedelta(0):
        raise InvalidInput(f"expiration delta must not be negative, got {value}")


@attrs.frozen
class TimeToLive:
    """Expire ``delta`` after the last write. Sent in whole seconds, sub-seconds rounded up."""

    delta: timedelta = attrs.field(validator=_check_delta)


@attrs.frozen
class TimeToIdle:
    """Expire after ``delta`` without access. Sent in whole seconds, sub-seconds rounded up."""

    delta: timedelta = attrs.field(validator=_check_delta)


ExpirationPolicy = TimeToLive | TimeToIdle


def format_expiration(expiration_policy: ExpirationPolicy) -> str:
    """The ``x-sn-expiration`` header value for a policy (``ttl:1d 2h``).

    A zero delta is refused: the server would accept ``ttl:0s`` and the object would be gone
    at once on production backends (upstream sent an empty duration, which the server refused).
    """
    if isinstance(
        expiration_policy, (TimeToLive, TimeToIdle)
    ) and expiration_policy.delta == timedelta(0):
        raise InvalidInput(
            f"{type(expiration_policy).__name__}(timedelta(0)) would expire the object at once: "
            "use at least one second, or delete the object"
        )
    if isinstance(expiration_policy, TimeToLive):
        return f"ttl:{format_duration(expiration_policy.delta)}"
    if isinstance(expiration_policy, TimeToIdle):
        return f"tti:{format_duration(expiration_policy.delta)}"
    raise InvalidInput(
        f"expiration_policy must be TimeToLive or TimeToIdle, got {expiration_policy!r}"
    )


def parse_expiration(value: str) -> ExpirationPolicy | None:
    """Parse ``ttl:``/``tti:`` with any humantime duration; ``manual`` and unknown give None."""
    prefix, sep, rest = value.partition(":")
    if not sep:
        return None
    try:
        if prefix == "ttl":
            return TimeToLive(parse_duration(rest))
        if prefix == "tti":
            return TimeToIdle(parse_duration(rest))
    except ValueError:
        return None
    return None


def _check_policy(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, (TimeToLive, TimeToIdle)):
        raise InvalidInput(f"expiration_policy must be TimeToLive or TimeToIdle, got {value!r}")


# The converters' parameter types are Usecase's __init__ types for type checkers (attrs
# plugin): precise, so that mypy refuses Usecase(42) or compression="gzip". They still check
# at run time, for callers without a type checker.
def _usecase_name(name: str) -> str:
    return check_usecase_name(name)


def _usecase_compression(value: Compression | None) -> Compression:
    checked = check_compression(value, allow_none=True)
    return "none" if checked is None else checked  # type: ignore[return-value]


#: Upstream 0.2.10's default ``Usecase.resumable_threshold_bytes`` (256 MiB).
DEFAULT_RESUMABLE_THRESHOLD_BYTES = 256 * 1024 * 1024


def check_threshold(value: object) -> int | Literal["none"]:
    """A non-negative int (not a bool) or ``"none"``; upstream's message."""
    if value == "none":
        return "none"
    if type(value) is not int or value < 0:
        raise InvalidInput('resumable_threshold_bytes must be a non-negative integer or "none"')
    return value


@attrs.frozen
class Usecase:
    """A usecase: the top-level namespace, with its default compression and expiration.

    ``resumable_threshold_bytes`` (upstream 0.2.10, a size or ``"none"``) is checked and kept
    for compatibility only: ``put`` sends any size in one streamed request, and ``upload``
    switches to multipart at ``TransferConfig.multipart_threshold``.
    """

    name: str = attrs.field(converter=_usecase_name)
    compression: Compression = attrs.field(default="zstd", converter=_usecase_compression)
    expiration_policy: ExpirationPolicy | None = attrs.field(default=None, validator=_check_policy)
    resumable_threshold_bytes: int | Literal["none"] = attrs.field(
        default=DEFAULT_RESUMABLE_THRESHOLD_BYTES, converter=check_threshold
    )

    # upstream kept these as private attributes; some callers read them
    @property
    def _compression(self) -> Compression:
        return self.compression

    @property
    def _expiration_policy(self) -> ExpirationPolicy | None:
        return self.expiration_policy

    @property
    def _resumable_threshold_bytes(self) -> int | Literal["none"]:
        return self.resumable_threshold_bytes


@attrs.frozen(init=False)
class Scope:
    """Ordered ``name=value`` pairs below a usecase. Order matters: it is part of the path.

    ``Scope(org=42, project=1337)`` renders as ``org=42;project=1337``; no scopes render as
    ``_``. On the wire values are ``str()``-ed (``True`` -> ``"True"``, ``0`` -> ``"0"``);
    :meth:`dict` returns them as given. ``None`` and empty strings are refused.
    """

    #: the wire form: (name, str(value)) pairs, in order
    items: tuple[tuple[str, str], ...]
    _given: tuple[tuple[str, str | int | bool], ...] = attrs.field(eq=False, repr=False)

    def __init__(self, **scopes: str | int | bool) -> None:
        items = tuple((name, check_scope_pair(name, value)) for name, value in scopes.items())
        self.__attrs_init__(items, tuple(scopes.items()))

    def __str__(self) -> str:
        return ";".join(f"{name}={value}" for name, value in self.items) or EMPTY_SCOPE

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """The wire form: ``(name, str(value))`` pairs, in order."""
        return iter(self.items)

    def dict(self) -> dict[str, str | int | bool]:
        """The scopes as given (``{"org": 42}``), in order; ``str(scope)`` is the wire form."""
        return dict(self._given)


def _header_lookup(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case names to values; a repeated header's values are joined with ", "."""
    # httpx.Headers: multi_items() is the cheap view (names already lower-case)
    multi_items = getattr(headers, "multi_items", None)
    pairs = multi_items() if multi_items is not None else headers.items()
    lookup: dict[str, str] = {}
    for name, value in pairs:
        name = str(name).lower()
        lookup[name] = f"{lookup[name]}, {value}" if name in lookup else value
    return lookup


@overload
def _decoded(value: str) -> str: ...
@overload
def _decoded(value: None) -> None: ...
def _decoded(value: str | None) -> str | None:
    """A metadata value as written: percent-decoded (upstream 0.2.1+ encodes them); one whose
    escapes are not UTF-8 (written raw by an older client) is returned as sent."""
    if value is None or "%" not in value:
        return value
    try:
        return decode_header_value(value)
    except UnicodeDecodeError:
        return value


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        # fromisoformat is several times faster; before 3.11 it rejects "Z" and odd precisions
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return isoparse(value)
    except ValueError:
        return None


@attrs.frozen
class Metadata:
    """Object metadata, as returned by ``get`` and ``head``.

    Field order is upstream 0.2.10's (``filename`` and ``size`` before ``custom``), for
    positional construction. ``size`` is the stored size from ``x-sn-size``, when the server
    sends it.
    """

    content_type: str | None = None
    compression: Compression | None = None
    expiration_policy: ExpirationPolicy | None = None
    time_created: datetime | None = None
    time_expires: datetime | None = None
    origin: str | None = None
    filename: str | None = None
    size: int | None = None
    custom: dict[str, str] = attrs.field(factory=dict)

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Metadata:
        """Parse response headers; names are matched case-insensitively."""
        lower = _header_lookup(headers)
        encoding = lower.get("content-encoding")
        expiration = lower.get(HEADER_EXPIRATION)
        size_text = lower.get(HEADER_SIZE)
        custom = {
            name[len(HEADER_META_PREFIX) :]: _decoded(value)
            for name, value in lower.items()
            if name.startswith(HEADER_META_PREFIX)
        }
        return cls(
            content_type=lower.get("content-type", "application/octet-stream"),
            # an unknown stored encoding is passed through as is (get refuses to decode it)
            compression=cast("Compression | None", encoding or None),
            expiration_policy=parse_expiration(expiration) if expiration else None,
            time_created=_parse_time(lower.get(HEADER_TIME_CREATED)),
            time_expires=_parse_time(lower.get(HEADER_TIME_EXPIRES)),
            origin=_decoded(lower.get(HEADER_ORIGIN)),
            filename=_decoded(lower.get(HEADER_FILENAME)),
            custom=custom,
            size=int(size_text) if size_text and size_text.isdigit() else None,
        )


def _check_part_number(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidInput(f"part_number must be an int >= 1, got {value!r}")


@attrs.frozen
class CompletePart:
    """A part of a multipart upload, as ``complete`` needs it (returned by ``put_part``)."""

    part_number: int = attrs.field(validator=_check_part_number)
    etag: str


@attrs.frozen
class PartInfo:
    """An uploaded part, as listed by ``list_parts`` (also accepted by ``complete``)."""

    part_number: int = attrs.field(validator=_check_part_number)
    etag: str
    # positional like upstream's dataclass: PartInfo(part_number, etag, last_modified, size)
    last_modified: datetime | None
    size: int

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> PartInfo:
        """One entry of the list-parts response."""
        return cls(
            int(item["part_number"]),
            str(item["etag"]),
            _parse_time(item.get("last_modified")),
            int(item["size"]),
        )


@attrs.frozen
class ProgressEvent:
    """Progress of an upload, passed to the ``progress`` callback.

    ``delta`` is signed: it is negative when a failed part is sent again (its bytes rewind).
    Byte counts are of the source (before compression); ``total`` is None for streams of
    unknown length.
    """

    delta: int
    transferred: int = attrs.field(kw_only=True)
    total: int | None = attrs.field(kw_only=True)


@attrs.frozen
class RangeResult:
    """A byte range of an object: ``data`` holds stored bytes ``start..end`` (inclusive) of
    ``size``. On a compressed object (``metadata.compression == "zstd"``) these are bytes of
    the zstd stream, not of the original payload."""

    metadata: Metadata
    data: bytes = attrs.field(repr=False)
    start: int = attrs.field(kw_only=True)
    end: int = attrs.field(kw_only=True)
    size: int = attrs.field(kw_only=True)
