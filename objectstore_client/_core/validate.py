"""Input checks that run before any network call; each raises InvalidInput naming the problem."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from .._exceptions import InvalidInput

__all__ = [
    "SCOPE_VALUE_ALLOWED_CHARS",
    "check_compression",
    "check_header_value",
    "check_key",
    "check_metadata",
    "check_scope_pair",
    "check_usecase_name",
]

#: Characters the server accepts in scope names and values.
SCOPE_VALUE_ALLOWED_CHARS = frozenset(string.ascii_letters + string.digits + "-_()$!+'")
_USECASE = re.compile(r"[A-Za-z0-9_-]+")
# RFC 9110 token characters, for custom metadata names (x-snme-<name>).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
COMPRESSIONS = ("zstd", "none")


def check_usecase_name(name: object) -> str:
    """A usecase is a non-empty string of ``[A-Za-z0-9_-]``."""
    if not isinstance(name, str):
        raise InvalidInput(f"usecase name must be a str, got {type(name).__name__}")
    if not name:
        raise InvalidInput("usecase name must not be empty")
    if not _USECASE.fullmatch(name):
        raise InvalidInput(f"invalid usecase name {name!r}: use only A-Z a-z 0-9 _ -")
    return name


def check_scope_pair(name: str, value: object) -> str:
    """Validate one scope; returns the value as sent (``str(value)``, so ``True`` -> ``"True"``)."""
    if not name:
        raise InvalidInput("scope name must not be empty")
    bad = sorted(set(name) - SCOPE_VALUE_ALLOWED_CHARS)
    if bad:
        raise InvalidInput(f"invalid scope key {name!r}: characters {''.join(bad)!r} not allowed")
    if value is None:
        raise InvalidInput(f"scope value for {name!r} must not be None")
    if not isinstance(value, (str, int)):  # bool is an int
        raise InvalidInput(
            f"scope value for {name!r} must be str, int or bool, got {type(value).__name__}"
        )
    text = str(value)
    if not text:
        raise InvalidInput(f"scope value for {name!r} cannot be empty")
    bad = sorted(set(text) - SCOPE_VALUE_ALLOWED_CHARS)
    if bad:
        raise InvalidInput(
            f"invalid scope value {text!r} for {name!r}: characters {''.join(bad)!r} not allowed"
        )
    return text


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


def check_compression(value: object, *, allow_none: bool) -> str | None:
    """``"zstd"`` or ``"none"``; ``None``/``""`` only where a default applies."""
    if value is None or value == "":
        if allow_none:
            return None
        raise InvalidInput("compression must be 'zstd' or 'none'")
    if value not in COMPRESSIONS:
        raise InvalidInput(f"unknown compression {value!r}: expected 'zstd' or 'none'")
    return str(value)


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


def check_metadata(metadata: Mapping[str, str] | None) -> dict[str, str]:
    """Custom metadata names must be header tokens; values visible ASCII."""
    if not metadata:
        return {}
    checked: dict[str, str] = {}
    for name, value in metadata.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise InvalidInput(
                f"invalid metadata name {name!r}: use letters, digits and !#$%&'*+.^_`|~-"
            )
        checked[name] = check_header_value(f"metadata value for {name!r}", value)
    return checked
