"""The route table of the real server (axum/matchit, reference §1-2), on the raw path.

Routing happens on the still percent-encoded path; parameters are decoded afterwards, so a
``%2F`` in a key is a ``/`` in the key rather than a separator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote_to_bytes

from ._errors import TextError
from ._storage import ObjectId

__all__ = ["Route", "match_route", "parse_object_id", "parse_scopes"]

RouteName = Literal[
    "health",
    "ready",
    "keda",
    "object",
    "collection",
    "batch",
    "mp_initiate",
    "mp_object",
    "mp_parts",
    "mp_complete",
]


@dataclass(frozen=True)
class Route:
    """A matched route: its name, the methods it answers, and the raw parameters."""

    name: RouteName
    methods: tuple[str, ...]
    usecase: bytes = b""
    scopes: bytes = b""
    key: bytes | None = None


_GET = ("GET", "HEAD")

# prefix kind -> (route for `{u}/{s}`, for `{u}/{s}/`, for `{u}/{s}/{*key}`)
_TABLE: dict[bytes, tuple[tuple[RouteName, tuple[str, ...]] | None, ...]] = {
    b"objects": (
        ("collection", ("POST",)),
        ("collection", ("POST",)),
        ("object", ("GET", "HEAD", "PUT", "DELETE")),
    ),
    b"objects:batch": (None, ("batch", ("POST",)), None),
    b"objects:multipart": (
        ("mp_initiate", ("POST",)),
        ("mp_initiate", ("POST",)),
        ("mp_object", ("PUT", "DELETE")),
    ),
    b"objects:multipart:parts": (None, None, ("mp_parts", ("GET", "HEAD", "PUT"))),
    b"objects:multipart:complete": (None, None, ("mp_complete", ("POST",))),
}


def match_route(raw_path: bytes) -> Route | None:
    """Match a raw request path; ``None`` means 404."""
    if raw_path in (b"/health", b"/ready", b"/keda"):
        return Route(raw_path[1:].decode(), _GET)  # type: ignore[arg-type]
    if not raw_path.startswith(b"/v1/"):
        return None
    kind, sep, rest = raw_path[4:].partition(b"/")
    variants = _TABLE.get(kind)
    if variants is None or not sep:
        return None
    # a parameter matches an empty segment when a "/" follows it, never at the end of the
    # path (measured): `/v1/objects/u//k` is the object route (GET: 400 from the scopes
    # parser, POST: 405), `/v1/objects//_/k` the object route of usecase "", and
    # `/v1/objects/u//` the collection route; `/v1/objects/u/` matches nothing
    usecase, sep, rest = rest.partition(b"/")
    if not sep:
        return None
    scopes, sep, key = rest.partition(b"/")
    if not scopes and not sep:
        return None
    if not sep:
        entry = variants[0]
    elif not key:
        entry = variants[1]
    else:
        entry = variants[2]
    if entry is None:
        return None
    return Route(entry[0], entry[1], usecase, scopes, key if key else None)


def _decode(raw: bytes, what: str) -> str:
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise TextError(400, f"Invalid URL: Invalid UTF-8 in `{what}`") from None


_SCOPE_CHARS = re.compile(r"[A-Za-z0-9_\-()$!+']*")


def parse_scopes(text: str) -> tuple[tuple[str, str], ...]:
    """Matrix syntax ``k=v;k2=v2`` or ``_`` for none (reference §2.2)."""
    if text == "_":
        return ()
    scopes: list[tuple[str, str]] = []
    for piece in text.split(";"):
        name, sep, value = piece.partition("=")
        if not sep:
            raise TextError(400, "Invalid URL: scope must be 'key=value'")
        if not name or not value:
            raise TextError(400, "Invalid URL: key and value must be non-empty")
        for part in (name, value):
            if not _SCOPE_CHARS.fullmatch(part):
                bad = next(c for c in part if not _SCOPE_CHARS.fullmatch(c))
                raise TextError(400, f"Invalid URL: invalid character '{bad}'")
        scopes.append((name, value))
    return tuple(scopes)


def parse_object_id(route: Route, key: str | None = None) -> ObjectId:
    """Decode and validate the path parameters of a matched route."""
    usecase = _decode(route.usecase, "usecase")
    scopes = parse_scopes(_decode(route.scopes, "scopes"))
    if key is None:
        if route.key is None:
            raise ValueError("route has no key")
        key = _decode(route.key, "key")
        if any(seg in (".", "..") for seg in key.split("/")):
            raise TextError(400, "Invalid URL: key must not contain '.' or '..' segments")
    return ObjectId(usecase, scopes, key)
