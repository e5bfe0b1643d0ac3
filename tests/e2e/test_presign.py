"""Pre-signed URLs and token URLs, fetched with urllib (any HTTP client works), sync and
async sessions; expiry through the server's FakeClock, tampering refused."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest

from objectstore_client import InvalidInput, Permission, SecretKey
from objectstore_client.testing import FakeClock, LocalObjectstore
from tests.e2e.adapter import ClientAdapter, SessionAdapter
from tests.unit.keys import key_pair

PRIVATE, PUBLIC = key_pair()


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def server(clock: FakeClock) -> Iterator[LocalObjectstore]:
    keys: dict[str, str | tuple[str, list[str]]] = {
        "kid": PUBLIC,
        "writer": (PUBLIC, ["object.write"]),
    }
    with LocalObjectstore(storage="memory", auth_keys=keys, clock=clock) as running:
        yield running


@pytest.fixture
async def signed(kind: str, server: LocalObjectstore) -> AsyncIterator[SessionAdapter]:
    client = ClientAdapter(kind, server.url, token=SecretKey("kid", PRIVATE))
    yield client.session("attachments", org=uuid.uuid4().hex[:10])
    await client.close()


def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


async def test_presigned_get_and_head(signed: SessionAdapter) -> None:
    await signed.put(b"hello world", "docs/a b%.txt", compress="none")
    url = signed.raw.presigned_object_url("GET", "docs/a b%.txt")
    assert fetch(url) == (200, b"hello world")
    assert fetch(url, "HEAD")[0] == 204  # a GET signature is valid for HEAD
    head_url = signed.raw.presigned_object_url("HEAD", "docs/a b%.txt")
    assert fetch(head_url)[0] == 200
    assert fetch(url, "DELETE")[0] == 403  # pre-signed URLs never write or delete


async def test_presigned_urls_expire(signed: SessionAdapter, clock: FakeClock) -> None:
    await signed.put(b"short-lived", "k", compress="none")
    url = signed.raw.presigned_object_url("GET", "k", timedelta(seconds=30))
    assert fetch(url)[0] == 200
    clock.advance(31)
    try:
        assert fetch(url)[0] == 401
    finally:
        clock.set(clock() - 31)


async def test_tampered_urls_are_refused(signed: SessionAdapter) -> None:
    await signed.put(b"secret", "k", compress="none")
    await signed.put(b"other", "other", compress="none")
    url = signed.raw.presigned_object_url("GET", "k")
    base, sig = url.rsplit("os_sig=", 1)
    flipped = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    assert fetch(base + "os_sig=" + flipped)[0] == 401
    assert fetch(url.replace("/k?", "/other?"))[0] == 401
    assert fetch(url.replace("os_duration=3600", "os_duration=7200"))[0] == 401


async def test_object_url_with_a_read_only_token(signed: SessionAdapter) -> None:
    await signed.put(b"tokened", "t", compress="none")
    url = signed.object_url("t", token_validity=timedelta(minutes=5))
    assert fetch(url) == (200, b"tokened")
    assert fetch(url, "DELETE")[0] == 403


async def test_presign_input_is_checked_before_anything(
    kind: str, server: LocalObjectstore
) -> None:
    client = ClientAdapter(kind, server.url, token=SecretKey("kid", PRIVATE))
    session = client.session("attachments", org="1").raw
    try:
        with pytest.raises(InvalidInput, match="unsupported pre-signed method 'PUT'"):
            session.presigned_object_url("PUT", "k")
        with pytest.raises(InvalidInput, match="exceeds the maximum of 7 days"):
            session.presigned_object_url("GET", "k", timedelta(days=7, seconds=1))
        with pytest.raises(InvalidInput, match="must be positive"):
            session.presigned_object_url("GET", "k", timedelta(0))
        writer = ClientAdapter(
            kind,
            server.url,
            token=SecretKey("writer", PRIVATE, permissions=[Permission.OBJECT_WRITE]),
        )
        with pytest.raises(InvalidInput, match=r"object\.read"):
            writer.session("attachments", org="1").raw.presigned_object_url("GET", "k")
        await writer.close()
        static = ClientAdapter(kind, server.url, token="static-token")
        with pytest.raises(InvalidInput, match="secret key"):
            static.session("attachments", org="1").raw.presigned_object_url("GET", "k")
        await static.close()
    finally:
        await client.close()
