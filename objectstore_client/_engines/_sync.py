"""Open the engine of a blocking client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Engine, choose_engine

__all__ = ["open_engine"]


def open_engine(engine: str, http_kwargs: Mapping[str, Any]) -> Engine:
    """The engine ``engine`` names (see :func:`choose_engine`) for these client options."""
    if choose_engine(engine, http_kwargs) == "httptools":
        from ._sync_h1 import H1Engine

        return H1Engine(http_kwargs)
    from ._httpx import HttpxEngine

    return HttpxEngine(http_kwargs)
