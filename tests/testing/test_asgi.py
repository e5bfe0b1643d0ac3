"""The ASGI app used in-process through httpx.ASGITransport (no socket, no thread)."""

from __future__ import annotations

import httpx

from objectstore_client.testing import FakeClock, ObjectstoreApp


async def test_asgi_transport_round_trip() -> None:
    clock = FakeClock()
    app = ObjectstoreApp(clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://objectstore") as client:
        put = await client.put(
            "/v1/objects/u/org=1/a%2Fb", content=b"hi", headers={"x-sn-expiration": "ttl:1m"}
        )
        assert put.json() == {"key": "a/b"}
        got = await client.get("/v1/objects/u/org=1/a/b")
        assert got.content == b"hi"
        assert got.headers["x-sn-expiration"] == "ttl:1m"
        clock.advance(61)
        assert (await client.get("/v1/objects/u/org=1/a/b")).status_code == 404
    app.close()
