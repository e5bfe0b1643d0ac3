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
    assert limits.max_connections >= 16
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


async def test_async_client_pool_is_small_unless_limits_are_given() -> None:
    # httpcore's async pool costs O(connections) per request, so on the httpx engine
    # AsyncClient defaults to 8; the SDK's own engine has no such cost and gets the sync size
    def pool_size(client: Client | AsyncClient) -> int:
        engine: Any = client._engine
        if engine.name == "httpx":
            return engine._wire.pool._max_connections  # type: ignore[no-any-return]
        return engine._settings.max_connections  # type: ignore[no-any-return]

    async with AsyncClient("http://h:1", engine="httpx") as small:
        assert pool_size(small) == 8
    async with AsyncClient("http://h:1") as default:
        assert pool_size(default) == 32
    async with AsyncClient(
        "http://h:1", connection_kwargs={"limits": httpx.Limits(max_connections=20)}
    ) as given:
        assert pool_size(given) == 20
    async with AsyncClient("http://h:1", connection_kwargs={"maxsize": 12}) as legacy:
        assert pool_size(legacy) == 12
    with Client("http://h:1") as sync:
        assert pool_size(sync) == 32


def test_upload_concurrency_default_follows_the_cores() -> None:
    import os

    from objectstore_client import TransferConfig

    assert TransferConfig().concurrency == max(2, min(4, os.cpu_count() or 1))
    assert TransferConfig().max_memory <= 4 * 16 * 1024 * 1024
