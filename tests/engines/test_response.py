"""The SDK's response boundary: header fields (``_engines._response.Headers``) and a small
body's ``Content-Encoding`` undone by the drivers (``decoded``), over real HTTP on every engine
and driver."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from typing import Literal

import pytest
import zstandard

from objectstore_client import AsyncClient, Client, DecodeError, RequestError, Usecase
from objectstore_client._engines._response import Headers, decoded
from tests.engines.rawserver import RawServer, Request, serve_forever


def test_headers_are_looked_up_by_any_case_and_repeats_join() -> None:
    headers = Headers([(b"Content-Type", b"text/plain"), (b"X-A", b"1"), (b"x-a", b"2")])
    assert headers["content-type"] == headers.get("CONTENT-TYPE") == "text/plain"
    assert headers["x-a"] == "1, 2" and "X-A" in headers and "x-b" not in headers
    assert headers.get("x-b") is None and len(headers) == 2
    assert headers.multi_items() == [("content-type", "text/plain"), ("x-a", "1"), ("x-a", "2")]


def test_headers_decode_utf8_else_latin1() -> None:
    assert Headers([(b"x-name", "caf\u00e9".encode())])["x-name"] == "caf\u00e9"
    assert Headers([(b"x-name", b"caf\xe9")])["x-name"] == "caf\u00e9"


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("zstd", lambda data: zstandard.ZstdCompressor().compress(data)),
        ("identity", lambda data: data),
        ("x-unknown", lambda data: data),
    ],
)
def test_a_small_body_is_decoded_as_httpx_decodes_it(
    coding: str, encode: Callable[[bytes], bytes]
) -> None:
    assert decoded(encode(b"body"), coding) == b"body"


def test_raw_deflate_and_stacked_codings() -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert decoded(raw.compress(b"body") + raw.flush(), "deflate") == b"body"
    assert decoded(gzip.compress(zlib.compress(b"body")), "deflate, gzip") == b"body"


def test_a_body_that_does_not_decode_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="not valid gzip"):
        decoded(b"not gzip", "gzip")


Engine = Literal["httptools", "httpx"]


def _gzipped_error(request: Request) -> bytes:
    body = gzip.compress(b"no such usecase")
    return b"HTTP/1.1 400 Bad Request\r\ncontent-encoding: gzip\r\ncontent-length: %d\r\n\r\n%s" % (
        len(body),
        body,
    )


@pytest.mark.parametrize("engine", ["httptools", "httpx"])
def test_an_encoded_error_body_reaches_the_error_decoded(engine: Engine) -> None:
    with (
        RawServer(serve_forever(_gzipped_error)) as server,
        Client(server.url, engine=engine, retries=0) as client,
    ):
        session = client.session(Usecase("u"), org=1)
        with pytest.raises(RequestError) as caught:
            session.delete("k")
    assert caught.value.status == 400 and caught.value.response == "no such usecase"


@pytest.mark.parametrize("engine", ["httptools", "httpx"])
async def test_an_encoded_error_body_reaches_the_error_decoded_async(engine: Engine) -> None:
    with RawServer(serve_forever(_gzipped_error)) as server:
        async with AsyncClient(server.url, engine=engine, retries=0) as client:
            session = client.session(Usecase("u"), org=1)
            with pytest.raises(RequestError) as caught:
                await session.delete("k")
    assert caught.value.status == 400 and caught.value.response == "no such usecase"
