"""Session.upload takes a path of any size, as documented (a single put below the threshold)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from objectstore_client import (
    AsyncClient,
    Client,
    ProgressEvent,
    TransferConfig,
    Usecase,
)

USECASE = Usecase("attachments")


def test_upload_of_a_path_below_and_above_the_threshold(
    objectstore_url: str, tmp_path: Path
) -> None:
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(b"small " * 100)
    large.write_bytes(b"0123456789abcdef" * 800_000)  # 12.2 MiB: multipart, 5 MiB parts
    config = TransferConfig(multipart_threshold=6 << 20, part_size=5 << 20)
    with Client(objectstore_url) as client:
        session = client.session(USECASE, org=1)
        events: list[ProgressEvent] = []
        key = session.upload(small, progress=events.append)
        assert events[-1].transferred == events[-1].total == 600
        result = session.get(key)
        assert result is not None and result.payload.read() == small.read_bytes()
        key = session.upload(large, config=config)
        result = session.get(key)
        assert result is not None and result.payload.read() == large.read_bytes()


async def test_async_upload_of_a_path(objectstore_url: str, tmp_path: Path) -> None:
    source = tmp_path / "small.bin"
    source.write_bytes(bytes(range(256)))
    async with AsyncClient(objectstore_url) as client:
        session = client.session(USECASE, org=1)
        key = await session.upload(source)
        result = await session.get(key)
        assert result is not None
        async with result.payload as payload:
            assert await payload.read() == bytes(range(256))


def test_single_put_reports_progress_while_sending(objectstore_url: str, tmp_path: Path) -> None:
    source = tmp_path / "three.bin"
    source.write_bytes(b"progress " * 350_000)  # 3 MiB: one put, streamed in 1 MiB chunks
    events: list[ProgressEvent] = []
    with Client(objectstore_url) as client:
        client.session(USECASE, org=1).upload(source, progress=events.append)
    assert len(events) >= 3  # not one event at the end
    assert [e.transferred for e in events] == sorted(e.transferred for e in events)
    assert events[-1].transferred == events[-1].total == 3_150_000
    assert sum(e.delta for e in events) == 3_150_000


async def test_async_progress_is_reported_on_the_event_loop(
    objectstore_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "three.bin"
    source.write_bytes(os.urandom(3 << 20))  # compressed in a worker thread, chunk by chunk
    loop_thread = threading.get_ident()
    threads: set[int] = set()
    events: list[ProgressEvent] = []

    def progress(event: ProgressEvent) -> None:
        threads.add(threading.get_ident())
        events.append(event)

    async with AsyncClient(objectstore_url) as client:
        await client.session(USECASE, org=1).upload(source, progress=progress)
    assert threads == {loop_thread}
    assert len(events) >= 3 and events[-1].transferred == 3 << 20
