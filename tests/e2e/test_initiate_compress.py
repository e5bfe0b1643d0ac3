"""``initiate_multipart_upload`` takes ``compress=`` like ``put`` and ``upload``;
``compression=`` is its deprecated name. Over HTTP against the local server."""

from __future__ import annotations

import pytest
import zstandard

from objectstore_client import AsyncClient, Client, InvalidInput, Usecase


def test_compress_is_recorded_and_compression_warns(objectstore_url: str) -> None:
    with Client(objectstore_url) as client:
        session = client.session(Usecase("attachments"), org=21)

        plain = session.initiate_multipart_upload(key="mp-plain", compress="none")
        part = plain.put_part(b"as is", part_number=1, content_length=5)
        plain.complete([part])
        head = session.head("mp-plain")
        assert head is not None and head.compression is None
        stored = session.get("mp-plain")
        assert stored is not None and stored.payload.read() == b"as is"

        with pytest.warns(DeprecationWarning, match="`compression` is deprecated"):
            old = session.initiate_multipart_upload(key="mp-old", compression="zstd")
        frame = zstandard.ZstdCompressor().compress(b"compressed by the caller")
        old.complete([old.put_part(frame, part_number=1, content_length=len(frame))])
        head = session.head("mp-old")
        assert head is not None and head.compression == "zstd"
        stored = session.get("mp-old")  # decompressed on the way
        assert stored is not None and stored.payload.read() == b"compressed by the caller"


def test_bad_encodings_are_refused_before_any_request(objectstore_url: str) -> None:
    with Client(objectstore_url) as client:
        session = client.session(Usecase("attachments"), org=21)
        with pytest.raises(InvalidInput, match="Invalid compression: gzip"):
            session.initiate_multipart_upload(compress="gzip")  # type: ignore[arg-type]
        with (
            pytest.raises(InvalidInput, match="Cannot pass both"),
            pytest.warns(DeprecationWarning),
        ):
            session.initiate_multipart_upload(compress="zstd", compression="zstd")


async def test_the_asyncio_client_takes_compress_too(objectstore_url: str) -> None:
    async with AsyncClient(objectstore_url) as client:
        session = client.session(Usecase("attachments", compression="none"), org=22)
        upload = await session.initiate_multipart_upload(key="mp-async", compress="zstd")
        frame = zstandard.ZstdCompressor().compress(b"async part")
        part = await upload.put_part(frame, part_number=1, content_length=len(frame))
        await upload.complete([part])
        metadata = await session.head("mp-async")
        assert metadata is not None and metadata.compression == "zstd"
