"""The pytest plugin's fixtures (registered through the ``pytest11`` entry point)."""

from __future__ import annotations

import httpx

from objectstore_client.testing import FakeClock, LocalObjectstore
from objectstore_client.testing.plugin import ServerFactory


def test_session_server_and_url(objectstore_server: LocalObjectstore, objectstore_url: str) -> None:
    assert objectstore_url == objectstore_server.url
    assert httpx.get(objectstore_url + "/health").text == "OK"


def test_isolated_server_is_fresh(objectstore_isolated_server: LocalObjectstore) -> None:
    url = objectstore_isolated_server.url + "/v1/objects/u/_/only-here"
    assert httpx.get(url).status_code == 404
    httpx.put(url, content=b"x")


def test_isolated_server_is_fresh_again(objectstore_isolated_server: LocalObjectstore) -> None:
    assert (
        httpx.get(objectstore_isolated_server.url + "/v1/objects/u/_/only-here").status_code == 404
    )


def test_factory_with_fake_clock(
    objectstore_server_factory: ServerFactory, objectstore_fake_clock: FakeClock
) -> None:
    server = objectstore_server_factory(clock=objectstore_fake_clock, storage="memory")
    url = server.url + "/v1/objects/u/_/k"
    httpx.put(url, content=b"x", headers={"x-sn-expiration": "ttl:1m"})
    objectstore_fake_clock.advance(61)
    assert httpx.get(url).status_code == 404
