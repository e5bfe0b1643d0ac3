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
    "check_header_name",
    "check_header_value",
    "check_key",
    "check_metadata",
    "metadata_value",
    "check_scope_pair",
    "check_secret_header",
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
    surrogate = _first_surrogate(key)
    if surrogate is not None:
        raise InvalidInput(
            f"key contains a lone surrogate at index {surrogate}: it cannot be encoded as "
            "UTF-8 (was it decoded with errors='surrogateescape'?)"
        )
    if any(segment in (".", "..") for segment in key.split("/")):
        raise InvalidInput(
            f"invalid key {key!r}: '.' and '..' path segments are normalised away by HTTP "
            "clients and proxies, so the object would be stored under another key"
        )
    return key


def _first_surrogate(text: str) -> int | None:
    for index, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            return index
    return None


def _header_problem(value: str) -> str | None:
    """Why ``value`` cannot be sent as a header value unchanged, or None. Never quotes it."""
    if value != value.strip(" \t\r\n"):
        # HTTP strips it (a token read from a file keeps its newline): the value would change
        return "has leading or trailing whitespace"
    for index, char in enumerate(value):
        if not (" " <= char <= "~"):
            kind = "a control character" if char < " " or char == "\x7f" else "non-ASCII"
            return f"contains {kind} ({_describe(char)}) at index {index}"
    return None


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_header_value(what: str, value: object) -> str:
    """A value sent in a header must arrive unchanged: visible ASCII and inner spaces only.

    The server accepts nothing else (non-ASCII -> 400), HTTP drops leading and trailing
    whitespace, and a line break would end the header. The message names the position and
    code point, never the value (it may be a secret).
    """
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a str, got {type(value).__name__}")
    problem = _header_problem(value)
    if problem is not None:
        raise InvalidInput(f"{what} {problem}: headers carry only visible ASCII and inner spaces")
    return value


def check_secret_header(what: str, value: object) -> str:
    """Like :func:`check_header_value` for secrets (tokens): the message names only the kind
    of problem and its position, never a character of the value, and spaces are refused."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a str, got {type(value).__name__}")
    if not value:
        raise InvalidInput(f"{what} must not be empty")
    if value != value.strip():
        raise InvalidInput(
            f"{what} has leading or trailing whitespace (a newline from a file?): strip it"
        )
    for index, char in enumerate(value):
        if not ("!" <= char <= "~"):
            raise InvalidInput(
                f"{what} contains a space, control or non-ASCII character at index {index}"
            )
    return value


def check_header_name(name: object) -> str:
    """A header name is an RFC 9110 token."""
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise InvalidInput(f"invalid header name {name!r}: use letters, digits and !#$%&'*+.^_`|~-")
    return name


def metadata_value(what: str, value: object) -> str:
    """A metadata value (origin, filename, custom) in its wire form: any str, percent-encoded
    beyond visible ASCII and for ``%`` (upstream 0.2.1+; reads decode it)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a str, got {type(value).__name__}")
    surrogate = _first_surrogate(value)
    if surrogate is not None:
        raise InvalidInput(
            f"{what} contains a lone surrogate at index {surrogate}: it cannot be encoded as UTF-8"
        )
    encoded = encode_header_value(value)
    # HTTP drops a header value's outer spaces: escape them too, so the value arrives unchanged
    inner = encoded.strip(" ")
    if not inner:
        return "%20" * len(encoded)
    lead = len(encoded) - len(encoded.lstrip(" "))
    trail = len(encoded) - len(encoded.rstrip(" "))
    return "%20" * lead + inner + "%20" * trail


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
