"""Multipart upload routes (placeholder)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._auth import AuthContext
from ._errors import ApiError
from ._http import Request
from ._storage import ObjectId

if TYPE_CHECKING:
    from ._app import ObjectstoreApp


async def handle(
    app: ObjectstoreApp, req: Request, auth: AuthContext, route: str, oid: ObjectId
) -> None:
    raise ApiError(501, "service error: not implemented")
