"""Auth over real HTTP with a generated Ed25519 key pair: valid, expired, wrong scope, denied."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from objectstore_client import Permission, RequestError, Scope, SecretKey
from tests.e2e.adapter import ClientAdapter
from tests.e2e.conftest import KID, READ_ONLY_KID, AuthServer

Factory = Callable[..., ClientAdapter]


@pytest.fixture
async def auth_client(kind: str, auth_server: AuthServer) -> AsyncIterator[Factory]:
    """``auth_client(token)`` -> a client of the driver under test on the auth server."""
    made: list[ClientAdapter] = []

    def make(token: Any = None) -> ClientAdapter:
        adapter = ClientAdapter(kind, auth_server.url, token=token)
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.close()


def _org() -> str:
    return uuid.uuid4().hex[:10]


async def test_secret_key_signs_scoped_tokens(
    auth_client: Factory, auth_server: AuthServer
) -> None:
    key = SecretKey(KID, auth_server.private_pem)
    session = auth_client(key).session("attachments", org=_org(), project=7)
    stored = await session.put(b"secret", key="k")
    result = await session.get_bytes(stored)
    assert result is not None
    assert result[1] == b"secret"
    assert await session.head("k") is not None
    await session.delete("k")
    assert await session.get("k") is None


async def test_missing_token_is_rejected(auth_client: Factory) -> None:
    with pytest.raises(RequestError) as info:
        await auth_client().session("attachments", org=_org()).get("k")
    assert info.value.status == 400


async def test_expired_token(auth_client: Factory, auth_server: AuthServer) -> None:
    org = _org()
    expired = SecretKey(KID, auth_server.private_pem).token_for_scope(
        "attachments", Scope(org=org), now=time.time() - 3600
    )
    with pytest.raises(RequestError) as info:
        await auth_client(expired).session("attachments", org=org).put(b"x", key="k")
    assert info.value.status == 401
    assert expired not in str(info.value)


async def test_wrong_scope(auth_client: Factory, auth_server: AuthServer) -> None:
    minter = auth_client(SecretKey(KID, auth_server.private_pem))
    token = minter.session("attachments", org="one").mint_token()
    session = auth_client(token).session("attachments", org="two")
    with pytest.raises(RequestError) as info:
        await session.put(b"x", key="k")
    assert info.value.status == 403
    other_usecase = auth_client(token).session("other", org="one")
    with pytest.raises(RequestError) as info:
        await other_usecase.get("k")
    assert info.value.status == 403


async def test_missing_permission(auth_client: Factory, auth_server: AuthServer) -> None:
    org = _org()
    writer = auth_client(SecretKey(KID, auth_server.private_pem)).session("attachments", org=org)
    await writer.put(b"data", key="k")
    read_only = SecretKey(KID, auth_server.private_pem, permissions=[Permission.OBJECT_READ])
    reader = auth_client(read_only).session("attachments", org=org)
    assert await reader.get_bytes("k") is not None
    for attempt in (reader.put(b"x", key="k"), reader.delete("k")):
        with pytest.raises(RequestError) as info:
            await attempt
        assert info.value.status == 403
    # the server caps the read-only kid's permissions whatever the token claims
    capped = auth_client(SecretKey(READ_ONLY_KID, auth_server.private_pem))
    with pytest.raises(RequestError) as info:
        await capped.session("attachments", org=org).put(b"x", key="k2")
    assert info.value.status == 403


async def test_minted_tokens_and_object_urls(auth_client: Factory, auth_server: AuthServer) -> None:
    org = _org()
    session = auth_client(SecretKey(KID, auth_server.private_pem)).session("attachments", org=org)
    await session.put(b"shared", key="a b", compress="none")
    read_token = session.mint_token(permissions=[Permission.OBJECT_READ], expiry_seconds=30)
    claims = jwt.decode(read_token, options={"verify_signature": False})
    assert claims["permissions"] == ["object.read"]
    assert claims["res"] == {"os:usecase": "attachments", "org": org}
    static = auth_client(read_token).session("attachments", org=org)
    assert await static.get_bytes("a b") is not None
    with pytest.raises(ValueError, match="no secret key"):
        static.mint_token()
    with pytest.raises(ValueError, match="no secret key"):
        static.object_url("a b", token_validity=timedelta(minutes=5))
    url = session.object_url("a b", token_validity=timedelta(minutes=5))
    assert "?os_auth=" in url
    async with httpx.AsyncClient() as http:
        assert (await http.get(url)).content == b"shared"
        assert (await http.get(session.object_url("a b"))).status_code == 400
