"""Object state and storage rules: no HTTP here.

Two backends share one interface: :class:`FilesystemStorage` (default; survives restarts,
streams bodies through temporary files and publishes them with ``os.replace`` so a reader
sees the old or the new object, never a torn one) and :class:`MemoryStorage`.

Both enforce expiry with the injectable clock ("production" profile, reference §7): an
object whose ``time_expires`` lies in the past is absent, and TTI deadlines are bumped on
read with the ``min(tti / 4, 24 h)`` debounce. (The real server's filesystem backend never
expires anything; only GCS/Bigtable do.)
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from ._clock import Clock
from ._metadata import Metadata

__all__ = [
    "FilesystemStorage",
    "MemoryStorage",
    "ObjectId",
    "ObjectWriter",
    "Storage",
    "StoredObject",
]

CHUNK = 256 * 1024


@dataclass(frozen=True)
class ObjectId:
    """Usecase, ordered scope list and key: the identity of an object."""

    usecase: str
    scopes: tuple[tuple[str, str], ...]
    key: str

    def digest(self) -> str:
        """A filesystem-safe name: no key can escape the data dir through its path."""
        ident = json.dumps([self.usecase, [list(s) for s in self.scopes], self.key])
        return hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class StoredObject:
    """An open object: metadata as it was before this read, and a reader on its bytes."""

    metadata: Metadata
    size: int
    reader: BinaryIO
    offset: int = 0
    revision: str = ""

    def read_range(self, start: int, length: int | None, chunk: int = CHUNK) -> Iterator[bytes]:
        """Yield the bytes from ``start`` (``length`` bytes, or to the end) in chunks."""
        self.reader.seek(self.offset + start)
        remaining = self.size - start if length is None else length
        while remaining > 0:
            data = self.reader.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data

    def close(self) -> None:
        self.reader.close()


class ObjectWriter(ABC):
    """Receives a body chunk by chunk, then publishes it atomically (or is aborted)."""

    size: int = 0

    @abstractmethod
    def write(self, data: bytes) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def abort(self) -> None: ...


class Storage(ABC):
    """State and rules of the object store."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now_micros(self) -> int:
        return round(self.clock() * 1_000_000)

    @abstractmethod
    def writer(self, oid: ObjectId, metadata: Metadata) -> ObjectWriter:
        """Start writing an object; nothing is visible until ``commit``."""

    @abstractmethod
    def _load(self, oid: ObjectId) -> StoredObject | None: ...

    @abstractmethod
    def _set_expires(self, oid: ObjectId, obj: StoredObject, metadata: Metadata) -> None: ...

    @abstractmethod
    def delete(self, oid: ObjectId) -> bool:
        """Remove an object; ``False`` if there was nothing to remove."""

    def get(self, oid: ObjectId) -> StoredObject | None:
        """Open an object for reading; expired objects are absent; TTI is bumped."""
        obj = self._load(oid)
        if obj is None:
            return None
        now = self.now_micros()
        if obj.metadata.is_expired(now):
            obj.close()
            return None
        bumped = obj.metadata.tti_bumped(now)
        if bumped is not None:
            self._set_expires(oid, obj, bumped)
        return obj

    def put_bytes(self, oid: ObjectId, metadata: Metadata, data: bytes) -> None:
        """Write a small object in one go (batch inserts, tests)."""
        writer = self.writer(oid, metadata)
        writer.write(data)
        writer.commit()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (nothing by default)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every object."""


# -- in memory ----------------------------------------------------------------------------


class _MemoryWriter(ObjectWriter):
    def __init__(self, store: MemoryStorage, oid: ObjectId, metadata: Metadata) -> None:
        self._store, self._oid, self._metadata = store, oid, metadata
        self._buf = io.BytesIO()

    def write(self, data: bytes) -> None:
        self._buf.write(data)
        self.size += len(data)

    def commit(self) -> None:
        with self._store.lock:
            self._store.objects[self._oid] = (self._metadata, self._buf.getvalue())

    def abort(self) -> None:
        self._buf = io.BytesIO()


class MemoryStorage(Storage):
    """Everything in a dict; for small tests. Nothing survives a restart."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self.lock = threading.Lock()
        self.objects: dict[ObjectId, tuple[Metadata, bytes]] = {}

    def writer(self, oid: ObjectId, metadata: Metadata) -> ObjectWriter:
        return _MemoryWriter(self, oid, metadata)

    def _load(self, oid: ObjectId) -> StoredObject | None:
        with self.lock:
            entry = self.objects.get(oid)
        if entry is None:
            return None
        return StoredObject(entry[0], len(entry[1]), io.BytesIO(entry[1]))

    def _set_expires(self, oid: ObjectId, obj: StoredObject, metadata: Metadata) -> None:
        with self.lock:
            entry = self.objects.get(oid)
            if entry is not None and entry[0].time_created == obj.metadata.time_created:
                self.objects[oid] = (metadata, entry[1])

    def delete(self, oid: ObjectId) -> bool:
        with self.lock:
            return self.objects.pop(oid, None) is not None

    def clear(self) -> None:
        with self.lock:
            self.objects.clear()


# -- filesystem ---------------------------------------------------------------------------


class _FileWriter(ObjectWriter):
    def __init__(self, store: FilesystemStorage, target: Path, header: bytes) -> None:
        self._target = target
        self._tmp = store.tmp_path()
        self._file: BinaryIO | None = open(self._tmp, "wb")  # noqa: SIM115 - closed in commit
        self._file.write(header)

    def write(self, data: bytes) -> None:
        assert self._file is not None
        self._file.write(data)
        self.size += len(data)

    def commit(self) -> None:
        assert self._file is not None
        self._file.close()
        self._file = None
        self._target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._tmp, self._target)
        _unlink(self._target.with_suffix(".tti"))

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        _unlink(self._tmp)


class FilesystemStorage(Storage):
    """Objects as files under ``root``.

    Layout (not the Rust backend's): ``objects/<hh>/<sha256>`` holds one line of JSON
    (identity, revision, metadata) followed by the raw payload; ``<sha256>.tti`` records a
    bumped TTI deadline for one revision; ``tmp/`` holds bodies being received;
    ``multipart/<upload_id>/`` holds multipart uploads.
    """

    def __init__(self, root: Path | str, clock: Clock) -> None:
        super().__init__(clock)
        self.root = Path(root)
        for sub in ("objects", "tmp", "multipart"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def tmp_path(self) -> Path:
        return self.root / "tmp" / uuid.uuid4().hex

    def object_path(self, oid: ObjectId) -> Path:
        digest = oid.digest()
        return self.root / "objects" / digest[:2] / digest

    def writer(self, oid: ObjectId, metadata: Metadata) -> ObjectWriter:
        header = {
            "id": [oid.usecase, [list(s) for s in oid.scopes], oid.key],
            "revision": uuid.uuid4().hex,
            "metadata": metadata.to_json(),
        }
        line = json.dumps(header, separators=(",", ":")).encode("utf-8", "surrogatepass")
        return _FileWriter(self, self.object_path(oid), line + b"\n")

    def _load(self, oid: ObjectId) -> StoredObject | None:
        path = self.object_path(oid)
        try:
            reader = open(path, "rb")  # noqa: SIM115 - owned by the StoredObject
        except FileNotFoundError:
            return None
        try:
            line = reader.readline()
            header = json.loads(line)
            metadata = Metadata.from_json(header["metadata"])
            total = os.fstat(reader.fileno()).st_size
            tti = self._read_tti(path, header["revision"])
        except Exception:
            reader.close()
            raise
        if tti is not None:
            metadata = replace(metadata, time_expires=tti)
        return StoredObject(metadata, total - len(line), reader, len(line), header["revision"])

    def _read_tti(self, path: Path, revision: str) -> int | None:
        try:
            data = json.loads(path.with_suffix(".tti").read_bytes())
        except (FileNotFoundError, ValueError):
            return None
        return int(data["time_expires"]) if data.get("revision") == revision else None

    def _set_expires(self, oid: ObjectId, obj: StoredObject, metadata: Metadata) -> None:
        tmp = self.tmp_path()
        tmp.write_text(
            json.dumps({"revision": obj.revision, "time_expires": metadata.time_expires})
        )
        os.replace(tmp, self.object_path(oid).with_suffix(".tti"))

    def clear(self) -> None:
        shutil.rmtree(self.root / "objects", ignore_errors=True)
        (self.root / "objects").mkdir(parents=True, exist_ok=True)

    def delete(self, oid: ObjectId) -> bool:
        path = self.object_path(oid)
        _unlink(path.with_suffix(".tti"))
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
