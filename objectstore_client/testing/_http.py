"""Minimal ASGI plumbing: response helpers and request body streaming."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from ._errors import ApiError, EmptyError, TextError

__all__ = [
    "ClientDisconnected",
    "Receive",
    "Request",
    "Scope",
    "Send",
    "SERVER_HEADER",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

SERVER_HEADER = (b"server", b"objectstore/0.1.0")
JSON = (b"content-type", b"application/json")
TEXT = (b"content-type", b"text/plain; charset=utf-8")


class ClientDisconnected(Exception):
    """The client went away while we were reading its body."""


@dataclass
class Request:
    """One HTTP request as the handlers see it."""

    method: str
    raw_path: bytes
    raw_query: bytes
    headers: Headers
    receive: Receive
    send: Send
    started: bool = False
    _single: dict[bytes, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, value in self.headers:
            self._single[name.lower()] = value  # last one wins, like the server's iteration

    def header(self, name: bytes) -> bytes | None:
        return self._single.get(name)

    def header_map(self) -> dict[bytes, bytes]:
        """Lower-case header names to their last value."""
        return self._single

    # -- body -----------------------------------------------------------------------------

    async def stream(self) -> AsyncIterator[bytes]:
        """The request body chunk by chunk; raises :class:`ClientDisconnected`."""
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected()
            chunk = message.get("body", b"")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return

    async def read(self, limit: int | None = None) -> bytes | None:
        """The whole body, or ``None`` if it is longer than ``limit``."""
        parts: list[bytes] = []
        size = 0
        async for chunk in self.stream():
            size += len(chunk)
            if limit is not None and size > limit:
                return None
            parts.append(chunk)
        return b"".join(parts)

    # -- responses ------------------------------------------------------------------------

    async def start(self, status: int, headers: Headers) -> None:
        self.started = True
        await self.send(
            {"type": "http.response.start", "status": status, "headers": [SERVER_HEADER, *headers]}
        )

    async def body(self, data: bytes, more: bool = False) -> None:
        await self.send({"type": "http.response.body", "body": data, "more_body": more})

    async def respond(self, status: int, headers: Headers, body: bytes = b"") -> None:
        """A complete response with a ``content-length`` (none for 204)."""
        if status not in (204, 304) and not (100 <= status < 200):
            headers = [*headers, (b"content-length", str(len(body)).encode())]
        await self.start(status, headers)
        await self.body(b"" if self.method == "HEAD" else body)

    async def json(self, status: int, doc: object) -> None:
        await self.respond(status, [JSON], json.dumps(doc, separators=(",", ":")).encode())

    async def empty(self, status: int, headers: Headers | None = None) -> None:
        await self.respond(status, headers or [])

    async def error(self, exc: ApiError | TextError | EmptyError) -> None:
        if isinstance(exc, ApiError):
            await self.respond(exc.status, [JSON], exc.body())
        elif isinstance(exc, TextError):
            await self.respond(exc.status, [TEXT], exc.text.encode())
        else:
            await self.respond(exc.status, exc.headers)
