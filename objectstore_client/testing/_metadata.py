"""Object metadata: parsing write headers, rendering read headers, expiry arithmetic.

Mirrors ``Metadata::from_insert_headers`` / ``Metadata::to_headers`` of the real server
(reference §5.1, §6.2, §7). No HTTP here beyond header tuples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ._humantime import (
    DurationError,
    format_duration,
    format_rfc3339_micros,
    parse_duration,
)

__all__ = ["Expiration", "Metadata", "MetadataError", "content_disposition"]

Header = tuple[bytes, bytes]

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
# the real server (the `mediatype` crate) also accepts a trailing `;` without a parameter
_MEDIA_TYPE = re.compile(
    rf"^{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|{_QUOTED}))*(?:[ \t]*;)?[ \t]*$"
)
DEFAULT_CONTENT_TYPE = "application/octet-stream"
_MAX_MICROS = 253402300799_999999  # 9999-12-31T23:59:59.999999Z, the last formattable instant


class MetadataError(ValueError):
    """A write header could not be parsed (answered with 400)."""


@dataclass(frozen=True)
class Expiration:
    """``ttl:<d>`` or ``tti:<d>``; ``manual`` is represented by ``None``."""

    kind: Literal["ttl", "tti"]
    nanos: int

    def header_value(self) -> str:
        return f"{self.kind}:{format_duration(self.nanos)}"

    @property
    def micros(self) -> int:
        return self.nanos // 1000


@dataclass(frozen=True)
class Metadata:
    """Everything the server stores about an object besides its bytes."""

    content_type: str = DEFAULT_CONTENT_TYPE
    compression: bool = False
    expiration: Expiration | None = None
    time_created: int = 0  # unix microseconds
    time_expires: int | None = None  # unix microseconds
    origin: str | None = None
    filename: str | None = None
    custom: dict[str, str] = field(default_factory=dict)

    # -- writes ---------------------------------------------------------------------------

    @classmethod
    def from_headers(cls, headers: Iterable[Header], now_micros: int) -> Metadata:
        """Parse write metadata; read-only ``x-sn-time-*`` headers are ignored."""
        content_type = DEFAULT_CONTENT_TYPE
        compression = False
        expiration: Expiration | None = None
        origin: str | None = None
        filename: str | None = None
        custom: dict[str, str] = {}
        for raw_name, raw_value in headers:
            name = raw_name.decode("latin-1").lower()
            if name in ("x-sn-time-created", "x-sn-time-expires"):
                continue
            relevant = name in (
                "content-type",
                "content-encoding",
                "x-sn-expiration",
                "x-sn-origin",
                "x-sn-filename",
            ) or name.startswith("x-snme-")
            if not relevant:
                continue
            value = _header_str(raw_value)
            if name == "content-type":
                if not _MEDIA_TYPE.match(value):
                    raise MetadataError("invalid content type")
                content_type = value
            elif name == "content-encoding":
                if value != "zstd":
                    raise MetadataError("invalid compression value")
                compression = True
            elif name == "x-sn-expiration":
                expiration = parse_expiration(value)
            elif name == "x-sn-origin":
                origin = value
            elif name == "x-sn-filename":
                filename = value
            else:
                custom[name[len("x-snme-") :]] = value
        meta = cls(
            content_type=content_type,
            compression=compression,
            expiration=expiration,
            origin=origin,
            filename=filename,
            custom=custom,
        )
        return meta.stamped(now_micros)

    def stamped(self, now_micros: int) -> Metadata:
        """Materialise ``time_created`` / ``time_expires`` as the server does on every write."""
        expires = None
        if self.expiration is not None:
            expires = min(now_micros + self.expiration.micros, _MAX_MICROS)
        return replace(self, time_created=now_micros, time_expires=expires)

    # -- expiry ---------------------------------------------------------------------------

    def is_expired(self, now_micros: int) -> bool:
        return self.time_expires is not None and self.time_expires < now_micros

    def tti_bumped(self, now_micros: int) -> Metadata | None:
        """The metadata with a bumped TTI deadline, or ``None`` when no bump is due.

        ``new = now + tti``; ``debounce = min(tti / 4, 24 h)``; bump iff the stored
        deadline is earlier than ``new - debounce`` (reference §7).
        """
        if self.expiration is None or self.expiration.kind != "tti":
            return None
        tti = self.expiration.micros
        new = min(now_micros + tti, _MAX_MICROS)
        debounce = min(tti // 4, 86_400_000_000)
        if self.time_expires is not None and self.time_expires < new - debounce:
            return replace(self, time_expires=new)
        return None

    # -- reads ----------------------------------------------------------------------------

    def to_headers(self) -> list[Header]:
        """Response headers for GET/HEAD and batch get/head parts (lower-case names)."""
        out: list[tuple[str, str]] = [("content-type", self.content_type)]
        if self.compression:
            out.append(("content-encoding", "zstd"))
        if self.expiration is not None:
            out.append(("x-sn-expiration", self.expiration.header_value()))
        out.append(("x-sn-time-created", format_rfc3339_micros(self.time_created)))
        if self.time_expires is not None:
            out.append(("x-sn-time-expires", format_rfc3339_micros(self.time_expires)))
        if self.origin is not None:
            out.append(("x-sn-origin", self.origin))
        if self.filename is not None:
            out.append(("x-sn-filename", self.filename))
        for name, value in self.custom.items():
            out.append((f"x-snme-{name}", value))
        return [(n.encode("latin-1"), v.encode("latin-1")) for n, v in out]

    # -- persistence ----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "content_type": self.content_type,
            "compression": self.compression,
            "expiration": None
            if self.expiration is None
            else [self.expiration.kind, self.expiration.nanos],
            "time_created": self.time_created,
            "time_expires": self.time_expires,
            "origin": self.origin,
            "filename": self.filename,
            "custom": self.custom,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Metadata:
        exp = data.get("expiration")
        return cls(
            content_type=data["content_type"],
            compression=bool(data["compression"]),
            expiration=None if exp is None else Expiration(exp[0], int(exp[1])),
            time_created=int(data["time_created"]),
            time_expires=data.get("time_expires"),
            origin=data.get("origin"),
            filename=data.get("filename"),
            custom=dict(data.get("custom") or {}),
        )


def parse_expiration(value: str) -> Expiration | None:
    """``manual`` | ``ttl:<humantime>`` | ``tti:<humantime>`` (prefixes case-sensitive)."""
    if value == "manual":
        return None
    kind, sep, rest = value.partition(":")
    if not sep or kind not in ("ttl", "tti"):
        raise MetadataError("invalid expiration policy value")
    try:
        nanos = parse_duration(rest)
    except DurationError:
        raise MetadataError("invalid expiration policy value") from None
    return Expiration("ttl" if kind == "ttl" else "tti", nanos)


def _header_str(raw: bytes) -> str:
    """``HeaderValue::to_str``: visible ASCII plus space and tab only."""
    if any(not (b == 9 or 32 <= b <= 126) for b in raw):
        raise MetadataError("error dealing with http headers")
    return raw.decode("ascii")


def content_disposition(filename: str) -> bytes | None:
    """``attachment; filename="<f>"`` with path separators and dot-only names defused."""
    safe = filename.replace("/", "-").replace("\\", "-")
    if safe and set(safe) == {"."}:
        safe = "-" * len(safe)
    safe = safe.replace('"', '\\"')
    value = f'attachment; filename="{safe}"'
    if any(not (c == "\t" or " " <= c <= "~") for c in value):
        return None
    return value.encode("ascii")
