"""What to do about an error: the cause and the fix, for mistakes a status code alone hides.

- A wrong base URL: Objectstore answers 404 with an empty body both for a missing object and
  for a path it does not serve (``/nope/v1/objects/...``), so ``get``/``head`` would return
  None for every key. After a 404, the flows ask the server's ``/health`` below the base URL
  once per client (:class:`ServerCheck`); when that is 404 too, the base URL is wrong.
- A missing token: the server refuses a request without one with 400 (HEAD: no body at all).
- A refused token (401) or missing permission (403).
- An unreachable host: the connection error names host and port.
"""

from __future__ import annotations

import attrs

from .._exceptions import RequestError

__all__ = ["ServerCheck", "WrongBaseURL", "auth_hint", "connect_hint", "wrong_base_url"]


@attrs.define
class ServerCheck:
    """Whether the base URL was seen to lead to an Objectstore server (per client)."""

    confirmed: bool = False


class WrongBaseURL(RequestError):
    """A 404 from a base URL that does not serve Objectstore's ``/health`` either."""


def wrong_base_url(method: str, path: str, base_url: str, health_status: int) -> WrongBaseURL:
    """The error for a 404 whose base URL does not serve Objectstore's ``/health`` either."""
    return WrongBaseURL(
        f"Objectstore request {method} {path} failed with status 404, and GET "
        f"{base_url}/health answered {health_status}: the base URL {base_url!r} does not "
        "lead to an Objectstore server, so every object would look missing. Pass the URL "
        "under which the server answers /health and /v1/... to Client(...) or AsyncClient(...) "
        "(for example 'http://localhost:8888', with a path only if a proxy adds one)",
        404,
        "",
        method=method,
        path=path,
    )


def auth_hint(status: int, body: bytes, has_token: bool) -> str | None:
    """How to fix an authentication or permission failure, or None for other errors."""
    text = body.decode("utf-8", errors="replace").lower()
    # without a token the server answers 400 "auth error: bad request: No authorization token
    # provided"; a HEAD answer has no body to say so
    if status == 400 and not has_token and (not text.strip() or "auth error" in text):
        return (
            "the server requires authentication and no token was given: pass token= to "
            "Client(...) or AsyncClient(...), either a SecretKey(kid, private_key_pem) that "
            "signs tokens or a token string"
        )
    if status == 401:
        if not has_token:
            return (
                "the server requires authentication and no token was given: pass token= to "
                "Client(...) or AsyncClient(...)"
            )
        return (
            "the server refused the token: check that it trusts the key id (kid) and key that "
            "signed it, that the token has not expired, and that it was made for this usecase "
            "and these scopes"
        )
    if status == 403:
        return (
            "the token lacks a permission for this request (object.read, object.write or "
            "object.delete), or the usecase is disabled on the server"
        )
    return None


def connect_hint(host: str, port: int | None) -> str:
    """Appended to connection errors: where the SDK tried to connect, and what to check."""
    where = f"{host}:{port}" if port is not None else host
    return (
        f"could not connect to {where}: is the Objectstore server running there, and is the "
        "base URL given to the client right?"
    )
