from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from tests.e2e.adapter import ClientAdapter
from tests.unit.served import HandlerServer

MockFactory = Callable[..., ClientAdapter]


@pytest.fixture(params=["sync", "async"])
async def mock_client(request: pytest.FixtureRequest) -> AsyncIterator[MockFactory]:
    """A factory: ``mock_client(handler, **client_kwargs)`` -> ClientAdapter over MockTransport.

    Sleeps are recorded in ``adapter.sleeps`` instead of waited for.
    """
    made: list[ClientAdapter] = []

    def make(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> ClientAdapter:
        options = dict(kwargs.pop("connection_kwargs", {}))
        options["transport"] = httpx.MockTransport(handler)
        base_url = kwargs.pop("base_url", "http://objectstore.test")
        adapter = ClientAdapter(request.param, base_url, connection_kwargs=options, **kwargs)
        adapter.sleeps = []  # type: ignore[attr-defined]
        adapter.set_sleep(adapter.sleeps.append)  # type: ignore[attr-defined]
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.close()


@pytest.fixture(
    params=[("sync", "httpx"), ("async", "httpx"), ("sync", "httptools"), ("async", "httptools")],
    ids="-".join,
)
async def driver_client(request: pytest.FixtureRequest) -> AsyncIterator[MockFactory]:
    """Like ``mock_client``, on each engine: ``httpx`` over MockTransport, ``httptools`` (the
    default engine) against the handler served over loopback sockets (tests/unit/served.py).

    A test whose handler raises httpx transport errors (only a MockTransport can) is skipped
    on httptools when it asks for ``driver_client.mock_only()``.
    """
    kind, engine = request.param
    made: list[ClientAdapter] = []
    servers: list[HandlerServer] = []

    def make(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> ClientAdapter:
        options = dict(kwargs.pop("connection_kwargs", {}))
        base_url = kwargs.pop("base_url", "http://objectstore.test")
        if engine == "httpx":
            options["transport"] = httpx.MockTransport(handler)
        else:
            server = HandlerServer(handler)
            servers.append(server)
            base_url = server.url + httpx.URL(base_url).raw_path.decode().rstrip("/")
            kwargs["engine"] = "httptools"
        adapter = ClientAdapter(kind, base_url, connection_kwargs=options, **kwargs)
        adapter.sleeps = []  # type: ignore[attr-defined]
        adapter.set_sleep(adapter.sleeps.append)  # type: ignore[attr-defined]
        made.append(adapter)
        return adapter

    def mock_only() -> None:
        if engine != "httpx":
            pytest.skip("the handler raises httpx transport errors: only a MockTransport can")

    make.mock_only = mock_only  # type: ignore[attr-defined]
    make.engine = engine  # type: ignore[attr-defined]
    yield make
    for adapter in made:
        await adapter.close()
    for server in servers:
        server.close()
