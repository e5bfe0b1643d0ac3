"""End-to-end fixtures: the SDK over real HTTP against LocalObjectstore, sync and async."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from objectstore_client.testing import LocalObjectstore
from tests.e2e.adapter import ClientAdapter, SessionAdapter
from tests.unit.keys import key_pair

KID = "e2e-kid"
READ_ONLY_KID = "e2e-kid-ro"


@pytest.fixture(params=["httptools", "httpx"])
def engine(request: pytest.FixtureRequest) -> str:
    """The HTTP engine under test: every engine the SDK ships runs the whole e2e suite."""
    return str(request.param)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest, engine: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The driver under test (on each engine: every ClientAdapter of the test uses it)."""
    monkeypatch.setattr(ClientAdapter, "engine", engine)
    return str(request.param)


@pytest.fixture
async def client(kind: str, objectstore_url: str) -> AsyncIterator[ClientAdapter]:
    """A Client or AsyncClient (behind one awaitable adapter) on the shared auth-less server."""
    adapter = ClientAdapter(kind, objectstore_url)
    yield adapter
    await adapter.close()


@pytest.fixture
def session(client: ClientAdapter) -> SessionAdapter:
    """A session in a scope of its own (``org=<random>``)."""
    return client.session("attachments", org=uuid.uuid4().hex[:12])


class AuthServer:
    """A LocalObjectstore enforcing auth with a fresh Ed25519 key pair (plus a read-only kid)."""

    def __init__(self, server: LocalObjectstore, private_pem: str) -> None:
        self.server = server
        self.url = server.url
        self.private_pem = private_pem


@pytest.fixture(scope="session")
def auth_server() -> Iterator[AuthServer]:
    """Shared by the auth tests of the session."""
    private_pem, public_pem = key_pair()
    keys: dict[str, str | tuple[str, list[str]]] = {
        KID: public_pem,
        READ_ONLY_KID: (public_pem, ["object.read"]),
    }
    with LocalObjectstore(auth_keys=keys, storage="memory") as server:
        yield AuthServer(server, private_pem)
