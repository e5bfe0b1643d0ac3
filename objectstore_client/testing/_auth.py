"""Authentication: EdDSA JWTs and pre-signed URLs, with the reference's 400/401/403 split.

Reference §10 (JWT transport, claims, scope matching) and §11 (pre-signed URLs). Auth is
off unless keys are configured; then no token is even parsed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from ._clock import Clock
from ._errors import ApiError
from ._humantime import parse_rfc3339_lenient

__all__ = [
    "ALL_PERMISSIONS",
    "AuthContext",
    "Authenticator",
    "KeySpec",
    "canonical_presign_string",
]

READ, WRITE, DELETE = "object.read", "object.write", "object.delete"
ALL_PERMISSIONS = frozenset({READ, WRITE, DELETE})
MAX_PRESIGN_SECONDS = 7 * 24 * 3600
LEEWAY_SECONDS = 60

PemLike = str | bytes
KeySpec = PemLike | tuple[PemLike, Iterable[str]]
"""A public key PEM (all permissions) or ``(pem, max_permissions)``."""


def _bad_request(msg: str) -> ApiError:
    return ApiError(400, f"auth error: bad request: {msg}", [f"bad request: {msg}", msg])


def _unauthorized(msg: str, *causes: str) -> ApiError:
    return ApiError(401, f"auth error: {msg}", [msg, *causes])


NOT_ALLOWED = ApiError(403, "auth error: operation not allowed", ["operation not allowed"])


@dataclass(frozen=True)
class _Key:
    public_keys: tuple[Ed25519PublicKey, ...]
    max_permissions: frozenset[str]


@dataclass(frozen=True)
class AuthContext:
    """What a request is allowed to do; ``check`` raises the 403 error."""

    unrestricted: bool = False
    presigned: bool = False
    usecase: str = ""
    resources: Mapping[str, str] = field(default_factory=dict)
    permissions: frozenset[str] = frozenset()

    def allows(self, permission: str, usecase: str, scopes: Sequence[tuple[str, str]]) -> bool:
        if self.unrestricted:
            return True
        if self.presigned:
            return permission == READ
        if permission not in self.permissions or usecase != self.usecase:
            return False
        return all(self.resources.get(name) in (value, "*") for name, value in scopes)

    def check(self, permission: str, usecase: str, scopes: Sequence[tuple[str, str]]) -> None:
        if not self.allows(permission, usecase, scopes):
            raise NOT_ALLOWED


UNRESTRICTED = AuthContext(unrestricted=True)


def _load_key(spec: KeySpec) -> _Key:
    if isinstance(spec, tuple):
        pem, perms = spec
        permissions = frozenset(perms)
        unknown = permissions - ALL_PERMISSIONS
        if unknown:
            raise ValueError(f"unknown permissions {sorted(unknown)}")
    else:
        pem, permissions = spec, ALL_PERMISSIONS
    key = load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("auth keys must be Ed25519 public keys")
    return _Key((key,), permissions)


class Authenticator:
    """Verifies tokens against a ``kid -> public key`` directory."""

    def __init__(self, keys: Mapping[str, KeySpec] | None, clock: Clock) -> None:
        self._keys = {kid: _load_key(spec) for kid, spec in (keys or {}).items()}
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def authenticate(
        self, method: str, raw_path: bytes, raw_query: bytes, headers: Mapping[bytes, bytes]
    ) -> AuthContext:
        """Authenticate one request (raises :class:`ApiError` with 400/401/403)."""
        if not self._keys:
            return UNRESTRICTED
        query = raw_query.decode("latin-1")
        pieces = [p for p in query.split("&") if p]
        if any(p.split("=", 1)[0] == "os_sig" for p in pieces):
            return self._presigned(method, raw_path.decode("latin-1"), pieces)
        token = self._header_token(headers)
        if token is None:
            token = self._query_token(raw_query)
        if token is None:
            raise _bad_request("No authorization token provided")
        return self._verify_jwt(token)

    # -- JWT ------------------------------------------------------------------------------

    @staticmethod
    def _header_token(headers: Mapping[bytes, bytes]) -> str | None:
        raw = headers.get(b"x-os-auth")
        if raw is None:
            raw = headers.get(b"authorization")
        if raw is None or len(raw) < 7 or raw[:7].lower() != b"bearer ":
            return None
        return raw[7:].decode("latin-1")

    @staticmethod
    def _query_token(raw_query: bytes) -> str | None:
        try:
            pairs = parse_qsl(
                raw_query.decode("ascii"),
                keep_blank_values=True,
                strict_parsing=False,
                errors="strict",
            )
        except (UnicodeDecodeError, ValueError):
            raise _bad_request("invalid query string") from None
        tokens = [v for k, v in pairs if k == "os_auth"]
        if len(tokens) > 1:
            raise _bad_request("invalid query string")
        return tokens[0] if tokens else None

    def _verify_jwt(self, token: str) -> AuthContext:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _unauthorized("failed to decode token: InvalidToken") from None
        kid = header.get("kid")
        if kid is None:
            raise _bad_request("JWT header is missing `kid` field")
        if not isinstance(kid, str):
            raise _unauthorized("failed to decode token: InvalidToken")
        key = self._keys.get(kid)
        if key is None:
            raise _unauthorized("unknown key")
        if header.get("alg") != "EdDSA":
            raise _unauthorized("failed to decode token: InvalidAlgorithm")
        claims = self._decode(token, key)
        return self._context(claims, key)

    def _decode(self, token: str, key: _Key) -> dict[str, Any]:
        options = {
            "require": ["exp"],
            "verify_exp": False,  # checked against the injectable clock in _context
            "verify_aud": False,
            "verify_iss": False,
            "verify_iat": False,
            "verify_nbf": False,
        }
        for public in key.public_keys:
            try:
                claims: dict[str, Any] = jwt.decode(
                    token,
                    public,
                    algorithms=["EdDSA"],
                    leeway=LEEWAY_SECONDS,
                    options=options,  # type: ignore[arg-type]
                )
                return claims
            except jwt.InvalidSignatureError:
                continue
            except jwt.ExpiredSignatureError:
                raise _unauthorized("failed to decode token: ExpiredSignature") from None
            except jwt.PyJWTError as exc:
                raise _unauthorized(f"failed to decode token: {exc}") from None
        raise _unauthorized("failed to verify token")

    def _context(self, claims: dict[str, Any], key: _Key) -> AuthContext:
        exp = claims.get("exp")
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise _unauthorized("failed to decode token: JSON error: invalid type for exp")
        if exp + LEEWAY_SECONDS < self._clock():
            raise _unauthorized("failed to decode token: ExpiredSignature")
        res = claims.get("res")
        perms = claims.get("permissions")
        valid = (
            isinstance(res, dict)
            and all(isinstance(v, str) for v in res.values())
            and isinstance(res.get("os:usecase"), str)
            and isinstance(perms, list)
            and all(p in ALL_PERMISSIONS for p in perms)
        )
        aud = claims.get("aud")
        if aud is not None and not (
            aud == "objectstore" or (isinstance(aud, list) and "objectstore" in aud)
        ):
            valid = False
        iss = claims.get("iss")
        if iss is not None and iss not in ("sentry", "relay"):
            valid = False
        if not valid:
            raise _unauthorized("failed to decode token: JSON error: invalid claims")
        assert isinstance(res, dict) and isinstance(perms, list)
        resources = {k: v for k, v in res.items() if k != "os:usecase"}
        return AuthContext(
            usecase=res["os:usecase"],
            resources=resources,
            permissions=frozenset(perms) & key.max_permissions,
        )

    # -- pre-signed URLs ------------------------------------------------------------------

    def _presigned(self, method: str, raw_path: str, pieces: list[str]) -> AuthContext:
        if method not in ("GET", "HEAD"):
            raise NOT_ALLOWED
        invalid = _bad_request("presigned URL has missing or invalid parameters")
        try:
            params = dict(parse_qsl("&".join(pieces), keep_blank_values=True, errors="strict"))
            kid = params["os_kid"]
            timestamp = parse_rfc3339_lenient(params["os_timestamp"])
            duration = int(params["os_duration"])
            signature = params["os_sig"]
        except (KeyError, ValueError, UnicodeDecodeError):
            raise invalid from None
        if duration < 0:
            raise invalid
        if duration > MAX_PRESIGN_SECONDS:
            raise _bad_request("presigned URL validity exceeds the maximum of 7 days")
        key = self._keys.get(kid)
        if key is None:
            raise _unauthorized("unknown key")
        now = self._clock()
        if not (timestamp - LEEWAY_SECONDS <= now <= timestamp + duration):
            raise _unauthorized("failed to verify token")
        message = canonical_presign_string(method, raw_path, pieces).encode("utf-8")
        try:
            sig = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        except (binascii.Error, ValueError):
            raise _unauthorized("failed to verify token") from None
        for public in key.public_keys:
            try:
                public.verify(sig, message)
                break
            except InvalidSignature:
                continue
        else:
            raise _unauthorized("failed to verify token")
        if READ not in key.max_permissions:
            raise NOT_ALLOWED
        return AuthContext(presigned=True)


def canonical_presign_string(method: str, raw_path: str, pieces: Iterable[str]) -> str:
    """``METHOD\\nPATH\\nQUERY`` as signed by clients (reference §11)."""
    verb = "GET" if method.upper() == "HEAD" else method.upper()
    pairs = []
    for piece in pieces:
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        if name == "os_sig":
            continue
        pairs.append(f"{name.lower()}{sep}{value}")
    return f"{verb}\n{raw_path}\n{'&'.join(sorted(pairs))}"
