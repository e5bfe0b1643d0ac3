import ssl
from typing import Any

import httpx
import pytest

from objectstore_client import AsyncClient, Client, InvalidInput
from objectstore_client._config import build_config


def test_defaults_match_upstream_without_the_write_trap() -> None:
    config = build_config("http://h:1", retries=None, timeout_ms=None, connection_kwargs=None)
    timeout = config.httpx_kwargs["timeout"]
    # issue 9: finite read (inactivity), write and pool timeouts; retries within a deadline
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (0.1, 60, 60, 30)
    assert config.retry.max_retries == 10
    assert config.retry.deadline == 10
    limits = config.httpx_kwargs["limits"]
    # the pool grows while every connection is busy (a streamed copy must not wait on itself)
    assert limits.max_connections is None and limits.max_keepalive_connections == 32
    config = build_config("http://h:1", retries=0, timeout_ms=2500, connection_kwargs=None)
    assert config.retry.max_retries == 0
    assert config.httpx_kwargs["timeout"].read == 2.5
    assert config.httpx_kwargs["timeout"].write == 60


def test_connection_kwargs_mapping() -> None:
    context = ssl.create_default_context()
    config = build_config(
        "https://h",
        retries=None,
        timeout_ms=None,
        connection_kwargs={
            "headers": {"X-Extra": "1", "user-agent": "mine"},
            "verify": context,
            "limits": httpx.Limits(max_connections=3),
            "timeout": httpx.Timeout(5.0),
            "proxy": "http://proxy:3128",
            "retries": 7,
        },
    )
    kwargs = config.httpx_kwargs
    assert kwargs["headers"]["x-extra"] == "1"
    assert kwargs["headers"]["User-Agent"] == "mine"
    assert kwargs["verify"] is context
    assert kwargs["limits"].max_connections == 3
    assert kwargs["timeout"] == httpx.Timeout(5.0)
    assert kwargs["proxy"] == "http://proxy:3128"
    assert config.retry.max_retries == 7
    legacy = build_config(
        "http://h",
        retries=None,
        timeout_ms=None,
        connection_kwargs={"maxsize": 4, "cert_reqs": "CERT_NONE", "block": True},
    )
    assert legacy.httpx_kwargs["limits"].max_connections == 4
    assert legacy.httpx_kwargs["verify"] is False


def test_unknown_connection_kwargs_are_rejected() -> None:
    with pytest.raises(InvalidInput, match=r"unknown connection_kwargs pool_size.*supported keys"):
        Client("http://h", connection_kwargs={"pool_size": 3})


@pytest.mark.parametrize("url", ["", "ftp://h", "h:1", "http://h/?q=1"])
def test_bad_base_urls(url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        Client(url)


def test_transport_kind_is_checked() -> None:
    with pytest.raises(InvalidInput, match="AsyncBaseTransport"):
        AsyncClient("http://h", connection_kwargs={"transport": httpx.HTTPTransport()})
    with pytest.raises(InvalidInput, match="BaseTransport"):
        Client("http://h", connection_kwargs={"transport": httpx.AsyncHTTPTransport()})
    with pytest.raises(InvalidInput, match="token"):
        Client("http://h", token=42)  # type: ignore[arg-type]


async def test_pool_caps_only_where_asked() -> None:
    # httpcore's async pool costs O(connections) per request, so on the httpx engine
    # AsyncClient is capped at 8; elsewhere the pool keeps 32 and opens more while all are busy
    def pool(client: Client | AsyncClient) -> tuple[int | None, int | None]:
        engine: Any = client._engine
        if engine.name == "httpx":
            pool = engine._pool.pool
            return pool._max_connections, pool._max_keepalive_connections
        settings = engine._settings
        return settings.max_connections, settings.max_keepalive

    async with AsyncClient("http://h:1", engine="httpx") as small:
        assert pool(small) == (8, 8)
    async with AsyncClient("http://h:1") as default:
        assert pool(default) == (None, 32)
    async with AsyncClient(
        "http://h:1", connection_kwargs={"limits": httpx.Limits(max_connections=20)}
    ) as given:
        assert pool(given) == (20, 20)
    async with AsyncClient("http://h:1", connection_kwargs={"maxsize": 12}) as legacy:
        assert pool(legacy) == (None, 12)  # urllib3's block=False: keeps 12, opens more
    async with AsyncClient("http://h:1", connection_kwargs={"maxsize": 12, "block": True}) as cap:
        assert pool(cap) == (12, 12)
    with Client("http://h:1") as sync:
        assert pool(sync) == (None, 32)
    with Client("http://h:1", engine="httpx") as sync_httpx:
        assert pool(sync_httpx)[1] == 32
    for bad in ({"maxsize": 0}, {"maxsize": True}, {"maxsize": 2, "block": "yes"}):
        with pytest.raises(InvalidInput, match=r"maxsize|block"):
            Client("http://h:1", connection_kwargs=bad)


def test_upload_concurrency_default_follows_the_cores() -> None:
    import os

    from objectstore_client import TransferConfig

    assert TransferConfig().concurrency == max(2, min(4, os.cpu_count() or 1))
    assert TransferConfig().max_memory <= 4 * 16 * 1024 * 1024
