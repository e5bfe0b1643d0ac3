"""The generated layer against the local Objectstore server: each family over real HTTP.

The generated functions buffer bodies and cannot parse the server's non-JSON errors (which is
why the facade only uses their request builders), but for documented successes they must
agree with the server on paths, statuses and models."""

from __future__ import annotations

import io
import uuid

from objectstore_generated import Client
from objectstore_generated.api.batch import batch
from objectstore_generated.api.health import health, ready
from objectstore_generated.api.multipart import (
    abort_multipart_upload,
    complete_multipart_upload,
    initiate_multipart_upload,
    list_parts,
    upload_part,
)
from objectstore_generated.api.objects import (
    delete_object,
    get_object,
    head_object,
    insert_object,
    put_object,
)
from objectstore_generated.models import (
    CompleteMultipartUpload,
    CompletePart,
    CompleteSucceeded,
    KeyResponse,
    MultipartUploadStarted,
    PartsPage,
    PartUploaded,
)
from objectstore_generated.types import File


def scope() -> str:
    return f"org={uuid.uuid4().hex[:12]}"


def test_objects(objectstore_url: str) -> None:
    scopes = scope()
    with Client(base_url=objectstore_url) as client:
        inserted = insert_object.sync_detailed(
            "gen", scopes, client=client, body=File(payload=io.BytesIO(b"generated"))
        )
        assert inserted.status_code == 201
        assert isinstance(inserted.parsed, KeyResponse)
        stored = put_object.sync(
            "gen",
            scopes,
            "dir/key with space",
            client=client,
            body=File(payload=io.BytesIO(b"hello")),
            x_sn_expiration="ttl:1h",
        )
        assert isinstance(stored, KeyResponse)
        assert stored.key == "dir/key with space"
        got = get_object.sync_detailed("gen", scopes, "dir/key with space", client=client)
        assert (got.status_code, got.content) == (200, b"hello")
        assert got.headers["x-sn-expiration"] == "ttl:1h"
        ranged = get_object.sync_detailed(
            "gen", scopes, "dir/key with space", client=client, range_="bytes=1-3"
        )
        assert (ranged.status_code, ranged.content) == (206, b"ell")
        assert (
            head_object.sync_detailed("gen", scopes, inserted.parsed.key, client=client).status_code
            == 204
        )
        assert (
            delete_object.sync_detailed(
                "gen", scopes, "dir/key with space", client=client
            ).status_code
            == 204
        )
        assert (
            head_object.sync_detailed(
                "gen", scopes, "dir/key with space", client=client
            ).status_code
            == 404
        )


def test_multipart(objectstore_url: str) -> None:
    scopes = scope()
    with Client(base_url=objectstore_url) as client:
        started = initiate_multipart_upload.sync("gen", scopes, client=client)
        assert isinstance(started, MultipartUploadStarted)
        key, upload_id = started.key, started.upload_id
        etags = []
        for number, data in enumerate([b"first-", b"second"], start=1):
            part = upload_part.sync(
                "gen",
                scopes,
                key,
                client=client,
                body=File(payload=io.BytesIO(data)),
                upload_id=upload_id,
                part_number=number,
                content_length=len(data),
            )
            assert isinstance(part, PartUploaded)
            etags.append(part.etag)
        page = list_parts.sync("gen", scopes, key, client=client, upload_id=upload_id, max_parts=1)
        assert isinstance(page, PartsPage)
        assert [p.part_number for p in page.parts] == [1]
        assert page.is_truncated
        done = complete_multipart_upload.sync(
            "gen",
            scopes,
            key,
            client=client,
            upload_id=upload_id,
            body=CompleteMultipartUpload(
                parts=[CompletePart(part_number=n, etag=e) for n, e in enumerate(etags, 1)]
            ),
        )
        assert isinstance(done, CompleteSucceeded)
        assert (
            get_object.sync_detailed("gen", scopes, key, client=client).content == b"first-second"
        )
        other = initiate_multipart_upload.sync("gen", scopes, client=client)
        assert isinstance(other, MultipartUploadStarted)
        aborted = abort_multipart_upload.sync_detailed(
            "gen", scopes, other.key, client=client, upload_id=other.upload_id
        )
        assert aborted.status_code == 204


def test_batch_and_health(objectstore_url: str) -> None:
    scopes = scope()
    body = (
        b"--b\r\nx-sn-batch-operation-kind: insert\r\nx-sn-batch-operation-key: k\r\n\r\n"
        b"batched\r\n--b\r\nx-sn-batch-operation-kind: get\r\nx-sn-batch-operation-key: gone\r\n"
        b"\r\n\r\n--b--\r\n"
    )
    kwargs = batch.build_request_kwargs("gen", scopes)
    kwargs["headers"]["Content-Type"] = "multipart/form-data; boundary=b"
    kwargs["content"] = body
    with Client(base_url=objectstore_url) as client:
        http = client.get_httpx_client()
        response = http.send(http.build_request(**kwargs))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith('multipart/form-data; boundary="')
        assert b"x-sn-batch-operation-status: 201 Created" in response.content
        assert b"x-sn-batch-operation-status: 404 Not Found" in response.content
        assert get_object.sync_detailed("gen", scopes, "k", client=client).content == b"batched"
        assert health.sync(client=client) == "OK"
        assert ready.sync_detailed(client=client).status_code == 200
