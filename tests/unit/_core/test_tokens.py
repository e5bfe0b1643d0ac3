import jwt
import pytest

from objectstore_client import Permission, Scope, SecretKey, TokenGenerator
from objectstore_client._core.tokens import TokenCache
from tests.unit.keys import key_pair

PRIVATE, PUBLIC = key_pair()


def _claims(token: str) -> dict[str, object]:
    return jwt.decode(token, PUBLIC, algorithms=["EdDSA"], options={"verify_exp": False})


def test_token_claims_and_header() -> None:
    key = SecretKey("kid-1", PRIVATE)
    token = key.token_for_scope("attachments", Scope(org=42, project=True), now=1000.5)
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": "kid-1", "typ": "JWT"}
    assert _claims(token) == {
        "res": {"os:usecase": "attachments", "org": "42", "project": "True"},
        "permissions": ["object.read", "object.write", "object.delete"],
        "exp": 1060,
    }


def test_permissions_subset_and_overrides() -> None:
    key = TokenGenerator("k", PRIVATE, expiry_seconds=5, permissions=[Permission.OBJECT_READ])
    token = key.sign_for_scope("u", Scope())
    assert _claims(token)["permissions"] == ["object.read"]
    with pytest.raises(ValueError, match="not granted"):
        key.token_for_scope("u", Scope(), permissions=[Permission.OBJECT_WRITE])
    token = key.token_for_scope("u", Scope(), expiry_seconds=100, now=0)
    assert _claims(token)["exp"] == 100


def test_bad_keys_are_refused_and_never_shown() -> None:
    with pytest.raises(ValueError, match="PEM"):
        SecretKey("k", "not a pem")
    with pytest.raises(ValueError, match="negative"):
        SecretKey("k", PRIVATE, expiry_seconds=-1)
    with pytest.raises(ValueError, match="permission"):
        SecretKey("k", PRIVATE, permissions=["object.fly"])
    assert "PRIVATE" not in repr(SecretKey("k", PRIVATE))


def test_cache_reuses_until_shortly_before_expiry() -> None:
    now = [1000.0]
    cache = TokenCache(lambda: now[0])
    key = SecretKey("k", PRIVATE, expiry_seconds=60)
    first = cache.token(key, "u", Scope(org=1))
    now[0] += 40
    assert cache.token(key, "u", Scope(org=1)) == first
    assert cache.token(key, "u", Scope(org=2)) != first
    now[0] += 6  # 46 s: less than a quarter of the validity left
    renewed = cache.token(key, "u", Scope(org=1))
    assert renewed != first
    assert _claims(renewed)["exp"] == 1106
