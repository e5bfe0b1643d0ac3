"""_core/presign.py and _core/ranges.py: canonical form, prefix paths, range resolution."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from objectstore_client import Client, SecretKey, Usecase
from objectstore_client._core.presign import build_canonical_form
from objectstore_client._core.ranges import byte_range
from objectstore_client.testing._auth import canonical_presign_string
from tests.unit.keys import key_pair


def test_canonical_form_matches_the_reference() -> None:
    query = "os_timestamp=2026-07-23T12:00:00Z&OS_KID=k&os_duration=60&os_sig=zzz&flag&a=1&a=0"
    expected = (
        "GET\n/v1/objects/u/_/k\n"
        "a=0&a=1&flag&os_duration=60&os_kid=k&os_timestamp=2026-07-23T12:00:00Z"
    )
    assert build_canonical_form("head", "/v1/objects/u/_/k", query) == expected
    assert canonical_presign_string("HEAD", "/v1/objects/u/_/k", query.split("&")) == expected


@pytest.mark.parametrize("base", ["http://objectstore.test", "http://objectstore.test/proxy/"])
def test_presigned_url_signs_the_path_as_sent(base: str) -> None:
    private, public = key_pair()
    with Client(base, token=SecretKey("kid/1", private)) as client:
        session = client.session(Usecase("attachments"), org=42)
        url = session.presigned_object_url("HEAD", "a b/c%d", timedelta(minutes=90, seconds=1))
    parts = urlsplit(url)
    prefix = "/proxy" if "proxy" in base else ""
    assert parts.path == f"{prefix}/v1/objects/attachments/org=42/a%20b/c%25d"
    assert parts.port == 80
    query, signature = parts.query.rsplit("&os_sig=", 1)
    assert query.startswith("os_kid=kid%2F1&os_timestamp=") and query.endswith("&os_duration=5401")
    assert len(signature) == 86 and "=" not in signature
    message = build_canonical_form("GET", parts.path, query).encode()
    key = load_pem_public_key(public.encode())
    key.verify(base64.urlsafe_b64decode(signature + "=="), message)  # type: ignore[union-attr,call-arg]


def test_byte_ranges() -> None:
    assert byte_range(5, 9, None).header == "bytes=5-9"
    assert byte_range(5, None, None).header == "bytes=5-"
    assert byte_range(None, None, 7).header == "bytes=-7"
    assert byte_range(5, 100, None).resolve(50) == (5, 49)
    assert byte_range(50, None, None).resolve(50) is None
    assert byte_range(None, None, 70).resolve(50) == (0, 49)
    assert byte_range(0, None, None).resolve(0) is None
