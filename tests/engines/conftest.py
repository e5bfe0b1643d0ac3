"""Every engine the SDK ships, sync and async, behind one awaitable adapter."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx
import pytest

from objectstore_client._engines import _async, _sync

#: (engine, driver) pairs under test.
VARIANTS = [
    ("httptools", "sync"),
    ("httptools", "async"),
    ("httpx", "sync"),
    ("httpx", "async"),
]


def http_kwargs(url: str, **overrides: Any) -> dict[str, Any]:
    """The options a client hands its engine (as ``_base._http_kwargs`` builds them)."""
    kwargs: dict[str, Any] = {
        "base_url": httpx.URL(url),
        "headers": httpx.Headers({"User-Agent": "engine-tests"}),
        "timeout": httpx.Timeout(10.0),
        "limits": httpx.Limits(max_connections=8, max_keepalive_connections=8),
    }
    kwargs.update(overrides)
    return kwargs


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class EngineAdapter:
    """``await`` every engine call, whichever driver the engine serves."""

    def __init__(self, name: str, kind: str, kwargs: Mapping[str, Any]) -> None:
        self.name = name
        self.kind = kind
        opener = _sync.open_engine if kind == "sync" else _async.open_engine
        self.engine: Any = opener(name, kwargs)

    async def send(
        self, method: str, path: str, content: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        kwargs = {"method": method, "url": path, "headers": dict(headers or {})}
        return await _maybe(self.engine.send(kwargs, content, method, path))

    async def read(self, response: Any) -> bytes:
        """The whole raw body; the response is closed."""
        try:
            return b"".join([chunk async for chunk in self.chunks(response)])
        finally:
            await self.close_response(response)

    async def chunks(self, response: Any) -> AsyncIterator[bytes]:
        if self.kind == "sync":
            for chunk in response.iter_raw():
                yield chunk
        else:
            async for chunk in response.aiter_raw():
                yield chunk

    async def close_response(self, response: Any) -> None:
        if self.kind == "sync":
            response.close()
        else:
            await response.aclose()

    async def close(self) -> None:
        await _maybe(self.engine.close() if self.kind == "sync" else self.engine.aclose())


EngineFactory = Callable[..., EngineAdapter]


@pytest.fixture(params=VARIANTS, ids=[f"{name}-{kind}" for name, kind in VARIANTS])
async def make_engine(request: pytest.FixtureRequest) -> AsyncIterator[EngineFactory]:
    """``make_engine(url, **http_kwargs overrides)``: an adapter, closed after the test."""
    name, kind = request.param
    made: list[EngineAdapter] = []

    def make(url: str, **overrides: Any) -> EngineAdapter:
        adapter = EngineAdapter(name, kind, http_kwargs(url, **overrides))
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.close()
