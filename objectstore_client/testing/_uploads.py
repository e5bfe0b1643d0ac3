"""Multipart upload state (reference §12): parts on disk, completion into the object store.

Parts always live on disk (under the data dir, or a private temporary directory for memory
storage), so large parts never sit in memory. Semantics follow the filesystem backend:
etags are ``"etag-<part_number>-<declared length>"``, completion concatenates the listed
parts in the given order, abort is idempotent.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ._metadata import Metadata
from ._storage import FilesystemStorage, ObjectId, Storage

__all__ = ["InvalidPart", "UploadNotFound", "Uploads", "new_upload_id", "valid_upload_id"]


class UploadNotFound(Exception):
    """No such upload for this object."""


class InvalidPart(Exception):
    """A listed part is missing or its etag does not match."""


def new_upload_id() -> str:
    """A UUIDv7 string, like the filesystem and in-memory backends."""
    millis = int(time.time() * 1000) & ((1 << 48) - 1)
    rand = secrets.randbits(74)
    value = (millis << 80) | (0x7 << 76) | ((rand >> 62) << 64) | (0b10 << 62)
    value |= rand & ((1 << 62) - 1)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def valid_upload_id(upload_id: str) -> bool:
    """Every ``std::path`` component must be a normal name.

    Like Rust's ``Path::components``: empty pieces and inner ``.`` pieces are skipped, a
    leading ``/`` (root) or ``.`` (current dir) and any ``..`` are rejected.
    """
    if not upload_id or upload_id.startswith("/"):
        return False
    pieces = upload_id.split("/")
    if pieces[0] == ".":
        return False
    normal = [p for p in pieces if p not in ("", ".")]
    return bool(normal) and ".." not in normal


@dataclass(frozen=True)
class PartInfo:
    part_number: int
    etag: str
    size: int
    uploaded_at: int  # unix nanoseconds


class PartWriter:
    """Receives one part body; ``commit`` publishes it under its part number."""

    def __init__(self, directory: Path, part_number: int, declared: int, now_ns: int) -> None:
        self._dir, self._n, self._declared, self._now = directory, part_number, declared, now_ns
        self._tmp = directory / f".{secrets.token_hex(8)}.tmp"
        self._file: BinaryIO = open(self._tmp, "wb")  # noqa: SIM115 - closed in commit/abort
        self.size = 0

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self.size += len(data)

    def commit(self) -> str:
        self._file.close()
        etag = f'"etag-{self._n}-{self._declared}"'
        os.replace(self._tmp, self._dir / f"{self._n}.part")
        info = {"etag": etag, "size": self._declared, "uploaded_at": self._now}
        _write_json(self._dir / f"{self._n}.json", info)
        return etag

    def abort(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)


class Uploads:
    """All multipart uploads of one storage.

    With memory storage the parts go to a private temporary directory, made on the first
    upload (an app that never sees one leaves nothing on disk) and removed by :meth:`close`,
    or at interpreter exit when nobody closed it.
    """

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._root: Path | None = None
        self._remove_own_tmp: weakref.finalize[Any, Any] | None = None
        if isinstance(storage, FilesystemStorage):
            self._root = storage.root / "multipart"
            self._root.mkdir(parents=True, exist_ok=True)

    @property
    def root(self) -> Path:
        """Where the parts live (the private temporary directory is made here, once)."""
        if self._root is None:
            own = tempfile.mkdtemp(prefix="objectstore-multipart-")
            self._remove_own_tmp = weakref.finalize(self, shutil.rmtree, own, ignore_errors=True)
            self._root = Path(own)
        return self._root

    def close(self) -> None:
        """Remove the private temporary directory, if one was made."""
        if self._remove_own_tmp is not None:
            self._remove_own_tmp()
            self._remove_own_tmp = None
            self._root = None

    def clear(self) -> None:
        """Forget every upload."""
        if self._root is None:
            return
        shutil.rmtree(self._root, ignore_errors=True)
        self._root.mkdir(parents=True, exist_ok=True)

    def _now_ns(self) -> int:
        return round(self.storage.clock() * 1e9)

    def create(self, oid: ObjectId, metadata: Metadata) -> str:
        upload_id = new_upload_id()
        directory = self.root / upload_id
        directory.mkdir()
        _write_json(directory / "upload.json", {"id": _ident(oid), "metadata": metadata.to_json()})
        return upload_id

    def _dir(self, oid: ObjectId, upload_id: str) -> tuple[Path, Metadata]:
        # no directory yet: no upload was ever made, and a lookup must not create one
        if "/" in upload_id or not valid_upload_id(upload_id) or self._root is None:
            raise UploadNotFound(upload_id)
        directory = self._root / upload_id
        try:
            doc = json.loads((directory / "upload.json").read_bytes())
        except (FileNotFoundError, NotADirectoryError, ValueError):
            raise UploadNotFound(upload_id) from None
        if doc["id"] != _ident(oid):
            raise UploadNotFound(upload_id)
        return directory, Metadata.from_json(doc["metadata"])

    def part_writer(
        self, oid: ObjectId, upload_id: str, part_number: int, declared: int
    ) -> PartWriter:
        directory, _ = self._dir(oid, upload_id)
        return PartWriter(directory, part_number, declared, self._now_ns())

    def parts(self, oid: ObjectId, upload_id: str) -> list[PartInfo]:
        directory, _ = self._dir(oid, upload_id)
        found: list[PartInfo] = []
        for entry in directory.glob("*.json"):
            if entry.stem.isdigit():
                try:
                    doc = json.loads(entry.read_bytes())
                except (FileNotFoundError, ValueError):
                    continue
                found.append(
                    PartInfo(int(entry.stem), doc["etag"], doc["size"], doc["uploaded_at"])
                )
        return sorted(found, key=lambda p: p.part_number)

    def abort(self, oid: ObjectId, upload_id: str) -> None:
        try:
            directory, _ = self._dir(oid, upload_id)
        except UploadNotFound:
            return
        shutil.rmtree(directory, ignore_errors=True)

    def complete(self, oid: ObjectId, upload_id: str, listed: list[tuple[int, str]]) -> None:
        directory, metadata = self._dir(oid, upload_id)
        known = {p.part_number: p for p in self.parts(oid, upload_id)}
        for number, etag in listed:
            part = known.get(number)
            if part is None:
                raise InvalidPart(f"part {number} not found")
            if part.etag != etag:
                raise InvalidPart(
                    f"etag mismatch for part {number}: expected {part.etag}, got {etag}"
                )
        writer = self.storage.writer(oid, metadata)
        try:
            for number, _ in listed:
                with open(directory / f"{number}.part", "rb") as fh:
                    while chunk := fh.read(1024 * 1024):
                        writer.write(chunk)
        except BaseException:
            writer.abort()
            raise
        writer.commit()
        shutil.rmtree(directory, ignore_errors=True)


def _ident(oid: ObjectId) -> list[Any]:
    return [oid.usecase, [list(s) for s in oid.scopes], oid.key]


def _write_json(path: Path, doc: object) -> None:
    tmp = path.with_name(f".{secrets.token_hex(8)}.tmp")
    tmp.write_text(json.dumps(doc))
    os.replace(tmp, path)
