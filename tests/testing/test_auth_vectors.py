"""The reference's test vectors (upstream test key, public half only)."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from objectstore_client.testing import FakeClock
from objectstore_client.testing._auth import Authenticator, canonical_presign_string

RAW_PUBLIC = bytes.fromhex("895512b9846d88abc210c3cb9fa3c0200be6ea0b2d32f1f9802104b29a53ca25")
PUBLIC = Ed25519PublicKey.from_public_bytes(RAW_PUBLIC)
PEM = PUBLIC.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
JWT = (
    "eyJhbGciOiJFZERTQSIsImtpZCI6InRlc3Rfa2lkIiwidHlwIjoiSldUIn0."
    "eyJyZXMiOnsib3M6dXNlY2FzZSI6InRlc3QtdXNlY2FzZSIsIm9yZyI6IjQyIiwicHJvamVjdCI6IjEzMzcifSwicG"
    "VybWlzc2lvbnMiOlsib2JqZWN0LnJlYWQiLCJvYmplY3Qud3JpdGUiLCJvYmplY3QuZGVsZXRlIl0sImV4cCI6NDEw"
    "MjQ0NDgwMH0."
    "kyQwpy4uWHNHEXv3r_pm7dAkX-j5dGwOlAiEZ9dSWK8T7e3EAAkFX5b8KEEwIJYwSYtNlzKVTehNTnQesQS-CQ"
)


def _verify(canonical: str, sig: str) -> None:
    PUBLIC.verify(base64.urlsafe_b64decode(sig + "=="), canonical.encode())


def test_presign_vector_1() -> None:
    canonical = canonical_presign_string(
        "GET",
        "/v1/objects/testing/_/key",
        ["os_kid=relay", "os_timestamp=1985-04-12T23:20:50.52Z", "os_duration=3600"],
    )
    assert canonical == (
        "GET\n/v1/objects/testing/_/key\n"
        "os_duration=3600&os_kid=relay&os_timestamp=1985-04-12T23:20:50.52Z"
    )
    _verify(
        canonical,
        "i1qJS_5kd_FZIJH2rxFnr5wksG7qj6iP4uMgfW2ORziRfGFKvC-wwmzzvhShy_2ptD_vjykOEgpe5rIQZTcGCA",
    )


def test_presign_vector_2_head_signs_as_get() -> None:
    canonical = canonical_presign_string(
        "HEAD",
        "/v1/objects/test-usecase/org=42;project=1337/with%20space",
        ["os_timestamp=2026-07-23T12:00:00Z", "OS_KID=test_kid", "os_duration=3600", "os_sig=x"],
    )
    assert canonical.startswith("GET\n")
    _verify(
        canonical,
        "pNHpo1lRMWALBr6_WlbCFEdSWO_G0oze_O4HMvRByEPSwsKNsnHJn7l788Mc5Nhw9PMIIj6MH1slpvHdgDclBQ",
    )


def test_presigned_url_accepted_at_signing_time() -> None:
    sig = "pNHpo1lRMWALBr6_WlbCFEdSWO_G0oze_O4HMvRByEPSwsKNsnHJn7l788Mc5Nhw9PMIIj6MH1slpvHdgDclBQ"
    auth = Authenticator({"test_kid": PEM}, FakeClock(1_784_808_000 + 10))
    query = f"os_kid=test_kid&os_timestamp=2026-07-23T12:00:00Z&os_duration=3600&os_sig={sig}"
    ctx = auth.authenticate(
        "GET",
        b"/v1/objects/test-usecase/org=42;project=1337/with%20space",
        query.encode(),
        {},
    )
    assert ctx.presigned
    assert ctx.allows("object.read", "anything", [])
    assert not ctx.allows("object.write", "anything", [])


def test_jwt_vector() -> None:
    auth = Authenticator({"test_kid": PEM}, FakeClock(1_784_808_000))
    ctx = auth.authenticate("GET", b"/", b"", {b"x-os-auth": f"Bearer {JWT}".encode()})
    assert ctx.usecase == "test-usecase"
    assert ctx.allows("object.delete", "test-usecase", [("org", "42")])
    assert ctx.allows("object.read", "test-usecase", [("org", "42"), ("project", "1337")])
    assert not ctx.allows("object.read", "test-usecase", [("org", "42"), ("project", "1")])
    assert ctx.allows("object.read", "test-usecase", [])


def test_max_permissions_intersect() -> None:
    auth = Authenticator({"test_kid": (PEM, ["object.read"])}, FakeClock(1_784_808_000))
    ctx = auth.authenticate("GET", b"/", b"", {b"authorization": f"Bearer {JWT}".encode()})
    assert ctx.permissions == frozenset({"object.read"})


def test_auth_off_without_keys() -> None:
    auth = Authenticator(None, FakeClock(0))
    assert not auth.enabled
    assert auth.authenticate("PUT", b"/", b"os_sig=x", {}).unrestricted
