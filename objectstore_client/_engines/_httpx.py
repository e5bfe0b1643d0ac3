"""The httpx engine: the SDK's httpcore pool (``_httpx_pool.HttpcorePool``), or an
``httpx.Client`` when the caller gives a transport or a proxy, which only httpx can use.

Like every engine it answers with the SDK's responses (``_response``) and raises the SDK's
``TransportError`` family: httpx's and httpcore's errors are mapped here, at its boundary.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from http.cookiejar import CookieJar
from typing import Any

import httpx

from .._config import httpx_kwargs
from . import _httpx_net_async, _httpx_net_sync
from ._errors import transport_error
from ._httpx_net_async import AsyncClientResponse, AsyncCoreResponse
from ._httpx_net_sync import ClientResponse, CoreResponse
from ._httpx_pool import CORE_ERRORS, HttpcorePool, StreamWatch
from ._request import RequestBuilder
from ._settings import Settings

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


class NoCookies(CookieJar):
    """A cookie jar that stores nothing: Objectstore sets no cookies, so skip the work."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        """Ignore cookies of responses."""

    def add_cookie_header(self, request: Any) -> None:
        """Add no cookies to requests."""


def _client_kwargs(http_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """What ``httpx.Client`` is built with for a caller's transport or proxy."""
    return {**httpx_kwargs(http_kwargs), "cookies": NoCookies()}


class HttpxEngine:
    """Sync requests through httpcore directly, or ``httpx.Client`` for a transport/proxy."""

    name = "httpx"

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        settings = Settings(http_kwargs)
        self._pool = (
            HttpcorePool(settings, _httpx_net_sync.connection_pool, response_watch())
            if HttpcorePool.usable(http_kwargs)
            else None
        )
        self._builder = RequestBuilder(settings)
        self._server = settings.server
        self._connect_to = (settings.host, settings.port)
        self._http_kwargs = http_kwargs
        self._http = None if self._pool else httpx.Client(**_client_kwargs(http_kwargs))
        self._pid = os.getpid()

    def send(
        self, kwargs: Mapping[str, Any], content: Any, method: str, path: str
    ) -> CoreResponse | ClientResponse:
        """Send one request; the response body is streamed (read or close it)."""
        if self._pid != os.getpid():
            self._forked()
        if self._http is not None:
            message_path = self._builder.message_path(path)
            try:
                request = self._http.build_request(**{**kwargs, "content": content})
                answer = self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                raise transport_error(exc, method, message_path, self._connect_to) from exc
            return ClientResponse(answer, method, message_path, self._server)
        assert self._pool is not None
        try:
            outgoing = self._builder.build(kwargs, content, path)
        except CORE_ERRORS as exc:
            raise transport_error(exc, method, self._builder.message_path(path)) from exc
        try:
            answer = self._pool.pool.handle_request(self._pool.core_request(outgoing))
        except CORE_ERRORS as exc:
            raise transport_error(exc, outgoing.method, outgoing.path, self._connect_to) from exc
        return CoreResponse(answer, outgoing, self._server)

    def _forked(self) -> None:
        """In a child after ``os.fork()``: an empty pool (see ``HttpcorePool.forked``). The
        inherited one is dropped untouched: closing it would take its lock, which a thread of
        the parent may have held at the fork."""
        self._pid = os.getpid()
        if self._pool is not None:
            self._pool.forked()
        if self._http is not None:
            # a proxy's pool lives in the client; a caller's transport stays the caller's
            self._http = httpx.Client(**_client_kwargs(self._http_kwargs))

    def close(self) -> None:
        """Close every pooled connection."""
        if self._pool is not None:
            self._pool.pool.close()
        if self._http is not None:
            self._http.close()


class AsyncHttpxEngine:
    """Async requests through httpcore directly, or ``httpx.AsyncClient`` for a
    transport/proxy."""

    name = "httpx"

    def __init__(self, http_kwargs: Mapping[str, Any]) -> None:
        settings = Settings(http_kwargs)
        self._pool = (
            HttpcorePool(settings, _httpx_net_async.connection_pool, response_watch())
            if HttpcorePool.usable(http_kwargs)
            else None
        )
        self._builder = RequestBuilder(settings)
        self._server = settings.server
        self._connect_to = (settings.host, settings.port)
        self._http_kwargs = http_kwargs
        self._http = None if self._pool else httpx.AsyncClient(**_client_kwargs(http_kwargs))
        self._pid = os.getpid()

    async def send(
        self, kwargs: Mapping[str, Any], content: Any, method: str, path: str
    ) -> AsyncCoreResponse | AsyncClientResponse:
        """Send one request; the response body is streamed (read or close it)."""
        if self._pid != os.getpid():
            # in a child after os.fork(): an empty pool; the inherited one belongs to the
            # parent's event loop and is dropped untouched
            self._pid = os.getpid()
            if self._pool is not None:
                self._pool.forked()
            if self._http is not None:
                self._http = httpx.AsyncClient(**_client_kwargs(self._http_kwargs))
        if self._http is not None:
            message_path = self._builder.message_path(path)
            try:
                request = self._http.build_request(**{**kwargs, "content": content})
                answer = await self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                raise transport_error(exc, method, message_path, self._connect_to) from exc
            return AsyncClientResponse(answer, method, message_path, self._server)
        assert self._pool is not None
        try:
            outgoing = self._builder.build(kwargs, content, path)
        except CORE_ERRORS as exc:
            raise transport_error(exc, method, self._builder.message_path(path)) from exc
        try:
            answer = await self._pool.pool.handle_async_request(self._pool.core_request(outgoing))
        except CORE_ERRORS as exc:
            raise transport_error(exc, outgoing.method, outgoing.path, self._connect_to) from exc
        return AsyncCoreResponse(answer, outgoing, self._server)

    async def aclose(self) -> None:
        """Close every pooled connection."""
        if self._pool is not None:
            await self._pool.pool.aclose()
        if self._http is not None:
            await self._http.aclose()
