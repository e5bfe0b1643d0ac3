"""Absolute object URLs (with an optional embedded read token) and token minting."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

import attrs

from .._exceptions import InvalidInput
from .._models import Permission
from .plan import SessionInfo, object_path
from .tokens import SecretKey

__all__ = [
    "PARAM_AUTH",
    "BaseUrl",
    "URLParts",
    "mint_token",
    "object_url",
    "secret_key",
]

#: Query parameter carrying a token in object URLs.
PARAM_AUTH = "os_auth"


class URLParts(Protocol):
    """The parts of a parsed URL that :class:`BaseUrl` is built from (``_config.Url`` and
    ``httpx.URL`` have them)."""

    @property
    def scheme(self) -> str: ...

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int | None: ...

    @property
    def raw_path(self) -> bytes: ...


@attrs.frozen
class BaseUrl:
    """The client's base URL, split once: the one place the base path prefix is computed.

    ``prefix`` is the path prefix as sent (percent-encoded, no trailing ``/``; ``""`` without
    one), which every request path, error message and signed URL starts with; ``origin`` is
    ``scheme://host:port`` (IPv6 host bracketed, port always present); ``text`` is the base URL
    as configured, without a trailing ``/``, for messages.
    """

    scheme: str
    #: the host name or address, IPv6 without brackets
    host: str
    port: int
    prefix: str = ""
    text: str = ""

    @classmethod
    def of(cls, url: URLParts) -> BaseUrl:
        """Split a parsed base URL (the configured ``_config.Url``)."""
        port = url.port or (443 if url.scheme == "https" else 80)
        prefix = url.raw_path.decode("ascii").rstrip("/")
        return cls(url.scheme, url.host, port, prefix, str(url).rstrip("/"))

    @property
    def origin(self) -> str:
        """``scheme://host:port``, without the path prefix."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def path(self, path: str) -> str:
        """A request path relative to the base URL (``/v1/...``) as sent: with the prefix."""
        return self.prefix + path

    def url(self, path: str) -> str:
        """The absolute URL of a request path relative to the base URL."""
        return self.origin + self.prefix + path


def secret_key(session: SessionInfo, what: str) -> SecretKey:
    """The session's SecretKey, for signing (InvalidInput naming ``what`` without one)."""
    if not isinstance(session.token, SecretKey):
        raise InvalidInput(f"no secret key configured on this session: cannot {what}")
    return session.token


def object_url(
    base_url: BaseUrl,
    session: SessionInfo,
    key: str,
    token_validity: timedelta | None,
    now: float,
) -> str:
    """The object's absolute URL; with ``token_validity``, plus ``?os_auth=<read-only JWT>``."""
    url = base_url.url(object_path(session, key))
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
