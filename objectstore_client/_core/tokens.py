"""EdDSA (Ed25519) JWTs scoped to a usecase and its scopes, and a reuse cache for them.

Signing is pure computation: the current time comes from the caller.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import attrs

from .._constants import (
    DEFAULT_TOKEN_EXPIRY_S,
    TOKEN_CACHE_SIZE,
    TOKEN_REFRESH_FRACTION,
    TOKEN_REFRESH_MAX_MARGIN_S,
)
from .._exceptions import InvalidInput
from .._models import Permission, Scope
from .validate import check_secret_header

if TYPE_CHECKING:
    # PyJWT and cryptography load when a key is first used (~30 ms that `import
    # objectstore_client` need not pay: most clients send a caller's token)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = ["SecretKey", "TokenCache", "TokenGenerator", "TokenProvider", "check_token"]


def _load_key(pem: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"secret_key is not a readable PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput("secret_key must be an Ed25519 private key (EdDSA)")
    return key


def _permissions(value: Sequence[Permission | str] | None) -> tuple[Permission, ...]:
    if value is None:
        return tuple(Permission)
    try:
        return tuple(Permission(p) for p in value)
    except ValueError as exc:
        raise InvalidInput(f"unknown permission: {exc}") from None


def _check_expiry(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"expiry_seconds must be an int, got {value!r}")
    if value < 0:
        raise InvalidInput(f"expiry_seconds must not be negative, got {value}")


@attrs.frozen(init=False)
class SecretKey:
    """An Ed25519 private key (PEM) with its key id; signs tokens for a usecase and scope.

    ``permissions=None`` means all permissions. The key never appears in ``repr``.
    """

    kid: str
    secret_key: str = attrs.field(repr=False)
    expiry_seconds: int = attrs.field(validator=_check_expiry)
    permissions: tuple[Permission, ...]
    _key: Ed25519PrivateKey = attrs.field(repr=False, eq=False)

    def __init__(
        self,
        kid: str,
        secret_key: str,
        expiry_seconds: int = DEFAULT_TOKEN_EXPIRY_S,
        permissions: Sequence[Permission | str] | None = None,
    ) -> None:
        if not kid:
            raise InvalidInput("kid must not be empty")
        self.__attrs_init__(
            kid, secret_key, expiry_seconds, _permissions(permissions), _load_key(secret_key)
        )

    def token_for_scope(
        self,
        usecase: str,
        scope: Scope,
        permissions: Sequence[Permission | str] | None = None,
        expiry_seconds: int | None = None,
        *,
        now: float | None = None,
    ) -> str:
        """Sign a token for ``usecase`` and ``scope``; permissions must be a subset of the key's."""
        perms = self.permissions if permissions is None else _permissions(permissions)
        extra = set(perms) - set(self.permissions)
        if extra:
            names = ", ".join(sorted(p.value for p in extra))
            raise InvalidInput(f"requested permissions not granted to this secret key: {names}")
        expiry = self.expiry_seconds if expiry_seconds is None else expiry_seconds
        _check_expiry(None, None, expiry)
        if now is None:  # direct callers; the drivers pass their clock's time
            now = datetime.now(timezone.utc).timestamp()
        claims = {
            "res": {"os:usecase": usecase, **dict(scope)},  # the wire strings
            "permissions": [p.value for p in perms],
            "exp": math.floor(now) + expiry,
        }
        import jwt

        return jwt.encode(claims, self._key, algorithm="EdDSA", headers={"kid": self.kid})

    def sign_for_scope(
        self,
        usecase: str,
        scope: Scope,
        permissions: Sequence[Permission | str] | None = None,
        expiry_seconds: int | None = None,
    ) -> str:
        """Upstream 0.1.6 name of :meth:`token_for_scope`."""
        return self.token_for_scope(usecase, scope, permissions, expiry_seconds)

    def signature_for_canonical_form(self, canonical_form: str) -> str:
        """The Ed25519 signature of a pre-signing canonical form (see
        :func:`objectstore_client.presign.build_canonical_form`), base64url without padding:
        the value of the ``os_sig`` query parameter."""
        signature = self._key.sign(canonical_form.encode("utf-8"))
        return base64.urlsafe_b64encode(signature).rstrip(b"=").decode("ascii")


#: Upstream 0.1.6 name of :class:`SecretKey`.
TokenGenerator = SecretKey
#: A key to sign tokens with, or a static token string sent as is.
TokenProvider = SecretKey | str


def check_token(token: object) -> SecretKey | str | None:
    """A client's ``token`` argument, checked before any request: a SecretKey, None, or a
    static token that can be sent unchanged in a header (no surrounding whitespace, no line
    breaks: a token read from a file often ends with a newline). The message never contains
    the token."""
    if token is None or isinstance(token, SecretKey):
        return token
    if token == "":  # upstream sends no token for an empty string
        return None
    if not isinstance(token, str):
        raise InvalidInput(f"token must be a SecretKey or a str, got {type(token).__name__}")
    return check_secret_header("token", token)


class TokenCache:
    """Reuses a signed token until shortly before it expires, instead of signing per request."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._tokens: dict[tuple[SecretKey, str, str], tuple[str, float]] = {}

    def token(self, key: SecretKey, usecase: str, scope: Scope) -> str:
        """A valid token for the scope, signed now or reused."""
        now = self._clock()
        cache_key = (key, usecase, str(scope))
        cached = self._tokens.get(cache_key)
        if cached is not None and now < cached[1]:
            return cached[0]
        token = key.token_for_scope(usecase, scope, now=now)
        margin = min(key.expiry_seconds * TOKEN_REFRESH_FRACTION, TOKEN_REFRESH_MAX_MARGIN_S)
        if len(self._tokens) >= TOKEN_CACHE_SIZE:
            self._tokens.clear()
        self._tokens[cache_key] = (token, math.floor(now) + key.expiry_seconds - margin)
        return token
