"""Storage rules without HTTP: persistence, atomicity, expiry, layout safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from objectstore_client.testing import FakeClock
from objectstore_client.testing._metadata import Expiration, Metadata
from objectstore_client.testing._storage import (
    FilesystemStorage,
    MemoryStorage,
    ObjectId,
    Storage,
)

OID = ObjectId("usecase", (("org", "1"),), "a/b")


@pytest.fixture(params=["filesystem", "memory"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    clock = FakeClock(1_700_000_000)
    if request.param == "memory":
        return MemoryStorage(clock)
    return FilesystemStorage(tmp_path, clock)


def _read(storage: Storage, oid: ObjectId = OID) -> bytes | None:
    obj = storage.get(oid)
    if obj is None:
        return None
    try:
        return b"".join(obj.read_range(0, None))
    finally:
        obj.close()


def test_round_trip_and_delete(storage: Storage) -> None:
    storage.put_bytes(OID, Metadata().stamped(storage.now_micros()), b"hello")
    assert _read(storage) == b"hello"
    assert storage.delete(OID) is True
    assert storage.delete(OID) is False
    assert _read(storage) is None


def test_nothing_visible_before_commit(storage: Storage) -> None:
    writer = storage.writer(OID, Metadata())
    writer.write(b"partial")
    assert _read(storage) is None
    writer.abort()
    assert _read(storage) is None


def test_reader_keeps_the_old_version_during_overwrite(storage: Storage) -> None:
    storage.put_bytes(OID, Metadata(), b"old" * 1000)
    reader = storage.get(OID)
    assert reader is not None
    storage.put_bytes(OID, Metadata(), b"new" * 1000)
    assert b"".join(reader.read_range(0, None)) == b"old" * 1000
    reader.close()
    assert _read(storage) == b"new" * 1000


def test_ranges(storage: Storage) -> None:
    storage.put_bytes(OID, Metadata(), b"0123456789")
    obj = storage.get(OID)
    assert obj is not None
    assert b"".join(obj.read_range(3, 4, chunk=1)) == b"3456"
    obj.close()


def test_ttl_expiry(storage: Storage) -> None:
    clock = storage.clock
    assert isinstance(clock, FakeClock)
    meta = Metadata(expiration=Expiration("ttl", 10 * 10**9)).stamped(storage.now_micros())
    storage.put_bytes(OID, meta, b"x")
    clock.advance(10)
    assert _read(storage) == b"x"
    clock.advance(0.001)
    assert _read(storage) is None


def test_tti_bump_with_debounce(storage: Storage) -> None:
    clock = storage.clock
    assert isinstance(clock, FakeClock)
    meta = Metadata(expiration=Expiration("tti", 100 * 10**9)).stamped(storage.now_micros())
    storage.put_bytes(OID, meta, b"x")
    clock.advance(20)  # within debounce (25 s): no bump
    assert _read(storage) == b"x"
    clock.advance(10)  # 30 s: bump to 130 s
    assert _read(storage) == b"x"
    clock.advance(90)  # 120 s: alive thanks to the bump
    assert _read(storage) == b"x"


def test_filesystem_survives_restart(tmp_path: Path) -> None:
    clock = FakeClock(1_700_000_000)
    first = FilesystemStorage(tmp_path, clock)
    meta = Metadata(expiration=Expiration("tti", 100 * 10**9)).stamped(first.now_micros())
    first.put_bytes(OID, meta, b"persisted")
    clock.advance(50)
    assert _read(first) == b"persisted"  # bumps to +150 s
    second = FilesystemStorage(tmp_path, clock)
    clock.advance(90)  # 140 s after the write: alive only if the bump persisted
    assert _read(second) == b"persisted"


def test_keys_never_become_paths(tmp_path: Path) -> None:
    storage = FilesystemStorage(tmp_path / "data", FakeClock(0))
    evil = ObjectId("../../escape", (), "../../../etc/passwd")
    storage.put_bytes(evil, Metadata(), b"x")
    assert not (tmp_path / "escape").exists()
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].is_relative_to(tmp_path / "data" / "objects")
