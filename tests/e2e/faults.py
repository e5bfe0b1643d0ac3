"""Fault injection on the client side: real HTTP transports that answer some requests with a
canned response instead of sending them (the local server needs no fault hooks)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx

#: ``rule(request, n)`` gets each request and how many requests matched its (method, path)
#: so far (1 for the first); it returns a response to inject, or None to send for real.
Rule = Callable[[httpx.Request, int], "httpx.Response | None"]


class Faults:
    """Counts requests and decides which ones fail; keeps a log of (method, url) sent."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.log: list[tuple[str, str]] = []
        self._seen: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def check(self, request: httpx.Request) -> httpx.Response | None:
        with self._lock:
            self.log.append((request.method, str(request.url)))
            ident = (request.method, str(request.url))
            self._seen[ident] = self._seen.get(ident, 0) + 1
            count = self._seen[ident]
        return self.rule(request, count)


class _SyncFlaky(httpx.HTTPTransport):
    def __init__(self, faults: Faults) -> None:
        super().__init__()
        self.faults = faults

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        injected = self.faults.check(request)
        if injected is not None:
            request.read()
            return injected
        return super().handle_request(request)


class _AsyncFlaky(httpx.AsyncHTTPTransport):
    def __init__(self, faults: Faults) -> None:
        super().__init__()
        self.faults = faults

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        injected = self.faults.check(request)
        if injected is not None:
            await request.aread()
            return injected
        return await super().handle_async_request(request)


def flaky_transport(kind: str, faults: Faults) -> Any:
    """A real transport for ``kind`` ("sync"/"async") with ``faults`` applied."""
    return _SyncFlaky(faults) if kind == "sync" else _AsyncFlaky(faults)


def part_number(request: httpx.Request) -> int | None:
    """The part number of a part upload request, else None."""
    if request.method != "PUT" or "objects:multipart:parts" not in request.url.path:
        return None
    value = request.url.params.get("part_number")
    return int(value) if value else None
