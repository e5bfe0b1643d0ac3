"""Driver behaviour with scripted answers: retries, errors, headers; sync and async, on the
httpx engine (MockTransport) and on the default httptools engine (the same handler served over
loopback sockets, tests/unit/served.py)."""

from __future__ import annotations

import io
import json
import socket
import sys
import types
from collections.abc import Iterator

import httpx
import pytest
import zstandard

from objectstore_client import (
    ConnectError,
    ObjectstoreError,
    RequestError,
    RequestTimeout,
    TransportError,
)
from tests.e2e.adapter import ClientAdapter
from tests.unit.conftest import MockFactory


def _stored(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"key": request.url.path.rsplit("/", 1)[-1]})


async def test_retries_idempotent_requests_on_503_with_backoff(driver_client: MockFactory) -> None:
    calls: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.read())
        return httpx.Response(503) if len(calls) < 3 else _stored(request)

    client = driver_client(handler)
    key = await client.session().put(b"payload", key="k", compress="none")
    assert key == "k"
    assert calls == [b"payload"] * 3
    assert len(client.sleeps) == 2  # type: ignore[attr-defined]
    assert client.sleeps[0] < client.sleeps[1]  # type: ignore[attr-defined]


async def test_compressed_file_body_is_replayed_from_the_start(driver_client: MockFactory) -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(zstandard.ZstdDecompressor().decompressobj().decompress(request.read()))
        return httpx.Response(502) if len(bodies) == 1 else _stored(request)

    source = io.BytesIO(b"skip" + b"x" * 3_000_000)
    source.seek(4)
    await driver_client(handler).session().put(source, key="k")
    assert bodies == [b"x" * 3_000_000] * 2


async def test_post_is_never_replayed(driver_client: MockFactory) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503, text="busy")

    with pytest.raises(RequestError) as info:
        await driver_client(handler).session().put(b"x")
    assert calls == ["POST"]
    assert info.value.status == 503
    assert info.value.response == "busy"
    assert "POST /v1/objects/attachments/_/" in str(info.value)


async def test_streamed_iterator_put_is_not_replayed(driver_client: MockFactory) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.read())
        return httpx.Response(503)

    def chunks() -> Iterator[bytes]:
        yield b"a"
        yield b"b"

    with pytest.raises(RequestError):
        await driver_client(handler).session().put(chunks(), key="k", compress="none")
    assert calls == [b"ab"]


async def test_connect_errors_are_retried_then_typed(driver_client: MockFactory) -> None:
    driver_client.mock_only()  # type: ignore[attr-defined]
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("refused", request=request)

    client = driver_client(handler, retries=2)
    with pytest.raises(ConnectError) as info:
        await client.session().put(b"x")  # even a POST: nothing was sent
    assert len(calls) == 3
    assert isinstance(info.value, TransportError)
    assert isinstance(info.value, ObjectstoreError)
    assert "POST /v1/objects/attachments/_/" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ConnectError)


async def test_retries_zero_means_none(driver_client: MockFactory) -> None:
    driver_client.mock_only()  # type: ignore[attr-defined]
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ConnectError):
        await driver_client(handler, retries=0).session().get("k")
    assert len(calls) == 1


async def test_read_timeouts_and_resets(driver_client: MockFactory) -> None:
    driver_client.mock_only()  # type: ignore[attr-defined]
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if request.method == "GET":
            raise httpx.ReadTimeout("slow", request=request)
        raise httpx.RemoteProtocolError("reset", request=request)

    client = driver_client(handler, retries=1)
    with pytest.raises(RequestTimeout):
        await client.session().get("k")
    with pytest.raises(TransportError):
        await client.session().put(b"x")
    assert calls == ["GET", "GET", "POST"]


async def test_request_headers_and_encoding(driver_client: MockFactory) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        request.read()
        return _stored(request)

    session = driver_client(handler, token="static-token").session("attachments", org=1, p="x")
    await session.put(
        b"data",
        key="a b/100%/ü?#",
        content_type="text/plain",
        metadata={"Foo": "bar"},
        origin="10.0.0.1",
        filename="",
        compress="none",
    )
    request = seen[0]
    assert request.url.raw_path == b"/v1/objects/attachments/org=1;p=x/a%20b/100%25/%C3%BC%3F%23"
    assert request.headers["x-os-auth"] == "Bearer static-token"
    assert request.headers["content-type"] == "text/plain"
    assert request.headers["x-snme-Foo"] == "bar"
    assert request.headers["x-sn-origin"] == "10.0.0.1"
    assert request.headers["x-sn-filename"] == ""
    assert "content-encoding" not in request.headers
    assert "x-sn-expiration" not in request.headers
    assert request.headers["accept-encoding"] == "identity"
    assert request.headers["user-agent"].startswith("objectstore-client/")
    assert request.headers["content-length"] == "4"


async def test_get_404_is_none_and_errors_raise(driver_client: MockFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/missing"):
            return httpx.Response(404)
        return httpx.Response(403, json={"detail": "auth error: operation not allowed"})

    session = driver_client(handler).session()
    assert await session.get("missing") is None
    assert await session.head("missing") is None
    with pytest.raises(RequestError) as info:
        await session.delete("other")
    assert info.value.status == 403
    assert "DELETE /v1/objects/attachments/_/other" in str(info.value)
    assert json.loads(info.value.response)["detail"].startswith("auth error")


async def test_unknown_stored_encoding_cannot_be_decompressed(driver_client: MockFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": "gzip"}, content=b"\x1f\x8b")

    session = driver_client(handler).session()
    with pytest.raises(NotImplementedError):
        await session.get("k")
    result = await session.get_bytes("k", decompress=False)
    assert result is not None
    assert str(result[0].compression) == "gzip"


async def test_metrics_are_recorded(driver_client: MockFactory) -> None:
    records: list[tuple[str, float, dict[str, str], str | None]] = []

    class Recorder:
        def increment(self, name: str, value: float = 1, tags: object = None) -> None: ...
        def gauge(self, name: str, value: float, tags: object = None) -> None: ...
        def distribution(
            self,
            name: str,
            value: float,
            tags: dict[str, str] | None = None,
            unit: str | None = None,
        ) -> None:
            records.append((name, value, dict(tags or {}), unit))

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        if request.method == "DELETE":
            return httpx.Response(500)
        return _stored(request)

    session = driver_client(handler, metrics_backend=Recorder()).session("files")
    await session.put(b"a" * 100_000, key="k")
    with pytest.raises(RequestError):
        await session.delete("k")
    names = {name for name, *_ in records}
    assert {
        "storage.put.latency",
        "storage.put.size",
        "storage.put.compression_ratio",
        "storage.put.throughput",
        "storage.delete.latency",
    } <= names
    sizes = {
        tags["compression"]: value for name, value, tags, _ in records if name.endswith(".size")
    }
    assert sizes["none"] == 100_000
    assert 0 < sizes["zstd"] < 1000
    assert all(tags["usecase"] == "files" for _, _, tags, _ in records)
    assert [unit for name, _, _, unit in records if name.endswith(".size")] == ["byte", "byte"]


async def test_base_url_prefix_and_ipv6(driver_client: MockFactory) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404)

    for base, expected, url in (
        (
            "http://objectstore.test/api/prefix",
            "http://objectstore.test/api/prefix/v1/",
            "http://objectstore.test:80/api/prefix/v1/",
        ),
        (
            "https://objectstore.test/api/prefix/",
            "https://objectstore.test/api/prefix/v1/",
            "https://objectstore.test:443/api/prefix/v1/",
        ),
        ("http://[::1]:8888", "http://[::1]:8888/v1/", "http://[::1]:8888/v1/"),
    ):
        client = driver_client(handler, base_url=base)
        assert await client.session().get("k") is None
        prefix = httpx.URL(expected).raw_path  # the path as sent, on every engine
        assert seen[-1].url.raw_path == prefix + b"objects/attachments/_/k"
        if driver_client.engine == "httpx":  # type: ignore[attr-defined]
            # behind a MockTransport the host is the one configured (not a local server's)
            assert str(seen[-1].url) == expected + "objects/attachments/_/k"
            assert client.session().object_url("k") == url + "objects/attachments/_/k"


async def test_trace_headers_are_propagated(
    driver_client: MockFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Scope:
        def iter_trace_propagation_headers(self) -> Iterator[tuple[str, str]]:
            yield "sentry-trace", "abc-def-1"
            yield "baggage", "sentry-release=1"

    fake = types.ModuleType("sentry_sdk")
    fake.get_current_scope = Scope  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404)

    await driver_client(handler, propagate_traces=True).session().get("k")
    await driver_client(handler).session().get("k")
    assert seen[0].headers["sentry-trace"] == "abc-def-1"
    assert seen[0].headers["baggage"] == "sentry-release=1"
    assert "sentry-trace" not in seen[1].headers


def test_download_pump_hands_over_chunks_then_the_error_in_order() -> None:
    import threading

    from objectstore_client._exceptions import TransportError
    from objectstore_client._io_sync import _Pump

    chunks = iter([b"a", b"b"])

    def fetch() -> bytes:
        chunk = next(chunks, None)
        if chunk is None:
            raise TransportError("connection reset", method="GET", path="/k")
        return chunk

    pump = _Pump(fetch)
    assert pump.get() == b"a"
    assert pump.get() == b"b"
    with pytest.raises(TransportError, match="reset"):
        pump.get()
    assert pump.get() == b""
    pump.stop()
    assert not [t for t in threading.enumerate() if t.name == "objectstore-download"]


def test_download_pump_stops_while_blocked_on_a_full_queue() -> None:
    import threading

    from objectstore_client._io_sync import _Pump

    pump = _Pump(lambda: b"x")  # never ends: fills the queue and blocks
    assert pump.get() == b"x"
    pump.stop()
    assert not [t for t in threading.enumerate() if t.name == "objectstore-download"]


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_refused_connections_on_the_default_engine(kind: str) -> None:
    """What ``test_connect_errors_are_retried_then_typed`` scripts with a MockTransport, on the
    httptools engine: a port nobody listens on, retried, then typed, naming the path as sent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: connecting is refused
    client = ClientAdapter(kind, f"http://127.0.0.1:{port}/pre", retries=2, engine="httptools")
    sleeps: list[float] = []
    client.set_sleep(sleeps.append)
    try:
        with pytest.raises(ConnectError) as info:
            await client.session().put(b"x")  # even a POST: nothing was sent
    finally:
        await client.close()
    assert len(sleeps) == 2
    assert "POST /pre/v1/objects/attachments/_/" in str(info.value)
