"""uvicorn's h11 protocol, with the framing headers h11 adds written in lower case.

h11 title-cases the ``Transfer-Encoding``/``Content-Length``/``Connection`` headers it sets
itself; the real server (hyper) emits every header name in lower case, and some clients
compare names case-sensitively. Only this server's connections are affected.
"""

from __future__ import annotations

import re
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["LowerCaseH11Protocol"]

_FRAMING = re.compile(rb"\r\n(Transfer-Encoding|Content-Length|Connection):")


class _LowerCaseConnection:
    def __init__(self, inner: h11.Connection) -> None:
        self._inner = inner

    def send(self, event: Any) -> bytes | None:
        data: bytes | None = self._inner.send(event)
        if data and isinstance(event, h11.Response):
            end = data.find(b"\r\n\r\n")
            head = _FRAMING.sub(lambda m: b"\r\n" + m.group(1).lower() + b":", data[:end])
            data = head + data[end:]
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class LowerCaseH11Protocol(H11Protocol):
    """Drop-in replacement for uvicorn's ``H11Protocol`` (``Config(http=...)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conn = _LowerCaseConnection(self.conn)  # type: ignore[assignment]
