"""Session.upload takes a path of any size, as documented (a single put below the threshold)."""

from __future__ import annotations

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
