"""The limits each figure is read against, measured in the same run (our venv, client "raw").

* ``ceil_zstd``: zstd -3 on the 100 MiB inputs alone, streamed from the page-cached file to a
  null sink; single-threaded and ``threads=-1``.
* ``ceil_http``: urllib3 against the same server with no compression: 1 KiB put/get/head/delete
  on one keep-alive connection, and 100 MiB of random bytes up (Content-Length, 1 MiB blocks)
  and down (1 MiB reads). This is what the server plus loopback can do for any Python client.
* ``ceil_wire``: the server's own ceiling for 1 KiB put/get/head/delete: the cheapest client
  (:mod:`.rawwire`, raw sockets, 4 connections kept busy by one thread).
"""

from __future__ import annotations

import io
import os
from typing import Any
from urllib.parse import quote, urlsplit

from . import data, rawwire
from .probe import Timer
from .workloads import Ctx, Result

MB = 1e6


def zstd(ctx: Ctx) -> Result:
    """Compression and decompression speed of the inputs, no I/O."""
    import zstandard

    result = Result()
    sink = open(os.devnull, "wb")  # noqa: SIM115
    for name in ("text", "rand"):
        path = ctx.files[name]
        size = os.path.getsize(path)
        for suffix, threads in (("1t", 0), ("mt", -1)):
            cctx = zstandard.ZstdCompressor(level=3, threads=threads)
            with open(path, "rb") as src, Timer() as timer:
                cctx.copy_stream(src, sink, size=size, read_size=1 << 20, write_size=1 << 20)
            result.add(f"compress_{name}_{suffix}", size / MB, timer.span)
        with open(path, "rb") as src:
            compressed = zstandard.ZstdCompressor(level=3).compress(src.read())
        dctx = zstandard.ZstdDecompressor()
        with Timer() as timer:
            dctx.copy_stream(io.BytesIO(compressed), sink, read_size=1 << 20, write_size=1 << 20)
        result.add(f"decompress_{name}", size / MB, timer.span)
        del compressed
    sink.close()
    return result


def auth_headers(ctx: Ctx) -> dict[str, str]:
    """The ``x-os-auth`` header for raw requests to the target (none without auth)."""
    if ctx.target.token:
        return {"x-os-auth": f"Bearer {ctx.target.token}"}
    if ctx.target.key_id and ctx.target.key_file:
        from . import clients

        token = clients.session(clients.make_client(ctx.target), ctx.target).mint_token()
        return {"x-os-auth": f"Bearer {token}"}
    return {}


def http(ctx: Ctx) -> Result:
    """Raw urllib3 (the upstream client's transport) against the server."""
    import urllib3

    url = urlsplit(ctx.target.url)
    pool_cls = urllib3.HTTPSConnectionPool if url.scheme == "https" else urllib3.HTTPConnectionPool
    pool = pool_cls(url.hostname or "127.0.0.1", url.port, maxsize=1, blocksize=1 << 20)
    scope = ";".join(f"{k}={v}" for k, v in ctx.target.scopes.items()) or "_"
    base = f"{url.path.rstrip('/')}/v1/objects/{quote(ctx.target.usecase)}/{scope}/"
    headers = auth_headers(ctx)
    body = data.small_payload(0)

    def call(method: str, key: str, payload: Any = None, **extra: str) -> bytes:
        response = pool.urlopen(
            method,
            base + quote(key),
            body=payload,
            headers={**headers, **extra},
            preload_content=False,
            decode_content=False,
            retries=False,
        )
        total = b"".join(response.stream(1 << 20)) if method == "GET" else response.read()
        response.release_conn()
        if response.status >= 400:
            raise AssertionError(f"{method} {key}: {response.status}")
        return total

    result = Result()
    keys = [f"{ctx.prefix}/{i}" for i in range(ctx.ops)]
    warm = [f"{ctx.prefix}/warm/{i}" for i in range(20)]  # own keys: none is deleted twice
    for method in ("PUT", "GET", "HEAD", "DELETE"):
        payload = body if method == "PUT" else None
        for key in warm:  # warm-up, not timed
            call(method, key, payload)
        with Timer() as timer:
            for key in keys:
                call(method, key, payload)
        result.add(method.lower(), len(keys), timer.span)

    if "rand" not in ctx.files:  # small operations only (scripts/bench --server-ceiling)
        return result
    path = ctx.files["rand"]
    size = os.path.getsize(path)
    key = f"{ctx.prefix}/raw-100m"
    with open(path, "rb") as src, Timer() as timer:
        call("PUT", key, src, **{"content-length": str(size)})
    result.add("upload_100m", size / MB, timer.span)
    with Timer() as timer:
        response = pool.urlopen(
            "GET", base + quote(key), headers=headers, preload_content=False, retries=False
        )
        count = 0
        while chunk := response.read(1 << 20):
            count += len(chunk)
        response.release_conn()
    if count != size:
        raise AssertionError(f"raw download: {count} bytes, expected {size}")
    result.add("download_100m", size / MB, timer.span)
    call("DELETE", key)
    return result


def wire(ctx: Ctx) -> Result:
    """The server's small-operation ceiling, measured with the raw-socket client."""
    url = urlsplit(ctx.target.url)
    scope = ";".join(f"{k}={v}" for k, v in ctx.target.scopes.items()) or "_"
    base = f"{url.path.rstrip('/')}/v1/objects/{quote(ctx.target.usecase)}/{scope}/"
    headers = "".join(f"{k}: {v}\r\n" for k, v in auth_headers(ctx).items()).encode()
    body = data.small_payload(0)

    def check(status: int, method: str) -> None:
        if status >= 400:
            raise AssertionError(f"{method}: {status}")

    def requests(method: str, keys: list[str]) -> list[rawwire.Request]:
        payload = body if method == "PUT" else b""
        return [(method, base + quote(key), headers, payload) for key in keys]

    result = Result()
    keys = [f"{ctx.prefix}/{i}" for i in range(ctx.ops)]
    warm = [f"{ctx.prefix}/warm/{i}" for i in range(20)]
    for method in ("PUT", "GET", "HEAD", "DELETE"):
        rawwire.run(ctx.target.url, requests(method, warm), check=check)
        with Timer() as timer:
            rawwire.run(ctx.target.url, requests(method, keys), check=check)
        result.add(method.lower(), len(keys), timer.span)
    return result
