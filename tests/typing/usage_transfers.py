"""A typed tour of uploads, multipart, ranges, pre-signing and batches; ``mypy --strict``
must accept it (not collected by pytest)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from objectstore_client import (
    AsyncClient,
    AsyncMultipartUpload,
    BatchConfig,
    BatchGet,
    BatchPut,
    BatchResult,
    Client,
    CompletePart,
    GetResult,
    MultipartCompleteError,
    MultipartUpload,
    OperationError,
    PartInfo,
    ProgressEvent,
    RangeNotSatisfiable,
    RangeResult,
    TransferConfig,
    Usecase,
)
from objectstore_client.presign import MAX_PRESIGN_DURATION, build_canonical_form


def on_progress(event: ProgressEvent) -> None:
    total: int | None = event.total
    print(event.delta, event.transferred, total)


def sync_tour(client: Client) -> None:
    session = client.session(Usecase("attachments"), org=1)
    config = TransferConfig(part_size=8 << 20, concurrency=4, multipart_threshold=32 << 20)
    key: str = session.upload(Path("big"), "k", config=config, progress=on_progress)
    upload: MultipartUpload = session.initiate_multipart_upload(key="m", content_type="a/b")
    part: CompletePart = upload.put_part(b"x", part_number=1, content_length=1)
    parts: list[PartInfo] = upload.list_parts()
    try:
        key = upload.complete([part, *parts])
    except MultipartCompleteError as exc:
        code: str = exc.code
        print(code)
        upload.abort()
    try:
        ranged: RangeResult | None = session.get_range(key, 0, 9)
        if ranged is not None:
            data: bytes = ranged.data
            print(data, ranged.size)
    except RangeNotSatisfiable as exc:
        print(exc.size)
    url: str = session.presigned_object_url("HEAD", key, MAX_PRESIGN_DURATION)
    print(url, build_canonical_form("GET", "/v1/x", "a=1"))
    results: list[BatchResult] = session.many(
        [BatchPut(b"v", "k"), BatchGet("k")], config=BatchConfig(batch_concurrency=2)
    )
    for got in session.get_many(["k"]):
        if isinstance(got, OperationError):
            print(got.status, got.message)
        elif got.found:
            print(got.data)
    print(results)


async def async_tour(client: AsyncClient) -> None:
    session = client.session(Usecase("attachments"), org=1)
    key: str = await session.upload(b"data", progress=on_progress)
    upload: AsyncMultipartUpload = session.resume_multipart_upload(key, "upload-id")
    await upload.put_part(b"x", part_number=1, content_length=1)
    gets: list[GetResult | OperationError] = await session.get_many([key])
    print(gets, await session.get_range(key, suffix=5), session.presigned_object_url("GET", key))
    print(timedelta(hours=1))
