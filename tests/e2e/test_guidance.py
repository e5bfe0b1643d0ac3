"""Errors name the cause and the fix: a wrong base URL, a missing or refused token, an
unreachable host. Over real HTTP against local servers, sync and async."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from objectstore_client import (
    AsyncClient,
    Client,
    ConnectError,
    OperationError,
    RequestError,
    SecretKey,
    Usecase,
)
from objectstore_client.testing import LocalObjectstore
from tests.engines.rawserver import RawServer, Request, ok, serve_forever
from tests.unit.keys import key_pair

USECASE = Usecase("attachments")


async def call(kind: str, url: str, method: str, *args: Any, **client_kwargs: Any) -> Any:
    """``session.<method>(*args)`` on a fresh Client or AsyncClient."""
    if kind == "sync":
        with Client(url, **client_kwargs) as client:
            return getattr(client.session(USECASE, org=1), method)(*args)
    async with AsyncClient(url, **client_kwargs) as aclient:
        return await getattr(aclient.session(USECASE, org=1), method)(*args)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def auth_server() -> Iterator[tuple[str, str]]:
    """(url, private key PEM) of a server that enforces auth."""
    private_pem, public_pem = key_pair()
    with LocalObjectstore(auth_keys={"kid": public_pem}, storage="memory") as server:
        yield server.url, private_pem


@pytest.mark.parametrize("method", ["get", "head"])
async def test_wrong_base_url_is_an_error_not_a_missing_object(
    kind: str, method: str, objectstore_url: str
) -> None:
    wrong = f"{objectstore_url}/nope"
    with pytest.raises(RequestError) as caught:
        await call(kind, wrong, method, "some-key")
    message = str(caught.value)
    assert caught.value.status == 404
    assert f"{method.upper()} {wrong}/v1/objects/attachments/org=1/some-key failed" in message
    assert f"GET {wrong}/health answered 404" in message
    assert f"the base URL '{wrong}' does not lead to an Objectstore server" in message
    assert "Pass the URL under which the server answers /health and /v1/..." in message


async def test_writes_to_a_wrong_base_url_say_so_too(kind: str, objectstore_url: str) -> None:
    with pytest.raises(RequestError, match="does not lead to an Objectstore server"):
        await call(kind, f"{objectstore_url}/api", "put", b"x", "k")


def test_right_base_url_checks_once_and_missing_objects_are_none(objectstore_url: str) -> None:
    with Client(objectstore_url) as client:
        session = client.session(USECASE, org=1)
        assert not client._ctx.server.confirmed
        assert session.get("missing") is None
        assert client._ctx.server.confirmed  # /health answered: no probe on later 404s
        assert session.head("missing") is None


@pytest.mark.parametrize("method", ["head", "get", "put"])
async def test_missing_token_says_to_pass_token(
    kind: str, method: str, auth_server: tuple[str, str]
) -> None:
    url, _ = auth_server
    args = (b"x", "k") if method == "put" else ("k",)
    with pytest.raises(RequestError) as caught:
        await call(kind, url, method, *args)
    assert caught.value.status == 400
    message = str(caught.value)
    assert "the server requires authentication and no token was given: pass token= to " in message
    assert "Client(...) or AsyncClient(...), either a SecretKey(kid, private_key_pem)" in message


async def test_refused_token_says_what_to_check(kind: str, auth_server: tuple[str, str]) -> None:
    url, private_pem = auth_server
    with pytest.raises(RequestError) as caught:
        await call(kind, url, "head", "k", token=SecretKey("unknown-kid", private_pem))
    assert caught.value.status == 401
    assert "the server refused the token: check that it trusts the key id (kid)" in str(
        caught.value
    )
    assert private_pem not in str(caught.value)


async def test_unreachable_host_names_host_and_port(kind: str) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectError) as caught:
        await call(kind, f"http://127.0.0.1:{port}/prefix", "head", "k", retries=0)
    message = str(caught.value)
    assert "HEAD /prefix/v1/objects/attachments/org=1/k failed" in message  # prefix as sent
    assert f"could not connect to 127.0.0.1:{port}: is the Objectstore server running" in message
    assert "is the base URL given to the client right?" in message


def test_error_paths_carry_the_base_prefix() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/objectstore/v1/objects/attachments/org=1/k"
        return httpx.Response(500, text="boom")

    transport = httpx.MockTransport(answer)
    base = "http://objectstore.test/api/objectstore"
    client = Client(base, retries=0, connection_kwargs={"transport": transport})
    with client, pytest.raises(RequestError) as caught:
        client.session(USECASE, org=1).delete("k")
    assert "DELETE /api/objectstore/v1/objects/attachments/org=1/k: boom" in str(caught.value)


async def test_errors_name_the_server(kind: str, auth_server: tuple[str, str]) -> None:
    # a status error (400: no token) and a transport error (nothing listens) both say which
    # server they are about, as host:port; the token never appears
    url, _ = auth_server
    host_port = url.removeprefix("http://").rstrip("/")
    with pytest.raises(RequestError) as status_error:
        await call(kind, url, "put", b"x", retries=0)
    assert f"[server {host_port}]" in str(status_error.value)
    assert status_error.value.server == host_port  # type: ignore[attr-defined]

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    with pytest.raises(ConnectError) as transport_error:
        await call(kind, f"http://127.0.0.1:{free}", "head", "k", retries=0)
    assert f"[server 127.0.0.1:{free}]" in str(transport_error.value)


async def test_unusable_success_bodies_name_the_path_as_sent(kind: str) -> None:
    """A 2xx whose body breaks the protocol (no JSON, a bad Content-Range, no multipart) is a
    RequestError naming the path with the base URL's prefix, like every other error."""

    def answer(request: Request) -> bytes:
        if b"range" in request.headers:
            return b"HTTP/1.1 206 Partial Content\r\ncontent-length: 4\r\n\r\nnope"
        return ok(b"not what the protocol promises", b"content-type: text/plain\r\n")

    with RawServer(serve_forever(answer)) as server:
        base = f"{server.url}/api/objectstore"
        attempts: list[tuple[str, tuple[Any, ...], str]] = [
            ("initiate_multipart_upload", (), "POST /api/objectstore/v1/objects:multipart/"),
            ("get_range", ("k", 0, 3), "GET /api/objectstore/v1/objects/attachments/org=1/k"),
            ("head_many", (["a", "b"],), "POST /api/objectstore/v1/objects:batch/"),
        ]
        for method, args, shown in attempts:
            try:
                outcome = await call(kind, base, method, *args, retries=0)
            except RequestError as exc:
                message = str(exc)
            else:  # batches report per operation
                assert isinstance(outcome[0], OperationError), outcome
                message = outcome[0].message
            assert shown in message, (method, message)
            assert f"[server 127.0.0.1:{server.port}]" in message or method == "head_many"
