#!/usr/bin/env python3
"""Measure HTTP engines side by side: the data behind the SDK's choice of engine.

Each engine runs raw HTTP (no SDK layer) against one server, each measurement in its own
process, rounds interleaved (the machine is shared: read ratios within a run, not absolutes).
Client CPU is the process's user+system time, so it includes an engine's own threads.

    .venv/bin/python scripts/engines.py              # full run against the wire model
    .venv/bin/python scripts/engines.py --quick      # fewer ops, one round
    .venv/bin/python scripts/engines.py --url URL    # any Objectstore-like server

The default server is a *wire model* of the real Objectstore (see
``docs/engines.md``): no ``TCP_NODELAY``, a response head and body in separate writes,
GET bodies chunked in the real server's 4096/3967/129-byte pattern. That is what makes
kept-alive GETs stall on delayed ACKs unless the client re-arms ``TCP_QUICKACK``.

Engines missing from the environment are skipped; to compare them all:
``pip install urllib3 pycurl pyreqwest aiohttp`` (pyreqwest needs Python >= 3.11).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

KIB = 1024
MIB = 1024 * KIB
BIG = 100 * MIB
SMALL = b"x" * KIB
#: The real server's chunk sizes for a GET body, repeating.
CHUNK_PATTERN = (4096, 3967, 129)
PREFIX = "/v1/objects/bench/org=1/"

# --------------------------------------------------------------------------------------
# The wire model: a server that writes like the real one (no Nagle opt-out, split writes)
# --------------------------------------------------------------------------------------


def _chunked(data: memoryview, start: int, budget: int) -> tuple[bytes, int]:
    """Chunk frames for ``data[start:]`` up to about ``budget`` bytes; (frames, new start)."""
    out: list[bytes] = []
    size = 0
    index = start
    turn = 0
    while index < len(data) and size < budget:
        piece = data[index : index + CHUNK_PATTERN[turn % 3]]
        turn += 1
        out += (b"%x\r\n" % len(piece), bytes(piece), b"\r\n")
        index += len(piece)
        size += len(piece)
    return b"".join(out), index


class _WireModel(asyncio.Protocol):
    """One connection of the wire-model server (parsed by httptools)."""

    store: dict[str, bytes] = {}  # noqa: RUF012 - shared by all connections on purpose

    def __init__(self) -> None:
        import httptools

        self._parser = httptools.HttpRequestParser(self)
        self._url = b""
        self._body: list[bytes] = []
        self._size = 0
        self._transport: asyncio.Transport | None = None
        self._sending: tuple[memoryview, int] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        # like the real server (axum's default serve): Nagle stays on
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except Exception:
            assert self._transport is not None
            self._transport.close()

    def on_message_begin(self) -> None:
        self._url, self._body, self._size = b"", [], 0

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        if self._size <= MIB:
            self._body.append(body)

    def on_message_complete(self) -> None:
        transport = self._transport
        assert transport is not None
        method = self._parser.get_method()
        key = self._url.decode().split("?")[0]
        if method == b"PUT":
            if self._size <= MIB:
                self.store[key] = b"".join(self._body)
            body = b'{"key":"%s"}' % key.rsplit("/", 1)[-1].encode()
            transport.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b"content-length: %d\r\n\r\n%s" % (len(body), body)
            )
        elif method in (b"HEAD", b"DELETE"):
            if method == b"DELETE":
                self.store.pop(key, None)
            transport.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
        elif method == b"GET" and (key in self.store or key.endswith("/big")):
            transport.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n"
                b"transfer-encoding: chunked\r\n\r\n"
            )
            data = self.store.get(key)
            self._sending = (memoryview(data if data is not None else _big()), 0)
            self._send_more()  # a second write: Nagle holds it until the head is ACKed
        else:
            transport.write(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")

    def _send_more(self) -> None:
        transport = self._transport
        assert transport is not None
        while self._sending is not None and not self._paused:
            data, start = self._sending
            frames, start = _chunked(data, start, 256 * KIB)
            if start >= len(data):
                frames += b"0\r\n\r\n"
                self._sending = None
            else:
                self._sending = (data, start)
            transport.write(frames)

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._send_more()


_BIG: list[bytes] = []


def _big() -> bytes:
    if not _BIG:
        _BIG.append(os.urandom(BIG))
    return _BIG[0]


def serve_wire_model(port_file: str) -> None:
    """Run the wire-model server until killed; writes its port to ``port_file``."""
    _big()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(_WireModel, "127.0.0.1", 0, backlog=256)
        port = server.sockets[0].getsockname()[1]
        Path(port_file).write_text(str(port))
        await server.serve_forever()

    asyncio.run(main())


# --------------------------------------------------------------------------------------
# Engines: the same five operations through each HTTP client
# --------------------------------------------------------------------------------------


def _upload_chunks() -> Iterator[bytes]:
    block = os.urandom(MIB)
    for _ in range(BIG // MIB):
        yield block


async def _aupload_chunks() -> AsyncIterator[bytes]:
    for chunk in _upload_chunks():
        yield chunk


class SyncClient:
    """put / get / head / delete of small objects, download and upload of big ones."""

    def __init__(self, url: str) -> None:
        self.url = url

    def put(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    def get(self, key: str) -> bytes:
        raise NotImplementedError

    def head(self, key: str) -> None:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        raise NotImplementedError

    def download(self, key: str) -> int:
        raise NotImplementedError

    def upload(self, key: str) -> None:
        raise NotImplementedError


class Urllib3Client(SyncClient):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        urllib3: Any = importlib.import_module("urllib3")
        self.pool = urllib3.connection_from_url(url, maxsize=16, block=True, retries=False)

    def put(self, key: str, data: bytes) -> None:
        self.pool.urlopen("PUT", PREFIX + key, body=data).data  # noqa: B018

    def get(self, key: str) -> bytes:
        return bytes(self.pool.urlopen("GET", PREFIX + key).data)

    def head(self, key: str) -> None:
        self.pool.urlopen("HEAD", PREFIX + key)

    def delete(self, key: str) -> None:
        self.pool.urlopen("DELETE", PREFIX + key).data  # noqa: B018

    def download(self, key: str) -> int:
        response = self.pool.urlopen("GET", PREFIX + key, preload_content=False)
        total = sum(len(chunk) for chunk in response.stream(None))
        response.release_conn()
        return total

    def upload(self, key: str) -> None:
        self.pool.urlopen("PUT", PREFIX + key, body=_upload_chunks(), chunked=True).data  # noqa: B018


class HttpxClient(SyncClient):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        import httpx

        limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
        self.client = httpx.Client(base_url=url, limits=limits)

    def put(self, key: str, data: bytes) -> None:
        self.client.put(PREFIX + key, content=data)

    def get(self, key: str) -> bytes:
        return self.client.get(PREFIX + key).content

    def head(self, key: str) -> None:
        self.client.head(PREFIX + key)

    def delete(self, key: str) -> None:
        self.client.delete(PREFIX + key)

    def download(self, key: str) -> int:
        with self.client.stream("GET", PREFIX + key) as response:
            return sum(len(chunk) for chunk in response.iter_raw())

    def upload(self, key: str) -> None:
        self.client.put(PREFIX + key, content=_upload_chunks())


class EngineClient(SyncClient):
    """An engine of the SDK (``objectstore_client._engines``), driven through its interface."""

    engine = "httptools"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        import httpx

        from objectstore_client._engines._sync import open_engine

        self.e = open_engine(
            self.engine,
            {
                "base_url": httpx.URL(url),
                "headers": {},
                "timeout": httpx.Timeout(30.0),
                "limits": httpx.Limits(max_connections=16, max_keepalive_connections=16),
            },
        )

    def _do(self, method: str, key: str, content: Any = None) -> Any:
        kwargs = {"method": method, "url": PREFIX + key, "headers": {}}
        return self.e.send(kwargs, content, method, key)

    def put(self, key: str, data: bytes) -> None:
        self._do("PUT", key, data).read()

    def get(self, key: str) -> bytes:
        return bytes(self._do("GET", key).read())

    def head(self, key: str) -> None:
        self._do("HEAD", key).read()

    def delete(self, key: str) -> None:
        self._do("DELETE", key).read()

    def download(self, key: str) -> int:
        response = self._do("GET", key)
        total = sum(len(chunk) for chunk in response.iter_raw())
        response.close()
        return total

    def upload(self, key: str) -> None:
        self._do("PUT", key, _upload_chunks()).read()


class HttpxEngineClient(EngineClient):
    engine = "httpx"


class NoQuickackClient(EngineClient):
    """The httptools engine with ``TCP_QUICKACK`` disabled: shows what re-arming it buys."""

    def __init__(self, url: str) -> None:
        from objectstore_client._engines import _sockets

        _sockets._QUICKACK = None
        super().__init__(url)


class PycurlClient(SyncClient):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.pycurl: Any = importlib.import_module("pycurl")
        self.local = threading.local()

    def _curl(self, method: str, key: str) -> Any:
        curl = getattr(self.local, "curl", None)
        if curl is None:
            curl = self.local.curl = self.pycurl.Curl()
        else:
            curl.reset()
        curl.setopt(self.pycurl.URL, self.url + PREFIX + key)
        curl.setopt(self.pycurl.CUSTOMREQUEST, method)
        if method == "HEAD":
            curl.setopt(self.pycurl.NOBODY, True)
        return curl

    def _run(self, curl: Any, sink: Callable[[bytes], Any] | None = None) -> bytes:
        parts: list[bytes] = []
        curl.setopt(self.pycurl.WRITEFUNCTION, sink or parts.append)
        curl.perform()
        return b"".join(parts)

    def put(self, key: str, data: bytes) -> None:
        curl = self._curl("PUT", key)
        curl.setopt(self.pycurl.POSTFIELDS, data)
        self._run(curl)

    def get(self, key: str) -> bytes:
        return self._run(self._curl("GET", key))

    def head(self, key: str) -> None:
        self._run(self._curl("HEAD", key))

    def delete(self, key: str) -> None:
        self._run(self._curl("DELETE", key))

    def download(self, key: str) -> int:
        total = [0]

        def sink(chunk: bytes) -> None:
            total[0] += len(chunk)

        self._run(self._curl("GET", key), sink)
        return total[0]

    def upload(self, key: str) -> None:
        curl = self._curl("PUT", key)
        chunks = _upload_chunks()
        pending = [memoryview(b"")]

        def source(size: int) -> bytes:
            if not pending[0]:
                pending[0] = memoryview(next(chunks, b""))
            out, pending[0] = pending[0][:size], pending[0][size:]
            return bytes(out)  # libcurl copies what it is given; slicing a view copies nothing

        curl.setopt(self.pycurl.UPLOAD, True)
        curl.setopt(self.pycurl.READFUNCTION, source)
        curl.setopt(self.pycurl.HTTPHEADER, ["Transfer-Encoding: chunked"])
        self._run(curl)


class PyreqwestClient(SyncClient):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        builder: Any = importlib.import_module("pyreqwest.client").SyncClientBuilder
        self.client = builder().max_connections(16).build()

    def _rb(self, method: str, key: str) -> Any:
        return self.client.request(method, self.url + PREFIX + key)

    def put(self, key: str, data: bytes) -> None:
        self._rb("PUT", key).body_bytes(data).build().send().bytes()

    def get(self, key: str) -> bytes:
        return bytes(self._rb("GET", key).build().send().bytes())

    def head(self, key: str) -> None:
        self._rb("HEAD", key).build().send().bytes()

    def delete(self, key: str) -> None:
        self._rb("DELETE", key).build().send().bytes()

    def download(self, key: str) -> int:
        total = 0
        with self._rb("GET", key).build_streamed() as response:
            reader = response.body_reader
            while (chunk := reader.read_chunk()) is not None:
                total += len(chunk)
        return total

    def upload(self, key: str) -> None:
        self._rb("PUT", key).body_stream(_upload_chunks()).build().send().bytes()


class AsyncClient:
    """The async twin of :class:`SyncClient`."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def start(self) -> None:
        pass

    async def put(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    async def get(self, key: str) -> bytes:
        raise NotImplementedError

    async def head(self, key: str) -> None:
        raise NotImplementedError

    async def delete(self, key: str) -> None:
        raise NotImplementedError

    async def download(self, key: str) -> int:
        raise NotImplementedError

    async def upload(self, key: str) -> None:
        raise NotImplementedError


class AsyncEngineClient(AsyncClient):
    engine = "httptools"

    async def start(self) -> None:
        import httpx

        from objectstore_client._engines._async import open_engine

        self.e = open_engine(
            self.engine,
            {
                "base_url": httpx.URL(self.url),
                "headers": {},
                "timeout": httpx.Timeout(30.0),
                "limits": httpx.Limits(max_connections=16, max_keepalive_connections=16),
            },
        )

    async def _do(self, method: str, key: str, content: Any = None) -> Any:
        kwargs = {"method": method, "url": PREFIX + key, "headers": {}}
        return await self.e.send(kwargs, content, method, key)

    async def put(self, key: str, data: bytes) -> None:
        await (await self._do("PUT", key, data)).aread()

    async def get(self, key: str) -> bytes:
        return bytes(await (await self._do("GET", key)).aread())

    async def head(self, key: str) -> None:
        await (await self._do("HEAD", key)).aread()

    async def delete(self, key: str) -> None:
        await (await self._do("DELETE", key)).aread()

    async def download(self, key: str) -> int:
        response = await self._do("GET", key)
        total = 0
        async for chunk in response.aiter_raw():
            total += len(chunk)
        await response.aclose()
        return total

    async def upload(self, key: str) -> None:
        await (await self._do("PUT", key, _aupload_chunks())).aread()


class AsyncHttpxEngineClient(AsyncEngineClient):
    engine = "httpx"


class AsyncHttpxClient(AsyncClient):
    async def start(self) -> None:
        import httpx

        limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
        self.client = httpx.AsyncClient(base_url=self.url, limits=limits)

    async def put(self, key: str, data: bytes) -> None:
        await self.client.put(PREFIX + key, content=data)

    async def get(self, key: str) -> bytes:
        return (await self.client.get(PREFIX + key)).content

    async def head(self, key: str) -> None:
        await self.client.head(PREFIX + key)

    async def delete(self, key: str) -> None:
        await self.client.delete(PREFIX + key)

    async def download(self, key: str) -> int:
        async with self.client.stream("GET", PREFIX + key) as response:
            total = 0
            async for chunk in response.aiter_raw():
                total += len(chunk)
            return total

    async def upload(self, key: str) -> None:
        await self.client.put(PREFIX + key, content=_aupload_chunks())


class AiohttpClient(AsyncClient):
    async def start(self) -> None:
        aiohttp: Any = importlib.import_module("aiohttp")
        self.client = aiohttp.ClientSession(
            self.url, connector=aiohttp.TCPConnector(limit=16), auto_decompress=False
        )

    async def _call(self, method: str, key: str, data: Any = None) -> bytes:
        async with self.client.request(method, PREFIX + key, data=data) as response:
            return bytes(await response.read())

    async def put(self, key: str, data: bytes) -> None:
        await self._call("PUT", key, data)

    async def get(self, key: str) -> bytes:
        return await self._call("GET", key)

    async def head(self, key: str) -> None:
        await self._call("HEAD", key)

    async def delete(self, key: str) -> None:
        await self._call("DELETE", key)

    async def download(self, key: str) -> int:
        total = 0
        async with self.client.get(PREFIX + key) as response:
            async for chunk in response.content.iter_any():
                total += len(chunk)
        return total

    async def upload(self, key: str) -> None:
        await self._call("PUT", key, _aupload_chunks())


class AsyncPyreqwestClient(AsyncClient):
    async def start(self) -> None:
        builder: Any = importlib.import_module("pyreqwest.client").ClientBuilder
        self.client = builder().max_connections(16).build()

    def _rb(self, method: str, key: str) -> Any:
        return self.client.request(method, self.url + PREFIX + key)

    async def put(self, key: str, data: bytes) -> None:
        await (await self._rb("PUT", key).body_bytes(data).build().send()).bytes()

    async def get(self, key: str) -> bytes:
        return bytes(await (await self._rb("GET", key).build().send()).bytes())

    async def head(self, key: str) -> None:
        await (await self._rb("HEAD", key).build().send()).bytes()

    async def delete(self, key: str) -> None:
        await (await self._rb("DELETE", key).build().send()).bytes()

    async def download(self, key: str) -> int:
        total = 0
        async with self._rb("GET", key).build_streamed() as response:
            reader = response.body_reader
            while (chunk := await reader.read_chunk()) is not None:
                total += len(chunk)
        return total

    async def upload(self, key: str) -> None:
        await (await self._rb("PUT", key).body_stream(_aupload_chunks()).build().send()).bytes()


#: name -> (client class, the module it needs)
SYNC_ENGINES: dict[str, tuple[type[SyncClient], str]] = {
    "urllib3": (Urllib3Client, "urllib3"),
    "httpx.Client": (HttpxClient, "httpx"),
    "sdk-httpx": (HttpxEngineClient, "httpx"),
    "pycurl": (PycurlClient, "pycurl"),
    "pyreqwest": (PyreqwestClient, "pyreqwest"),
    "sdk-httptools": (EngineClient, "httptools"),
    "sdk-httptools-noquickack": (NoQuickackClient, "httptools"),
}
ASYNC_ENGINES: dict[str, tuple[type[AsyncClient], str]] = {
    "httpx.AsyncClient": (AsyncHttpxClient, "httpx"),
    "sdk-httpx-async": (AsyncHttpxEngineClient, "httpx"),
    "aiohttp": (AiohttpClient, "aiohttp"),
    "pyreqwest-async": (AsyncPyreqwestClient, "pyreqwest"),
    "sdk-httptools-async": (AsyncEngineClient, "httptools"),
}

# --------------------------------------------------------------------------------------
# Workloads: each runs in its own process and prints one JSON line
# --------------------------------------------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _bounded(ops: int, seconds: float, step: Callable[[int], Any]) -> int:
    """Run ``step(i)`` ``ops`` times, or fewer once ``seconds`` have passed (at least 5)."""
    deadline = time.perf_counter() + seconds
    for i in range(ops):
        step(i)
        if i >= 4 and time.perf_counter() > deadline:
            return i + 1
    return ops


def run_sync(client: SyncClient, workload: str, ops: int, seconds: float) -> dict[str, float]:
    tag = f"{os.getpid()}-"
    if workload in ("get", "head"):
        client.put(tag + "k", SMALL)
    if workload == "delete":
        for i in range(ops):
            client.put(f"{tag}{i}", SMALL)
    start, cpu = time.perf_counter(), _cpu()
    count = ops
    size = 0
    if workload == "put":
        count = _bounded(ops, seconds, lambda i: client.put(f"{tag}{i}", SMALL))
    elif workload == "get":
        count = _bounded(ops, seconds, lambda i: client.get(tag + "k"))
    elif workload == "head":
        count = _bounded(ops, seconds, lambda i: client.head(tag + "k"))
    elif workload == "delete":
        count = _bounded(ops, seconds, lambda i: client.delete(f"{tag}{i}"))
    elif workload == "threads16":
        count = _threads16(client, tag, ops)
    elif workload == "download":
        size = client.download("big")
        assert size == BIG, size
    elif workload == "upload":
        client.upload(tag + "up")
        size = BIG
    return {"ops": count, "wall": time.perf_counter() - start, "cpu": _cpu() - cpu, "bytes": size}


def _threads16(client: SyncClient, tag: str, ops: int) -> int:
    per = max(ops // 16, 2)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(per):
                key = f"{tag}t{t}-{i}"
                client.put(key, SMALL)
                client.get(key)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return per * 16 * 2


async def run_async(
    client: AsyncClient, workload: str, ops: int, seconds: float
) -> dict[str, float]:
    await client.start()
    tag = f"{os.getpid()}-"
    if workload in ("get", "head"):
        await client.put(tag + "k", SMALL)
    if workload == "delete":
        for i in range(ops):
            await client.put(f"{tag}{i}", SMALL)
    start, cpu = time.perf_counter(), _cpu()
    deadline = start + seconds
    count = ops
    size = 0
    if workload in ("put", "get", "head", "delete"):
        step: Callable[[int], Awaitable[Any]] = {
            "put": lambda i: client.put(f"{tag}{i}", SMALL),
            "get": lambda i: client.get(tag + "k"),
            "head": lambda i: client.head(tag + "k"),
            "delete": lambda i: client.delete(f"{tag}{i}"),
        }[workload]
        for i in range(ops):
            await step(i)
            if i >= 4 and time.perf_counter() > deadline:
                count = i + 1
                break
    elif workload == "tasks16":
        per = max(ops // 16, 2)

        async def work(t: int) -> None:
            for i in range(per):
                key = f"{tag}t{t}-{i}"
                await client.put(key, SMALL)
                await client.get(key)

        await asyncio.gather(*(work(t) for t in range(16)))
        count = per * 16 * 2
    elif workload == "download":
        size = await client.download("big")
        assert size == BIG, size
    elif workload == "upload":
        await client.upload(tag + "up")
        size = BIG
    return {"ops": count, "wall": time.perf_counter() - start, "cpu": _cpu() - cpu, "bytes": size}


def measure(engine: str, workload: str, url: str, ops: int, seconds: float) -> None:
    """The child process: one engine, one workload; prints the JSON result."""
    if engine in SYNC_ENGINES:
        result = run_sync(SYNC_ENGINES[engine][0](url), workload, ops, seconds)
    else:
        client = ASYNC_ENGINES[engine][0](url)
        result = asyncio.run(run_async(client, workload, ops, seconds))
    print(json.dumps(result), flush=True)
    # skip interpreter teardown: a Rust runtime (pyreqwest) sometimes aborts in it
    os._exit(0)


# --------------------------------------------------------------------------------------
# The parent: start the server, run every (engine, workload) interleaved, print tables
# --------------------------------------------------------------------------------------

SMALL_WORKLOADS = ("put", "get", "head", "delete")


def _available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _plan(engines: list[str]) -> list[tuple[str, str]]:
    jobs = []
    for engine in engines:
        concurrent = "threads16" if engine in SYNC_ENGINES else "tasks16"
        for workload in (*SMALL_WORKLOADS, concurrent, "download", "upload"):
            jobs.append((engine, workload))
    return jobs


def _start_server() -> tuple[subprocess.Popen[bytes], str]:
    port_file = Path(tempfile.mkdtemp()) / "port"
    proc = subprocess.Popen([sys.executable, __file__, "--serve-wire-model", str(port_file)])
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the wire-model server did not start")
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port_file.read_text()}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--url", help="measure against this server instead of the wire model")
    parser.add_argument("--quick", action="store_true", help="fewer ops, one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", help="comma-separated subset of engines")
    parser.add_argument("--workloads", help="comma-separated subset of workloads")
    parser.add_argument("--serve-wire-model", metavar="PORT_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=3, metavar=("ENGINE", "WORKLOAD", "URL"))
    parser.add_argument("--ops", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    if args.serve_wire_model:
        serve_wire_model(args.serve_wire_model)
        return
    if args.measure:
        engine, workload, url = args.measure
        measure(engine, workload, url, ops=args.ops, seconds=args.seconds)
        return
    ops, seconds, rounds = (120, 1.5, 1) if args.quick else (args.ops, args.seconds, args.rounds)
    names = [*SYNC_ENGINES, *ASYNC_ENGINES]
    if args.engines:
        names = [n for n in names if n in args.engines.split(",")]
    modules = {
        **{k: v[1] for k, v in SYNC_ENGINES.items()},
        **{k: v[1] for k, v in ASYNC_ENGINES.items()},
    }
    skipped = [n for n in names if not _available(modules[n])]
    names = [n for n in names if n not in skipped]
    jobs = _plan(names)
    if args.workloads:
        jobs = [job for job in jobs if job[1] in args.workloads.split(",")]
    server, url = (None, args.url) if args.url else _start_server()
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        for round_no in range(rounds):
            order = jobs if round_no % 2 == 0 else list(reversed(jobs))
            for engine, workload in order:
                command = [
                    sys.executable, __file__, "--measure", engine, workload, url,
                    "--ops", str(ops), "--seconds", str(seconds),
                ]  # fmt: skip
                done = subprocess.run(command, capture_output=True, text=True, timeout=600)
                if done.returncode != 0:
                    tail = done.stderr.strip().splitlines()[-1:] or ["?"]
                    print(f"# {engine} {workload} failed: {tail[0]}", file=sys.stderr)
                    continue
                results.setdefault((engine, workload), []).append(json.loads(done.stdout))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    _report(names, results, skipped, rounds)


def _median(runs: list[dict[str, float]], key: Callable[[dict[str, float]], float]) -> float:
    return statistics.median(key(run) for run in runs)


def _report(
    names: list[str],
    results: dict[tuple[str, str], list[dict[str, float]]],
    skipped: list[str],
    rounds: int,
) -> None:
    print(f"\nmedian of {rounds} round(s); ops/s (client CPU µs per op); ratio vs urllib3\n")
    print("| engine | put | get | head | delete | 16 threads / tasks (put+get) |")
    print("|---|---|---|---|---|---|")

    def rate(engine: str, workload: str) -> float | None:
        runs = results.get((engine, workload))
        return _median(runs, lambda r: r["ops"] / r["wall"]) if runs else None

    for engine in names:
        cells = []
        for workload in (*SMALL_WORKLOADS, "threads16" if engine in SYNC_ENGINES else "tasks16"):
            runs = results.get((engine, workload))
            if not runs:
                cells.append("-")
                continue
            ops = _median(runs, lambda r: r["ops"] / r["wall"])
            cpu = _median(runs, lambda r: r["cpu"] / r["ops"] * 1e6)
            base = rate("urllib3", "threads16" if workload == "tasks16" else workload)
            ratio = f", {ops / base:.2f}x" if base else ""
            cells.append(f"{_fmt(ops)} ({cpu:,.0f} µs{ratio})")
        print(f"| {engine} | " + " | ".join(cells) + " |")
    print("\n| engine | 100 MiB download MB/s | CPU ms/MB | 100 MiB upload MB/s | CPU ms/MB |")
    print("|---|---|---|---|---|")
    for engine in names:
        cells = []
        for workload in ("download", "upload"):
            runs = results.get((engine, workload))
            if not runs:
                cells += ["-", "-"]
                continue
            cells.append(_fmt(_median(runs, lambda r: r["bytes"] / r["wall"] / 1e6)))
            cells.append(f"{_median(runs, lambda r: r['cpu'] * 1e3 / (r['bytes'] / 1e6)):.2f}")
        print(f"| {engine} | " + " | ".join(cells) + " |")
    if skipped:
        print(f"\nskipped (not installed): {', '.join(skipped)}")


if __name__ == "__main__":
    main()
