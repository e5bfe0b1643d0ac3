"""Open the engine of an asyncio client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import AsyncEngine, choose_engine

__all__ = ["open_engine"]


def open_engine(engine: str, http_kwargs: Mapping[str, Any]) -> AsyncEngine:
    """The engine ``engine`` names (see :func:`choose_engine`) for these client options."""
    if choose_engine(engine, http_kwargs) == "httptools":
        from ._async_h1 import AsyncH1Engine

        return AsyncH1Engine(http_kwargs)
    from ._httpx import AsyncHttpxEngine

    return AsyncHttpxEngine(http_kwargs)
