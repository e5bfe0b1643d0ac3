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


def _httpx_parsed(text: str) -> tuple[Any, ...] | None:
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL:
        return None
    if url.query or url.fragment:
        return None
    return (url.scheme, url.host, url.port, url.raw_path, url.netloc, str(url))


def test_base_urls_parsed_without_httpx_read_as_httpx_reads_them() -> None:
    """The base URL parser of the default engine agrees with httpx.URL wherever it answers
    itself (other spellings go to httpx): random URLs from the characters that matter."""
    import random

    from objectstore_client._config import _plain_url

    rnd = random.Random(19)
    hosts = ["h", "H", "127.0.0.1", "256.1.1.1", "1.2.3", "[::1]", "[::FFFF:1.2.3.4]", "[0:0::1]"]
    hosts += ["a.b-c", "Local.Host", "a-", "a..b", "xn--abc.de", "ex_ample", "[::1", "[::80]"]
    hosts += ["[FE80::A]"]
    ports = ["", ":80", ":443", ":1", ":8888", ":65535", ":65536", ":08", ":0", ":"]
    pieces = [*"aZ09.-_~:@!$&'()*+,;=%[]?# é/", "%2e", "%2F", "%zz", "/./", "/../", "/."]
    answered = 0
    for _ in range(20_000):
        path = "/" + "".join(rnd.choice(pieces) for _ in range(rnd.randrange(6)))
        text = (
            rnd.choice(["http", "https", "HTTP", "Https", "ftp"])
            + "://"
            + rnd.choice(hosts)
            + rnd.choice(ports)
            + rnd.choice(["", path])
        )
        url = _plain_url(text)
        if url is None:
            continue
        answered += 1
        parsed = (url.scheme, url.host, url.port, url.raw_path, url.netloc, str(url))
        assert parsed == _httpx_parsed(text), text
    assert answered > 1_000  # the common spellings are answered without httpx


@pytest.mark.parametrize(
    "extra",
    [
        {"X-Extra": "1", "user-agent": "mine"},
        [("X-A", "1"), ("x-a", "2"), ("Accept-Encoding", "gzip")],
        (("X-B", "v"),),
    ],
)
def test_plain_headers_merge_as_httpx_merged_them(extra: Any) -> None:
    from objectstore_client._config import USER_AGENT

    config = build_config("http://h", retries=None, timeout_ms=None, connection_kwargs={})
    expected = httpx.Headers({"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    expected.update(httpx.Headers(extra).multi_items())
    configured = build_config(
        "http://h", retries=None, timeout_ms=None, connection_kwargs={"headers": extra}
    )
    sent = [(k.encode(), v.encode()) for k, v in configured.http_kwargs["headers"]]
    assert sent == expected.raw
    assert config.http_kwargs["headers"][0] == ("User-Agent", USER_AGENT)


def test_plain_timeouts_and_limits_read_as_httpx_reads_them() -> None:
    for value in (5, 2.5, None):
        config = build_config(
            "http://h", retries=None, timeout_ms=None, connection_kwargs={"timeout": value}
        )
        assert config.httpx_kwargs["timeout"] == httpx.Timeout(value)
    config = build_config(
        "http://h",
        retries=None,
        timeout_ms=None,
        connection_kwargs={"limits": httpx.Limits(max_connections=3, keepalive_expiry=9)},
    )
    assert config.httpx_kwargs["limits"] == httpx.Limits(max_connections=3, keepalive_expiry=9)
