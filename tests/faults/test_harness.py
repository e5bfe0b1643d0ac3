"""The fault proxy itself, driven with plain httpx: each fault does what it says."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator

import httpx
import pytest

from objectstore_client.testing.faults import (
    Cut,
    Delay,
    FaultProxy,
    FlipBit,
    Reset,
    Status,
    Trickle,
)

PATH = "/v1/objects/faults/org=harness/"
BODY = os.urandom(200_000)


@pytest.fixture
def http(proxy: FaultProxy) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxy.url, timeout=5) as client:
        assert client.put(PATH + "k", content=BODY).status_code == 200
        yield client


def test_relays_unchanged_with_keep_alive(proxy: FaultProxy, http: httpx.Client) -> None:
    for _ in range(3):
        assert http.get(PATH + "k").content == BODY
    assert http.head(PATH + "k").status_code == 204
    assert proxy.count("GET") == 3
    assert proxy.requests[0].method == "PUT"


def test_status_bursts_with_retry_after(proxy: FaultProxy, http: httpx.Client) -> None:
    rule = proxy.inject(Status(503, retry_after=2), method="GET", times=2)
    first, second, third = (http.get(PATH + "k") for _ in range(3))
    assert (first.status_code, first.headers["retry-after"]) == (503, "2")
    assert second.status_code == 503
    assert third.content == BODY
    assert rule.hits == 2
    for code in (429, 502, 504):
        proxy.inject(Status(code), path="/k")
        assert http.get(PATH + "k").status_code == code


def test_reset_after_request_bytes_never_reaches_the_server(
    proxy: FaultProxy, http: httpx.Client
) -> None:
    proxy.inject(Reset(0, side="request"), method="PUT")
    with pytest.raises(httpx.TransportError):
        http.put(PATH + "new", content=b"x" * 1000)
    assert http.get(PATH + "new").status_code == 404


def test_reset_after_response_bytes(proxy: FaultProxy, http: httpx.Client) -> None:
    proxy.inject(Reset(5000), method="GET")
    with pytest.raises(httpx.ReadError):
        http.get(PATH + "k")
    assert http.get(PATH + "k").content == BODY


@pytest.mark.parametrize("framing", [False, True])
def test_cut_body(proxy: FaultProxy, http: httpx.Client, framing: bool) -> None:
    proxy.inject(Cut(10_000, framing=framing), method="GET")
    if framing:  # a well-formed, shorter response: only end-to-end checks can tell
        assert http.get(PATH + "k").content == BODY[:10_000]
    else:
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(PATH + "k")


def test_flip_bit_in_response_and_request(proxy: FaultProxy, http: httpx.Client) -> None:
    proxy.inject(FlipBit(123_456, bit=3), method="GET")
    data = http.get(PATH + "k").content
    assert len(data) == len(BODY)
    assert bytes(a ^ b for a, b in zip(data, BODY, strict=True)).strip(b"\0") == bytes([8])
    proxy.inject(FlipBit(7, side="request"), method="PUT")
    http.put(PATH + "flipped", content=BODY)
    stored = http.get(PATH + "flipped").content
    assert stored[7] == BODY[7] ^ 1 and stored[8:] == BODY[8:]


def test_delay_and_stall(proxy: FaultProxy, http: httpx.Client) -> None:
    proxy.inject(Delay(0.3), method="GET")
    start = time.monotonic()
    assert http.get(PATH + "k").content == BODY
    assert time.monotonic() - start >= 0.3
    proxy.inject(Delay(None, at="body", after=1000), method="GET")
    with pytest.raises(httpx.ReadTimeout):
        http.get(PATH + "k", timeout=httpx.Timeout(5, read=0.3))


def test_trickle(proxy: FaultProxy, http: httpx.Client) -> None:
    proxy.inject(Trickle(400_000, piece=20_000), method="GET")
    start = time.monotonic()
    data = http.get(PATH + "k", timeout=httpx.Timeout(5, read=0.2)).content
    assert hashlib.sha256(data).digest() == hashlib.sha256(BODY).digest()
    assert time.monotonic() - start >= 0.4


def test_refuse_then_recover(proxy: FaultProxy) -> None:
    proxy.refuse(3.0)  # long enough to be observed on a loaded machine
    with pytest.raises(httpx.ConnectError):
        httpx.get(proxy.url + "/health")
    deadline = time.monotonic() + 15
    while True:  # listening again after the 3 s
        try:
            assert httpx.get(proxy.url + "/health").status_code == 200
            return
        except httpx.ConnectError:
            assert time.monotonic() < deadline, "the proxy did not listen again"
            time.sleep(0.2)


def test_bad_upstream_is_refused() -> None:
    with pytest.raises(ValueError, match="http://"):
        FaultProxy("https://example.com")
