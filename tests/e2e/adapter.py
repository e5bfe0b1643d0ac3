"""One test body for both drivers: awaitable adapters over Client and AsyncClient."""

from __future__ import annotations

import inspect
from typing import Any

from objectstore_client import AsyncClient, Client, Metadata, Usecase


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class PayloadAdapter:
    """``await payload.read()`` whatever the driver."""

    def __init__(self, payload: Any) -> None:
        self.raw = payload

    async def read(self, size: int = -1) -> bytes:
        data: bytes = await _maybe(self.raw.read(size))
        return data

    async def chunks(self) -> list[bytes]:
        if hasattr(self.raw, "__aiter__"):
            return [chunk async for chunk in self.raw]
        return list(self.raw)

    async def close(self) -> None:
        await _maybe(self.raw.aclose() if hasattr(self.raw, "aclose") else self.raw.close())


class SessionAdapter:
    """The session API with every network method awaitable."""

    def __init__(self, session: Any) -> None:
        self.raw = session

    async def put(self, contents: Any, *args: Any, **kwargs: Any) -> str:
        key: str = await _maybe(self.raw.put(contents, *args, **kwargs))
        return key

    async def get(self, key: str, **kwargs: Any) -> tuple[Metadata, PayloadAdapter] | None:
        result = await _maybe(self.raw.get(key, **kwargs))
        if result is None:
            return None
        metadata, payload = result
        return metadata, PayloadAdapter(payload)

    async def get_bytes(self, key: str, **kwargs: Any) -> tuple[Metadata, bytes] | None:
        result = await self.get(key, **kwargs)
        if result is None:
            return None
        return result[0], await result[1].read()

    async def head(self, key: str) -> Metadata | None:
        metadata: Metadata | None = await _maybe(self.raw.head(key))
        return metadata

    async def delete(self, key: str) -> None:
        await _maybe(self.raw.delete(key))

    def object_url(self, *args: Any, **kwargs: Any) -> str:
        url: str = self.raw.object_url(*args, **kwargs)
        return url

    def mint_token(self, *args: Any, **kwargs: Any) -> str:
        token: str = self.raw.mint_token(*args, **kwargs)
        return token

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Any session method, awaited when the driver is async."""
        return await _maybe(getattr(self.raw, name)(*args, **kwargs))

    async def initiate(self, **kwargs: Any) -> UploadAdapter:
        return UploadAdapter(await _maybe(self.raw.initiate_multipart_upload(**kwargs)))

    def resume(self, key: str, upload_id: str) -> UploadAdapter:
        return UploadAdapter(self.raw.resume_multipart_upload(key, upload_id))


class UploadAdapter:
    """A MultipartUpload or AsyncMultipartUpload with awaitable methods."""

    def __init__(self, upload: Any) -> None:
        self.raw = upload
        self.key: str = upload.key
        self.upload_id: str = upload.upload_id

    async def put_part(self, contents: Any, **kwargs: Any) -> Any:
        return await _maybe(self.raw.put_part(contents, **kwargs))

    async def list_parts(self) -> Any:
        return await _maybe(self.raw.list_parts())

    async def abort(self) -> None:
        await _maybe(self.raw.abort())

    async def complete(self, parts: Any) -> str:
        key: str = await _maybe(self.raw.complete(parts))
        return key


class ClientAdapter:
    """Wraps a Client or AsyncClient; ``kind`` is ``"sync"`` or ``"async"``.

    ``engine`` is the HTTP engine under test (set per test by the ``kind`` fixture); a
    client given a transport or proxy keeps ``"auto"``, which then means httpx.
    """

    engine = "auto"

    def __init__(self, kind: str, url: str, **kwargs: Any) -> None:
        self.kind = kind
        options = kwargs.get("connection_kwargs") or {}
        if "transport" not in options and "proxy" not in options:
            kwargs.setdefault("engine", self.engine)
        self.raw: Client | AsyncClient = (Client if kind == "sync" else AsyncClient)(url, **kwargs)

    @property
    def is_async(self) -> bool:
        return self.kind == "async"

    def session(self, usecase: Usecase | str = "attachments", **scopes: Any) -> SessionAdapter:
        if isinstance(usecase, str):
            usecase = Usecase(usecase)
        return SessionAdapter(self.raw.session(usecase, **scopes))

    def set_sleep(self, sleep: Any) -> None:
        """Replace the driver's sleep (records delays instead of waiting)."""
        if self.is_async:

            async def _sleep(seconds: float) -> None:
                sleep(seconds)

            self.raw._sleep = _sleep  # type: ignore[assignment]
        else:
            self.raw._sleep = sleep

    async def close(self) -> None:
        await _maybe(self.raw.close())
