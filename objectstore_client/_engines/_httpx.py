"""The httpx engine: today's httpcore pool (``_pool.Wire``), or an ``httpx.Client`` when the
caller gives a transport or a proxy, which only httpx can use.

Errors are httpx's own, as with every engine; answers are ``httpx.Response``s.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from .. import _pool_async, _pool_sync
from .._pool import CORE_ERRORS, StreamWatch, Wire, to_httpx_error

__all__ = ["AsyncHttpxEngine", "HttpxEngine"]


def response_watch() -> Callable[[], StreamWatch] | None:
    """What follows each httpcore connection's responses (``_h1.ResponseWatch``), so that
    bytes past a response never reach the next one; None without httptools, where h11 alone
    frames responses (see docs/engines.md)."""
    try:
        from ._h1 import ResponseWatch
    except ImportError:  # pragma: no cover - depends on the installation
        return None
    return ResponseWatch


class HttpxEngine:
    """Sync requests through httpcore directly, or ``httpx.Client`` for a transport/proxy."""

    name = "httpx"

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        self._wire = (
            Wire(
                http_kwargs,
                _pool_sync.connection_pool,
                _pool_sync.ResponseStream,
                response_watch(),
            )
            if Wire.usable(http_kwargs)
            else None
        )
        self._http_kwargs = http_kwargs
        self._http = None if self._wire else httpx.Client(**http_kwargs)
        self._pid = os.getpid()

    def send(
        self, kwargs: Mapping[str, Any], content: Any, method: str, path: str
    ) -> httpx.Response:
        """Send one request; the response body is streamed (read or close it)."""
        if self._pid != os.getpid():
            self._forked()
        if self._http is not None:
            request = self._http.build_request(**{**kwargs, "content": content})
            return self._http.send(request, stream=True)
        assert self._wire is not None
        outgoing = self._wire.builder.build(kwargs, content, path)
        wire_request = self._wire.core_request(outgoing)
        try:
            answer = self._wire.pool.handle_request(wire_request)
        except CORE_ERRORS as exc:
            raise to_httpx_error(exc) from exc
        return self._wire.response(answer, outgoing)

    def _forked(self) -> None:
        """In a child after ``os.fork()``: an empty pool (see ``Wire.forked``). The inherited
        one is dropped untouched: closing it would take its lock, which a thread of the
        parent may have held at the fork."""
        self._pid = os.getpid()
        if self._wire is not None:
            self._wire.forked()
        if self._http is not None:
            # a proxy's pool lives in the client; a caller's transport stays the caller's
            self._http = httpx.Client(**self._http_kwargs)

    def close(self) -> None:
        """Close every pooled connection."""
        if self._wire is not None:
            self._wire.pool.close()
        if self._http is not None:
            self._http.close()


class AsyncHttpxEngine:
    """Async requests through httpcore directly, or ``httpx.AsyncClient`` for a
    transport/proxy."""

    name = "httpx"

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        self._wire = (
            Wire(
                http_kwargs,
                _pool_async.connection_pool,
                _pool_async.AsyncResponseStream,
                response_watch(),
            )
            if Wire.usable(http_kwargs)
            else None
        )
        self._http_kwargs = http_kwargs
        self._http = None if self._wire else httpx.AsyncClient(**http_kwargs)
        self._pid = os.getpid()

    async def send(
        self, kwargs: Mapping[str, Any], content: Any, method: str, path: str
    ) -> httpx.Response:
        """Send one request; the response body is streamed (read or close it)."""
        if self._pid != os.getpid():
            # in a child after os.fork(): an empty pool; the inherited one belongs to the
            # parent's event loop and is dropped untouched
            self._pid = os.getpid()
            if self._wire is not None:
                self._wire.forked()
            if self._http is not None:
                self._http = httpx.AsyncClient(**self._http_kwargs)
        if self._http is not None:
            request = self._http.build_request(**{**kwargs, "content": content})
            return await self._http.send(request, stream=True)
        assert self._wire is not None
        outgoing = self._wire.builder.build(kwargs, content, path)
        wire_request = self._wire.core_request(outgoing)
        try:
            answer = await self._wire.pool.handle_async_request(wire_request)
        except CORE_ERRORS as exc:
            raise to_httpx_error(exc) from exc
        return self._wire.response(answer, outgoing)

    async def aclose(self) -> None:
        """Close every pooled connection."""
        if self._wire is not None:
            await self._wire.pool.aclose()
        if self._http is not None:
            await self._http.aclose()
