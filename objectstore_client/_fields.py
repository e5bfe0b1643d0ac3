"""The rules of the value objects' fields: usecase names, scopes, compression names.

Below ``_models`` and ``_core`` (both use them), so that neither has to import the other's
layer; each check raises InvalidInput naming the problem.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote, unquote

from ._exceptions import InvalidInput

__all__ = [
    "COMPRESSIONS",
    "SCOPE_VALUE_ALLOWED_CHARS",
    "check_compression",
    "check_scope_pair",
    "check_usecase_name",
    "decode_header_value",
    "encode_header_value",
]

#: Characters the server accepts in scope names and values.
SCOPE_VALUE_ALLOWED_CHARS = frozenset(string.ascii_letters + string.digits + "-_()$!+'")
_USECASE = re.compile(r"[A-Za-z0-9_-]+")
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
    """Validate one scope; returns the value as sent (``str(value)``, so ``True`` -> ``"True"``).

    Messages start like upstream's, which callers match on.
    """
    if not name:
        raise InvalidInput("Scope key cannot be empty")
    if value is None:
        raise InvalidInput(f"Scope value cannot be empty: {name!r} is None")
    text = str(value)
    if not text:
        raise InvalidInput(f"Scope value cannot be empty: {name!r} is an empty string")
    bad = sorted(set(name) - SCOPE_VALUE_ALLOWED_CHARS)
    if bad:
        raise InvalidInput(f"Invalid scope key {name!r}: characters {''.join(bad)!r} not allowed")
    bad = sorted(set(text) - SCOPE_VALUE_ALLOWED_CHARS)
    if bad:
        raise InvalidInput(
            f"Invalid scope value {text!r} for {name!r}: characters {''.join(bad)!r} not allowed"
        )
    return text


def check_compression(
    value: object,
    *,
    allow_none: bool,
    name: str = "compression",
    allowed: tuple[str, ...] = COMPRESSIONS,
) -> str | None:
    """The one check of a compression name (``allowed``: ``"zstd"`` or ``"none"``);
    ``None``/``""`` only where a default applies (``allow_none``). ``name`` is the argument's
    name in the message, which starts with upstream's ``Invalid compression: <value>``."""
    if value is None or value == "":  # "" means "not given", as upstream's truthiness checks
        if allow_none:
            return None
    elif value in allowed:
        return str(value)
    expected = " or ".join(repr(choice) for choice in allowed)
    raise InvalidInput(f"Invalid compression: {value} ({name} must be {expected})")


# A header value carries visible ASCII; "%" is escaped so that decoding is unambiguous.
_HEADER_VALUE_SAFE = "".join(chr(code) for code in range(0x20, 0x7F) if chr(code) != "%")


def encode_header_value(value: str) -> str:
    """The wire form of a metadata value (origin, filename, custom), as upstream 0.2.1+ sends
    it: visible ASCII except ``%`` as is, everything else (``%``, non-ASCII, controls)
    percent-encoded as UTF-8."""
    return quote(value, safe=_HEADER_VALUE_SAFE)


def decode_header_value(value: str) -> str:
    """Inverse of :func:`encode_header_value`; a value without escapes is returned as is.

    Raises UnicodeDecodeError when the escapes are not UTF-8.
    """
    return unquote(value, errors="strict")
