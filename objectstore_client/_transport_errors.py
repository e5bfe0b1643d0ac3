"""An engine's transport failure as the SDK's TransportError, naming the request it broke: the
method and the path as sent (with the base URL's prefix) and, for connection failures, where
the client tried to connect."""

from __future__ import annotations

from typing import cast

import httpx

from ._core import flows
from ._core.guidance import connect_hint
from ._core.urls import BaseUrl
from ._exceptions import TransportError, map_transport_error
from ._pool import origin

__all__ = ["transport_error"]


def transport_error(
    url: BaseUrl, effect: flows.Effect, exc: httpx.TransportError
) -> TransportError:
    """The TransportError for ``exc``, raised while the driver performed ``effect``."""
    if isinstance(effect, flows.Send):
        # the path as sent, with the base URL's prefix; where to, for connection failures
        method, path = effect.plan.method, url.path(effect.plan.path)
    elif isinstance(effect, (flows.ReadBody, flows.Close)):  # reading a small body
        method, path = origin(cast("httpx.Response", effect.response))
    else:  # pragma: no cover - no other effect does I/O
        method, path = "?", url.path("/")
    hint = None
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
        hint = connect_hint(url.host, url.port)
    error = map_transport_error(exc, method, path, hint=hint)
    error.__cause__ = exc
    return error
