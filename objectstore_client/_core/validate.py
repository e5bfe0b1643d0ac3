"""Input checks that run before any network call; each raises InvalidInput naming the problem."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .._exceptions import InvalidInput
from .._fields import (  # the value objects' own rules, re-exported for the request checks
    SCOPE_VALUE_ALLOWED_CHARS,
    check_compression,
    check_scope_pair,
    check_usecase_name,
    encode_header_value,
)

__all__ = [
    "SCOPE_VALUE_ALLOWED_CHARS",
    "check_compression",
    "check_header_value",
    "check_key",
    "check_metadata",
    "metadata_value",
    "check_scope_pair",
    "check_usecase_name",
]

# RFC 9110 token characters, for custom metadata names (x-snme-<name>).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def check_key(key: object) -> str:
    """A key is any non-empty string, except one with ``.`` or ``..`` path segments.

    HTTP clients and proxies normalise dot segments away (``a/../b`` is sent as ``b``), so such
    a key would silently address another object; the server itself would store it literally.
    """
    if not isinstance(key, str):
        raise InvalidInput(f"key must be a str, got {type(key).__name__}")
    if not key:
        raise InvalidInput("key must not be empty")
    if any(segment in (".", "..") for segment in key.split("/")):
        raise InvalidInput(
            f"invalid key {key!r}: '.' and '..' path segments are normalised away by HTTP "
            "clients and proxies, so the object would be stored under another key"
        )
    return key


def check_header_value(what: str, value: object) -> str:
    """The server accepts visible ASCII, space and tab in header values."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a str, got {type(value).__name__}")
    for char in value:
        if not (char == "\t" or " " <= char <= "~"):
            raise InvalidInput(
                f"{what} contains {char!r}: the server only accepts visible ASCII in headers"
            )
    return value


def metadata_value(what: str, value: object) -> str:
    """A metadata value (origin, filename, custom) in its wire form: any str, percent-encoded
    beyond visible ASCII and for ``%`` (upstream 0.2.1+; reads decode it)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a str, got {type(value).__name__}")
    return encode_header_value(value)


def check_metadata(metadata: Mapping[str, str] | None) -> dict[str, str]:
    """Custom metadata names must be header tokens; values are sent percent-encoded."""
    if not metadata:
        return {}
    checked: dict[str, str] = {}
    for name, value in metadata.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise InvalidInput(
                f"invalid metadata name {name!r}: use letters, digits and !#$%&'*+.^_`|~-"
            )
        checked[name] = metadata_value(f"metadata value for {name!r}", value)
    return checked
