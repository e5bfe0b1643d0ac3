"""A typed tour of the public API; ``mypy --strict`` must accept it (not collected by pytest)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx

from objectstore_client import (
    AsyncClient,
    AsyncGetResponse,
    Client,
    ConnectError,
    GetResponse,
    Metadata,
    MetricsBackend,
    NoOpMetricsBackend,
    ObjectstoreError,
    Permission,
    RequestError,
    RequestTimeout,
    SecretKey,
    TimeToIdle,
    TimeToLive,
    Usecase,
    guess_mime_type,
    parse_accept_encoding,
)
from objectstore_client.auth import TokenGenerator, TokenProvider
from objectstore_client.client import RequestError as CompatRequestError
from objectstore_client.metrics import Tags
from objectstore_client.scope import Scope


class StatsdBackend:
    def increment(self, name: str, value: int | float = 1, tags: Tags | None = None) -> None:
        pass

    def gauge(self, name: str, value: int | float, tags: Tags | None = None) -> None:
        pass

    def distribution(
        self, name: str, value: int | float, tags: Tags | None = None, unit: str | None = None
    ) -> None:
        pass


def chunks() -> Iterator[bytes]:
    yield b"a"
    yield b"b"


def sync_usage(url: str, pem: str) -> None:
    backend: MetricsBackend = StatsdBackend()
    key: TokenProvider = SecretKey(
        "kid", pem, expiry_seconds=30, permissions=[Permission.OBJECT_READ]
    )
    legacy = TokenGenerator("kid", pem)
    token: str = legacy.sign_for_scope("attachments", Scope(org=1))
    usecase = Usecase("attachments", expiration_policy=TimeToIdle(timedelta(days=30)))
    with Client(
        url,
        metrics_backend=backend,
        retries=0,
        timeout_ms=5000,
        connection_kwargs={"limits": httpx.Limits(max_connections=8)},
        token=key,
    ) as client:
        session = client.session(usecase, org=42, project=1337, flag=True)
        stored: str = session.put(b"bytes", key="k", content_type="text/plain", metadata={"a": "b"})
        session.put(io.BytesIO(b"file"), compression="none", origin="1.2.3.4", filename="f.txt")
        session.put(Path("/dev/null"), expiration_policy=TimeToLive(timedelta(hours=1)))
        session.put(chunks())
        result: GetResponse | None = session.get(stored, decompress=False, accept_encoding=["zstd"])
        if result is not None:
            metadata, payload = result
            with payload:
                data: bytes = payload.read()
                for chunk in payload:
                    data += chunk
            compression = metadata.compression
            assert compression in ("zstd", None)
        head: Metadata | None = session.head(stored)
        assert head is None or isinstance(head.custom, dict)
        session.delete(stored)
        url_with_token: str = session.object_url(stored, token_validity=timedelta(minutes=5))
        minted: str = session.mint_token(permissions=[Permission.OBJECT_READ], expiry_seconds=60)
        print(url_with_token, minted, token)
    Client(url, NoOpMetricsBackend(), False, None, None, None, "static-token").close()
    mime: str | None = guess_mime_type(b"%PDF-1.7")
    encodings: list[str] = parse_accept_encoding("zstd, gzip;q=0")
    print(mime, encodings)


async def achunks() -> AsyncIterator[bytes]:
    yield b"a"


async def async_usage(url: str) -> None:
    async with AsyncClient(url, retries=2) as client:
        session = client.session(Usecase("attachments"), org=1)
        key: str = await session.put(achunks(), key="k")
        result: AsyncGetResponse | None = await session.get(key)
        if result is not None:
            async with result.payload as payload:
                first: bytes = await payload.read(10)
                async for chunk in payload:
                    first += chunk
        try:
            await session.delete(key)
        except RequestError as exc:
            status: int = exc.status
            body: str = exc.response
            print(status, body)
        except (ConnectError, RequestTimeout):
            pass
        except ObjectstoreError:
            pass
    assert CompatRequestError is RequestError


if __name__ == "__main__":
    asyncio.run(async_usage("http://127.0.0.1:8888"))
