"""``RetryPolicy(on_retry=...)`` hears of every retry before its wait, over real HTTP."""

from __future__ import annotations

import socket

import pytest

from objectstore_client import AsyncClient, Client, ConnectError, RetryNotice, RetryPolicy, Usecase
from objectstore_client.testing.faults import FaultProxy, Status


def test_each_retry_of_a_503_burst_is_told_with_its_delay(objectstore_url: str) -> None:
    notices: list[RetryNotice] = []
    policy = RetryPolicy(3, initial_delay=0.01, on_retry=notices.append)
    with FaultProxy(objectstore_url) as proxy, Client(proxy.url, retries=policy) as client:
        proxy.inject(Status(503, retry_after=0.05), method="PUT", times=2)
        session = client.session(Usecase("attachments"), org=1)
        session.put(b"x", key="noticed")
    assert [(n.method, n.retry, n.max_retries, n.reason) for n in notices] == [
        ("PUT", 1, 3, "status 503"),
        ("PUT", 2, 3, "status 503"),
    ]
    assert all(n.path == "/v1/objects/attachments/org=1/noticed" for n in notices)
    assert all(n.delay == 0.05 and n.error is None for n in notices)  # the Retry-After


async def test_refused_connections_are_told_until_the_policy_gives_up() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    notices: list[RetryNotice] = []
    policy = RetryPolicy(2, initial_delay=0.01, on_retry=notices.append)
    async with AsyncClient(f"http://127.0.0.1:{port}", retries=policy) as client:
        with pytest.raises(ConnectError):
            await client.session(Usecase("attachments"), org=1).head("k")
    assert [n.retry for n in notices] == [1, 2]
    assert all(n.method == "HEAD" and n.reason == "ConnectError" for n in notices)
    assert all(isinstance(n.error, ConnectError) and f":{port}" in str(n.error) for n in notices)
    assert all(0 < n.delay <= 0.02 for n in notices)


def test_policies_compare_without_their_callback() -> None:
    assert RetryPolicy(on_retry=print) == RetryPolicy()
    assert "on_retry" not in repr(RetryPolicy(on_retry=print))
