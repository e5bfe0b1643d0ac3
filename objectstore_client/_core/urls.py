"""Absolute object URLs (with an optional embedded read token) and token minting."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

from .._exceptions import InvalidInput
from .._models import Permission
from .plan import SessionInfo, object_path
from .tokens import SecretKey

__all__ = [
    "BaseURL",
    "PARAM_AUTH",
    "base_origin",
    "mint_token",
    "object_url",
    "secret_key",
]

#: Query parameter carrying a token in object URLs.
PARAM_AUTH = "os_auth"


class BaseURL(Protocol):
    """The parts of the client's base URL that URLs are built from (``httpx.URL`` has them)."""

    @property
    def scheme(self) -> str: ...

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int | None: ...

    @property
    def raw_path(self) -> bytes: ...


def base_origin(base_url: BaseURL) -> str:
    """``scheme://host:port/prefix`` with IPv6 hosts bracketed and the port always present."""
    host = base_url.host
    if ":" in host:
        host = f"[{host}]"
    port = base_url.port or (443 if base_url.scheme == "https" else 80)
    prefix = base_url.raw_path.decode("ascii").rstrip("/")
    return f"{base_url.scheme}://{host}:{port}{prefix}"


def secret_key(session: SessionInfo, what: str) -> SecretKey:
    """The session's SecretKey, for signing (InvalidInput naming ``what`` without one)."""
    if not isinstance(session.token, SecretKey):
        raise InvalidInput(f"no secret key configured on this session: cannot {what}")
    return session.token


def object_url(
    base_url: BaseURL,
    session: SessionInfo,
    key: str,
    token_validity: timedelta | None,
    now: float,
) -> str:
    """The object's absolute URL; with ``token_validity``, plus ``?os_auth=<read-only JWT>``."""
    url = base_origin(base_url) + object_path(session, key)
    if token_validity is None:
        return url
    if token_validity < timedelta(0):
        raise InvalidInput(f"token_validity must not be negative, got {token_validity}")
    key_ = secret_key(session, "embed a token in the URL")
    seconds = math.ceil(token_validity.total_seconds())
    token = key_.token_for_scope(
        session.usecase.name,
        session.scope,
        permissions=[Permission.OBJECT_READ],
        expiry_seconds=seconds,
        now=now,
    )
    return f"{url}?{PARAM_AUTH}={token}"


def mint_token(
    session: SessionInfo,
    permissions: Sequence[Permission | str] | None,
    expiry_seconds: int | None,
    now: float,
) -> str:
    """A freshly signed token for the session's usecase and scope."""
    key = secret_key(session, "mint tokens")
    return key.token_for_scope(
        session.usecase.name, session.scope, permissions, expiry_seconds, now=now
    )
