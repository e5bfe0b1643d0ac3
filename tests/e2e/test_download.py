"""Session.download end to end, sync and async, on every engine: parallel ranged GETs
against the local server (through a FaultProxy that counts and breaks requests), and
scripted raw servers for what the local server never does (ignore Range, change size)."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import zstandard

from objectstore_client import (
    DecodeError,
    InvalidInput,
    ProgressEvent,
    TransferConfig,
    TransportError,
)
from objectstore_client._constants import FRAME_INPUT_BYTES, PROGRESS_AGGREGATION_BYTES
from objectstore_client._core.frames import FrameTracker
from objectstore_client.testing.faults import Cut, FaultProxy, RequestInfo
from tests.e2e.adapter import ClientAdapter, SessionAdapter

PART = 16 * 1024
RANDOM = random.Random(20).randbytes(5 * PART + 123)  # 6 parts, incompressible
TEXT = b"".join(b"line %d of a compressible text payload\n" % i for i in range(8000))


def config(part_size: int = PART, concurrency: int = 3) -> TransferConfig:
    """A config with parts below production's minimum (fine against the local server)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return TransferConfig(part_size=part_size, concurrency=concurrency)


@pytest.fixture
def proxy(objectstore_url: str) -> Iterator[FaultProxy]:
    with FaultProxy(objectstore_url) as running:
        yield running


@pytest.fixture
async def proxied(kind: str, proxy: FaultProxy) -> Any:
    """A session reaching the local server through ``proxy``."""
    adapter = ClientAdapter(kind, proxy.url)
    yield adapter.session("attachments", org=uuid.uuid4().hex[:12])
    await adapter.close()


def gets(proxy: FaultProxy, since: int = 0) -> list[str | None]:
    """The Range headers of the GETs the proxy saw (after the first ``since`` requests)."""
    return [r.header("range") for r in proxy.requests[since:] if r.method == "GET"]


async def test_a_large_uncompressed_object_is_read_in_parallel_ranges(
    proxied: SessionAdapter, proxy: FaultProxy, tmp_path: Path
) -> None:
    await proxied.put(RANDOM, "big", compress="none")
    target = tmp_path / "big.bin"
    metadata = await proxied.call("download", "big", target, config=config())
    assert target.read_bytes() == RANDOM
    assert metadata is not None and metadata.compression is None
    ranges = gets(proxy)
    assert ranges[0] == f"bytes=0-{PART - 1}"
    assert sorted(map(str, ranges[1:])) == sorted(
        f"bytes={start}-{min(start + PART, len(RANDOM)) - 1}"
        for start in range(PART, len(RANDOM), PART)
    )
    assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]  # no temporary file left


@pytest.mark.parametrize("how", ["put", "upload"])
async def test_a_compressed_object_is_fetched_compressed_and_decoded(
    proxied: SessionAdapter, proxy: FaultProxy, tmp_path: Path, how: str
) -> None:
    if how == "put":
        await proxied.put(TEXT, "text")  # one zstd frame
    else:  # a frame per 16 KiB part
        await proxied.call("upload", TEXT, "text", config=config())
    stored = await proxied.get_bytes("text", decompress=False)
    assert stored is not None and stored[0].compression == "zstd"
    stored_size = len(stored[1])
    assert stored_size > 2 * 1024  # several ranges of the stored bytes
    mark = len(proxy.requests)
    target = tmp_path / "text.txt"
    metadata = await proxied.call("download", "text", target, config=config(1024))
    assert target.read_bytes() == TEXT
    assert metadata.compression is None  # decoded
    assert len(gets(proxy, mark)) == -(-stored_size // 1024)


async def test_into_a_binary_file_from_its_position(
    proxied: SessionAdapter, tmp_path: Path
) -> None:
    await proxied.put(RANDOM, "big", compress="none")
    with open(tmp_path / "out", "wb") as file:
        file.write(b"header")
        await proxied.call("download", "big", file, config=config())
        assert not file.closed
    assert (tmp_path / "out").read_bytes() == b"header" + RANDOM
    buffer = io.BytesIO()
    await proxied.call("download", "big", buffer, config=config())
    assert buffer.getvalue() == RANDOM


async def test_small_objects_take_one_get(
    proxied: SessionAdapter, proxy: FaultProxy, tmp_path: Path
) -> None:
    await proxied.put(b"tiny", "tiny")
    await proxied.put(b"", "empty", compress="none")
    mark = len(proxy.requests)
    await proxied.call("download", "tiny", tmp_path / "tiny")
    assert (tmp_path / "tiny").read_bytes() == b"tiny"
    assert len(gets(proxy, mark)) == 1
    await proxied.call("download", "empty", tmp_path / "empty")
    assert (tmp_path / "empty").read_bytes() == b""


async def test_a_missing_object_writes_nothing(proxied: SessionAdapter, tmp_path: Path) -> None:
    assert await proxied.call("download", "absent", tmp_path / "absent") is None
    assert list(tmp_path.iterdir()) == []


async def test_progress_counts_every_byte_written(proxied: SessionAdapter, tmp_path: Path) -> None:
    data = random.Random(1).randbytes(3 * PROGRESS_AGGREGATION_BYTES + 5)
    await proxied.put(data, "big", compress="none")
    events: list[ProgressEvent] = []
    lock = threading.Lock()

    def record(event: ProgressEvent) -> None:
        with lock:  # the blocking client reports from its worker threads
            events.append(event)

    part = PROGRESS_AGGREGATION_BYTES // 2
    await proxied.call("download", "big", tmp_path / "o", config=config(part), progress=record)
    assert sum(e.delta for e in events) == len(data)
    assert {e.total for e in events} == {len(data)}
    assert max(e.transferred for e in events) == len(data)
    assert len(events) >= 3  # reported as it goes, not only at the end


async def test_a_cut_range_is_resumed_on_its_own(
    proxied: SessionAdapter, proxy: FaultProxy, tmp_path: Path
) -> None:
    await proxied.put(RANDOM, "big", compress="none")
    second = f"bytes={PART}-{2 * PART - 1}"

    def is_second(request: RequestInfo) -> bool:
        return request.header("range") == second

    proxy.inject(Cut(after=5000), method="GET", where=is_second)
    target = tmp_path / "big"
    await proxied.call("download", "big", target, config=config())
    assert target.read_bytes() == RANDOM
    ranges = gets(proxy)
    resumed = [r for r in ranges if r is not None and r.endswith("-")]
    assert len(resumed) == 1
    start = int(re.fullmatch(r"bytes=(\d+)-", resumed[0]).group(1))  # type: ignore[union-attr]
    assert PART + 5000 <= start < 2 * PART  # from where the body broke, not the part's start
    assert ranges.count(second) == 1


async def test_a_cut_compressed_range_is_resumed(
    proxied: SessionAdapter, proxy: FaultProxy, tmp_path: Path
) -> None:
    await proxied.put(TEXT, "text")
    proxy.inject(
        Cut(after=300, framing=True),
        method="GET",
        where=lambda r: r.header("range") == "bytes=1024-2047",
    )
    target = tmp_path / "text"
    await proxied.call("download", "text", target, config=config(1024))
    assert target.read_bytes() == TEXT
    assert any(r is not None and r.endswith("-") for r in gets(proxy))


@pytest.mark.parametrize(
    ("destination", "message"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "missing" / "file", "does not exist"),
        (lambda tmp: 42, "path or a writable binary file"),
        (lambda tmp: io.StringIO(), "binary mode"),
        (lambda tmp: "", "empty path"),
    ],
)
async def test_bad_destinations_are_refused_before_any_request(
    proxied: SessionAdapter,
    proxy: FaultProxy,
    tmp_path: Path,
    destination: Callable[[Path], Any],
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await proxied.call("download", "key", destination(tmp_path))
    assert proxy.requests == []


async def test_bad_config_and_key_are_refused_before_any_request(
    proxied: SessionAdapter, proxy: FaultProxy, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="TransferConfig"):
        await proxied.call("download", "key", tmp_path / "f", config={"part_size": 1})
    with pytest.raises(InvalidInput):
        await proxied.call("download", "", tmp_path / "f")
    with open(tmp_path / "ro", "wb"):
        pass
    with open(tmp_path / "ro", "rb") as readonly, pytest.raises(InvalidInput, match="writable"):
        await proxied.call("download", "key", readonly)
    assert proxy.requests == []


# --- servers the local one cannot imitate --------------------------------------------------


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gives up mid-answer (the failure tests) is expected."""


class ScriptedServer:
    """A loopback HTTP/1.1 server answering every GET with ``answer(range_header)``:
    ``(status, headers, body)``."""

    def __init__(self, answer: Callable[[str | None], tuple[int, dict[str, str], bytes]]) -> None:
        self.ranges: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                wanted = self.headers.get("Range")
                outer.ranges.append(wanted)
                status, headers, body = answer(wanted)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.mark.parametrize("compressed", [False, True])
async def test_a_server_that_ignores_range_gets_one_streamed_get(
    kind: str, tmp_path: Path, compressed: bool
) -> None:
    payload = TEXT
    stored = zstandard.ZstdCompressor().compress(payload) if compressed else payload
    headers = {"Content-Encoding": "zstd"} if compressed else {}
    with ScriptedServer(lambda _range: (200, headers, stored)) as server:
        client = ClientAdapter(kind, server.url)
        try:
            session = client.session("attachments", org="o")
            target = tmp_path / "out"
            await session.call("download", "k", target, config=config(1024))
        finally:
            await client.close()
    assert target.read_bytes() == payload
    assert server.ranges == ["bytes=0-1023"]


def _sized(
    total: int, later_total: int
) -> Callable[[str | None], tuple[int, dict[str, str], bytes]]:
    data = bytes(range(256)) * (total // 256 + 1)

    def answer(wanted: str | None) -> tuple[int, dict[str, str], bytes]:
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", wanted or "")
        assert match is not None
        start = int(match.group(1))
        size = total if start == 0 else later_total
        end = min(int(match.group(2) or size - 1), size - 1)
        headers = {"Content-Range": f"bytes {start}-{end}/{size}"}
        return 206, headers, data[start : end + 1]

    return answer


async def test_a_changed_stored_size_fails_the_download(kind: str, tmp_path: Path) -> None:
    with ScriptedServer(_sized(4096, 5000)) as server:
        client = ClientAdapter(kind, server.url)
        try:
            session = client.session("attachments", org="o")
            with pytest.raises(TransportError, match="stored size changed from 4096 to 5000"):
                await session.call("download", "k", tmp_path / "out", config=config(1024))
        finally:
            await client.close()
    assert list(tmp_path.iterdir()) == []  # the temporary file is removed


async def test_a_first_range_that_does_not_start_at_zero_fails(kind: str, tmp_path: Path) -> None:
    headers = {"Content-Range": "bytes 5-9/10"}
    with ScriptedServer(lambda _r: (206, headers, b"56789")) as server:
        client = ClientAdapter(kind, server.url)
        try:
            session = client.session("attachments", org="o")
            with pytest.raises(TransportError, match="bytes 5-9/10"):
                await session.call("download", "k", tmp_path / "out")
        finally:
            await client.close()
    assert list(tmp_path.iterdir()) == []


async def test_a_truncated_compressed_body_from_a_range_ignoring_server_fails(
    kind: str, tmp_path: Path
) -> None:
    stored = zstandard.ZstdCompressor().compress(TEXT)[:-100]
    with ScriptedServer(lambda _r: (200, {"Content-Encoding": "zstd"}, stored)) as server:
        client = ClientAdapter(kind, server.url)
        try:
            session = client.session("attachments", org="o")
            with pytest.raises(DecodeError, match="truncated"):
                await session.call("download", "k", tmp_path / "out")
        finally:
            await client.close()
    assert not os.path.exists(tmp_path / "out")


async def test_decompress_false_writes_the_stored_bytes(
    proxied: SessionAdapter, tmp_path: Path
) -> None:
    await proxied.call("upload", TEXT, "text", config=config())
    stored = await proxied.get_bytes("text", decompress=False)
    assert stored is not None
    target = tmp_path / "raw.zst"
    metadata = await proxied.call("download", "text", target, decompress=False, config=config(1024))
    assert metadata.compression == "zstd"
    assert target.read_bytes() == stored[1]


async def test_progress_of_a_compressed_object_counts_decoded_bytes(
    proxied: SessionAdapter, tmp_path: Path
) -> None:
    await proxied.put(TEXT, "text")
    events: list[ProgressEvent] = []
    await proxied.call(
        "download", "text", tmp_path / "t", config=config(1024), progress=events.append
    )
    assert sum(e.delta for e in events) == len(TEXT)
    assert {e.total for e in events} == {None}  # the decoded size is not known in advance


async def test_a_large_put_is_stored_as_frames_the_zstd_tool_reads(
    session: SessionAdapter, tmp_path: Path
) -> None:
    payload = TEXT * (FRAME_INPUT_BYTES // len(TEXT) + 1)  # a little over one frame
    await session.put(payload, "framed")
    stored = await session.get_bytes("framed", decompress=False)
    assert stored is not None
    tracker = FrameTracker()
    tracker.feed(stored[1])
    assert tracker.frames == 2
    packed = tmp_path / "framed.zst"
    packed.write_bytes(stored[1])
    if shutil.which("zstd"):
        tool = subprocess.run(["zstd", "-dc", str(packed)], capture_output=True, check=True)
        assert tool.stdout == payload
    await session.call("download", "framed", tmp_path / "out", config=config(1 << 20))
    assert (tmp_path / "out").read_bytes() == payload


async def test_an_upload_compressed_on_threads_reads_back(
    session: SessionAdapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from objectstore_client._core import sources
    from objectstore_client._core.codec import ZstdEncoder

    made: list[int] = []
    real = ZstdEncoder

    def encoder(*, threads: int = 0, size: int = -1) -> ZstdEncoder:
        made.append(threads)
        return real(threads=threads, size=size)

    monkeypatch.setattr(sources, "ZstdEncoder", encoder)
    payload = TEXT * 4  # past the encoder's probe, compressible: threads are used
    conf = TransferConfig(compress_threads=2)
    await session.call("upload", payload, "threaded", config=conf)
    assert made == [2]
    await session.call("download", "threaded", tmp_path / "out")
    assert (tmp_path / "out").read_bytes() == payload


async def test_ranges_and_decoding_share_the_memory_bound(
    proxied: SessionAdapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from objectstore_client import _transfer_async, _transfer_sync
    from objectstore_client._core.download import MemoryBudget

    budgets: list[Any] = []

    class Recording(MemoryBudget):
        peak = 0

        def __init__(self, limit: int) -> None:
            super().__init__(limit)
            budgets.append(self)

        def __setattr__(self, name: str, value: int) -> None:
            super().__setattr__(name, value)
            if name in ("ranges", "decoding"):
                held = getattr(self, "ranges", 0) + getattr(self, "decoding", 0)
                object.__setattr__(self, "peak", max(self.peak, held))

    for module in (_transfer_async, _transfer_sync):
        monkeypatch.setattr(module, "MemoryBudget", Recording)
    payload = TEXT * 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        multipart = TransferConfig(part_size=PART, multipart_threshold=1)
    await proxied.call("upload", payload, "framed", config=multipart)  # a frame per 16 KiB
    stored = await proxied.get_bytes("framed", decompress=False)
    assert stored is not None and stored[0].compression == "zstd"
    await proxied.call("download", "framed", tmp_path / "out", config=config(4096, 4))
    assert (tmp_path / "out").read_bytes() == payload
    (budget,) = budgets
    assert budget.limit == 4 * 4096 and budget.ranges == 0  # every range released
    # one range and one frame (16 KiB of output) may go beyond a limit this small
    assert 2 * 4096 <= budget.peak <= budget.limit + 4096 + 2 * PART
