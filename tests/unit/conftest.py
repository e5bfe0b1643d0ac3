from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from tests.e2e.adapter import ClientAdapter

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
