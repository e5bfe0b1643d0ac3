"""The client workloads. Each runs in a worker process and returns rates (higher is better)."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from . import clients, data, probe
from .clients import NotAvailable, Target
from .probe import Span, Timer

DL_KEYS = {"text": "bench-dl/text", "rand": "bench-dl/rand"}
FILE_KEYS = {name: f"bench-file/{name}" for name in ("text", "text1", "rand", "randz")}
_WARMUP = 20


@dataclass
class Ctx:
    """What a workload needs: where, how much, inputs, and the peak-RSS baseline it sets."""

    target: Target
    kind: str = "ours"
    ops: int = 1000
    threads: int = 16
    pool_size: int | None = None
    files: dict[str, str] = field(default_factory=dict)
    prefix: str = "bench"
    baseline_mib: float | None = None

    def mark_baseline(self) -> None:
        """Call right before the timed transfer: peak RSS is measured from here."""
        self.baseline_mib = probe.rss_mib()
        probe.reset_peak()


@dataclass
class Result:
    """Rates per metric, and the client's (and the server's, when known) CPU seconds per unit
    (op or MB)."""

    metrics: dict[str, float] = field(default_factory=dict)
    cpu_per_unit: dict[str, float] = field(default_factory=dict)
    server_cpu_per_unit: dict[str, float] = field(default_factory=dict)
    #: facts that are not rates (the adaptive corpus: stored size and encoding per item)
    info: dict[str, Any] = field(default_factory=dict)

    def add(self, metric: str, units: float, span: Span) -> None:
        self.metrics[metric] = units / span.wall
        self.cpu_per_unit[metric] = span.cpu / units
        if span.server_cpu is not None:
            self.server_cpu_per_unit[metric] = span.server_cpu / units


def _payloads() -> list[bytes]:
    return [data.small_payload(i) for i in range(64)]


def _check_get(session: Any, key: str, expected: bytes) -> None:
    got = session.get(key)
    if got is None:
        raise AssertionError(f"get({key!r}) found nothing")
    _, payload = got
    body = payload.read()
    if body != expected:
        raise AssertionError(f"get({key!r}) returned {len(body)} different bytes")


Op = Callable[[int], object]
Runner = Callable[[Op, int], None]


def _sequential(op: Op, count: int) -> None:
    for i in range(count):
        op(i)


def _small_phases(session: Any, keys: Sequence[str], run: Runner) -> Result:
    """put, get, head, delete every key; ``run(op, n)`` calls ``op(i)`` for i in range(n)."""
    payloads = _payloads()
    ops: dict[str, Op] = {
        "put": lambda i: session.put(payloads[i % 64], key=keys[i]),
        "get": lambda i: _check_get(session, keys[i], payloads[i % 64]),
        "head": lambda i: session.head(keys[i]),
        "delete": lambda i: session.delete(keys[i]),
    }
    if not hasattr(session, "head"):
        del ops["head"]  # upstream before 0.1.11
    result = Result()
    for name, op in ops.items():
        with Timer() as timer:
            run(op, len(keys))
        result.add(name, len(keys), timer.span)
    return result


def small_seq(ctx: Ctx) -> Result:
    """1 KiB put/get/head/delete, one after another on one connection."""
    client = clients.make_client(ctx.target, pool_size=ctx.pool_size)
    session = clients.session(client, ctx.target)
    _small_phases(session, [f"{ctx.prefix}/warm/{i}" for i in range(_WARMUP)], _sequential)
    keys = [f"{ctx.prefix}/{i}" for i in range(ctx.ops)]
    result = _small_phases(session, keys, _sequential)
    clients.close(client)
    return result


def small_threads(ctx: Ctx) -> Result:
    """The same operations from ``ctx.threads`` threads sharing one client."""
    client = clients.make_client(ctx.target, pool_size=ctx.pool_size)
    session = clients.session(client, ctx.target)
    with ThreadPoolExecutor(ctx.threads) as pool:

        def fan_out(op: Op, count: int) -> None:
            def worker(first: int) -> None:
                for i in range(first, count, ctx.threads):
                    op(i)

            list(pool.map(worker, range(ctx.threads)))

        _small_phases(session, [f"{ctx.prefix}/warm/{i}" for i in range(2 * ctx.threads)], fan_out)
        keys = [f"{ctx.prefix}/{i}" for i in range(ctx.ops)]
        result = _small_phases(session, keys, fan_out)
    clients.close(client)
    return result


async def _async_phases(session: Any, keys: Sequence[str], tasks: int) -> Result:
    payloads = _payloads()

    async def get(i: int) -> None:
        got = await session.get(keys[i])
        if got is None or await got[1].read() != payloads[i % 64]:
            raise AssertionError(f"get({keys[i]!r}) returned wrong bytes")

    async def put(i: int) -> None:
        await session.put(payloads[i % 64], key=keys[i])

    async def head(i: int) -> None:
        await session.head(keys[i])

    async def delete(i: int) -> None:
        await session.delete(keys[i])

    result = Result()
    for name, op in (("put", put), ("get", get), ("head", head), ("delete", delete)):

        async def worker(first: int, op: Callable[[int], Any] = op) -> None:
            for i in range(first, len(keys), tasks):
                await op(i)

        with Timer() as timer:
            await asyncio.gather(*(worker(t) for t in range(tasks)))
        result.add(name, len(keys), timer.span)
    return result


def small_async(ctx: Ctx) -> Result:
    """The same operations from ``ctx.threads`` asyncio tasks on one AsyncClient."""

    async def main() -> Result:
        client = clients.make_client(ctx.target, asynchronous=True)
        session = clients.session(client, ctx.target)
        warm = [f"{ctx.prefix}/warm/{i}" for i in range(2 * ctx.threads)]
        await _async_phases(session, warm, ctx.threads)
        keys = [f"{ctx.prefix}/{i}" for i in range(ctx.ops)]
        result = await _async_phases(session, keys, ctx.threads)
        await client.close()
        return result

    return asyncio.run(main())


def _warm_session(ctx: Ctx) -> tuple[Any, Any]:
    """A client and session with one small round trip done (the connection is open)."""
    client = clients.make_client(ctx.target, pool_size=ctx.pool_size)
    session = clients.session(client, ctx.target)
    session.put(b"warm", key=f"{ctx.prefix}/warm")
    session.delete(f"{ctx.prefix}/warm")
    return client, session


def upload(ctx: Ctx, name: str, via: str = "put") -> Result:
    """Stream one file from disk with ``put`` (or ours' part-parallel ``upload``)."""
    client, session = _warm_session(ctx)
    if via != "put":
        clients.require(session, via)
    path = ctx.files[name]
    size = os.path.getsize(path)
    key = f"{ctx.prefix}/{name}"
    result = Result()
    with open(path, "rb") as file:
        ctx.mark_baseline()
        with Timer() as timer:
            getattr(session, via)(file, key=key)
    result.add("upload", size / 1e6, timer.span)
    session.delete(key)
    clients.close(client)
    return result


def download(ctx: Ctx, name: str) -> Result:
    """Stream one object (stored by :func:`setup`) in 1 MiB reads, decompressing."""
    client, session = _warm_session(ctx)
    size = os.path.getsize(ctx.files[name])
    result = Result()
    ctx.mark_baseline()
    with Timer() as timer:
        got = session.get(DL_KEYS[name])
        if got is None:
            raise AssertionError(f"{DL_KEYS[name]} is missing: run the setup workload first")
        count = clients.read_all(got[1])
    if count != size:
        raise AssertionError(f"downloaded {count} bytes, expected {size}")
    result.add("download", size / 1e6, timer.span)
    clients.close(client)
    return result


def setup(ctx: Ctx) -> Result:
    """Store the download workloads' objects."""
    client, session = _warm_session(ctx)
    for name, key in DL_KEYS.items():
        with open(ctx.files[name], "rb") as file:
            session.put(file, key=key)
    clients.close(client)
    return Result()


def setup_files(ctx: Ctx) -> Result:
    """Store the download-to-file objects (ours' put): text in 8 MiB frames, text in one
    frame (compressed here, stored precompressed), random bytes as is (adaptive), random
    bytes forced into zstd frames."""
    import zstandard

    client, session = _warm_session(ctx)
    text, rand = ctx.files["ftext"], ctx.files["frand"]
    with open(text, "rb") as file:
        session.put(file, key=FILE_KEYS["text"])
    one = zstandard.ZstdCompressor(level=3, write_checksum=True).compressobj()
    packed = os.path.join(os.path.dirname(text), "one-frame.zst")
    with open(text, "rb") as src, open(packed, "wb") as out:
        while chunk := src.read(1 << 20):
            out.write(one.compress(chunk))
        out.write(one.flush())
    with open(packed, "rb") as file:
        session.put(file, key=FILE_KEYS["text1"], precompressed="zstd")
    os.unlink(packed)
    with open(rand, "rb") as file:
        session.put(file, key=FILE_KEYS["rand"])
    with open(rand, "rb") as file:
        session.put(file, key=FILE_KEYS["randz"], compress="zstd")
    clients.close(client)
    return Result()


def download_file(ctx: Ctx, name: str) -> Result:
    """One object into a file in tmpfs: ours with download() (ranged, parallel), upstream
    with get and 1 MiB reads written to the file."""
    client, session = _warm_session(ctx)
    source = ctx.files["frand" if name.startswith("rand") else "ftext"]
    size = os.path.getsize(source)
    directory = "/dev/shm" if os.path.isdir("/dev/shm") else "."
    target = os.path.join(directory, f"bench-download-{os.getpid()}")
    key = FILE_KEYS[name]
    result = Result()
    try:
        ctx.mark_baseline()
        with Timer() as timer:
            if ctx.kind == "ours":
                if session.download(key, target) is None:
                    raise AssertionError(f"{key} is missing: run the setup_files workload first")
            else:
                got = session.get(key)
                if got is None:
                    raise AssertionError(f"{key} is missing: run the setup_files workload first")
                with open(target, "wb") as out:
                    while chunk := got[1].read(1 << 20):
                        out.write(chunk)
        written = os.path.getsize(target)
    finally:
        if os.path.exists(target):
            os.unlink(target)
    if written != size:
        raise AssertionError(f"downloaded {written} bytes, expected {size}")
    result.add("download", size / 1e6, timer.span)
    clients.close(client)
    return result


#: Bytes of each adaptive-compression corpus item (``--quick`` runs the same size).
CORPUS_BYTES = 4 * 1024 * 1024


def stored_object(ctx: Ctx, key: str) -> tuple[int, str | None]:
    """The stored size and ``Content-Encoding`` of ``key``: one raw GET that decodes
    nothing (both clients' objects read the same way, whatever their API)."""
    from urllib.parse import quote, urlsplit

    import urllib3

    from .ceilings import auth_headers

    url = urlsplit(ctx.target.url)
    scope = ";".join(f"{k}={v}" for k, v in ctx.target.scopes.items()) or "_"
    path = f"{url.path.rstrip('/')}/v1/objects/{quote(ctx.target.usecase)}/{scope}/{quote(key)}"
    pool_cls = urllib3.HTTPSConnectionPool if url.scheme == "https" else urllib3.HTTPConnectionPool
    with pool_cls(url.hostname or "127.0.0.1", url.port, maxsize=1) as pool:
        response = pool.urlopen(
            "GET", path, headers=auth_headers(ctx), decode_content=False, retries=False
        )
    if response.status != 200:
        raise AssertionError(f"GET {key}: {response.status}")
    return len(response.data), response.headers.get("content-encoding")


def adaptive(ctx: Ctx) -> Result:
    """Each corpus item (:data:`data.CORPUS`) stored with the client's default ``put``
    (ours: adaptive compression; upstream: always zstd): put throughput, and the stored
    size and encoding read back raw (the decision)."""
    client, session = _warm_session(ctx)
    result = Result()
    for name, payload in data.corpus(CORPUS_BYTES).items():
        key = f"{ctx.prefix}/corpus-{name}"
        with Timer() as timer:
            session.put(payload, key=key)
        result.add(f"put_{name}", len(payload) / 1e6, timer.span)
        stored, encoding = stored_object(ctx, key)
        result.info[name] = {"size": len(payload), "stored": stored, "encoding": encoding}
        session.delete(key)
    clients.close(client)
    return result


def many(ctx: Ctx) -> Result:
    """``ctx.ops`` x 1 KiB written then read back: ours' batch API, upstream's loop."""
    client = clients.make_client(ctx.target, pool_size=ctx.pool_size)
    session = clients.session(client, ctx.target)
    batch = clients.batch_api(session, ctx.kind)
    keys = [f"{ctx.prefix}/{i}" for i in range(ctx.ops)]
    payloads = [data.small_payload(i) for i in range(ctx.ops)]
    items = list(zip(keys, payloads, strict=True))
    batch.write(items[:_WARMUP])
    batch.read(keys[:_WARMUP])
    result = Result()
    with Timer() as write:
        batch.write(items)
    with Timer() as read:
        got = batch.read(keys)
    if got != payloads:
        raise AssertionError("read back different bytes")
    result.add("write", len(keys), write.span)
    result.add("read", len(keys), read.span)
    servers = (write.span.server_cpu, read.span.server_cpu)
    server = None if None in servers else sum(s for s in servers if s is not None)
    total = Span(write.span.wall + read.span.wall, write.span.cpu + read.span.cpu, server)
    result.add("total", 2 * len(keys), total)
    batch.delete(keys)  # the warm-up keys are among them: none is deleted twice
    clients.close(client)
    return result


WORKLOADS: dict[str, Callable[[Ctx], Result]] = {
    "setup": setup,
    "small_seq": small_seq,
    "small_threads16": small_threads,
    "small_async16": small_async,
    "up_text": lambda ctx: upload(ctx, "text"),
    "up_rand": lambda ctx: upload(ctx, "rand"),
    "dl_text": lambda ctx: download(ctx, "text"),
    "dl_rand": lambda ctx: download(ctx, "rand"),
    "many": many,
    "adaptive": adaptive,
    "setup_files": setup_files,
    "file_text": functools.partial(download_file, name="text"),
    "file_text1": functools.partial(download_file, name="text1"),
    "file_rand": functools.partial(download_file, name="rand"),
    "file_randz": functools.partial(download_file, name="randz"),
    # upstream users upload big files with put (0.2.10: resumable above 256 MiB)
    "part512": lambda ctx: upload(ctx, "huge", via="upload" if ctx.kind == "ours" else "put"),
}

__all__ = ["WORKLOADS", "Ctx", "NotAvailable", "Result"]
