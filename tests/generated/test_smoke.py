"""The generated layer, called directly over real HTTP, one operation of each family.

A small recording server stands in for Objectstore: it answers with the documented status and
body of each route and remembers what arrived on the wire, so these tests pin what the generated
request builders send (paths, key encoding, headers, bodies)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from objectstore_generated import Client
from objectstore_generated.api.batch import batch
from objectstore_generated.api.health import health
from objectstore_generated.api.multipart import complete_multipart_upload, upload_part
from objectstore_generated.api.objects import get_object, head_object, put_object
from objectstore_generated.models import (
    CompleteMultipartUpload,
    CompletePart,
    CompleteSucceeded,
    KeyResponse,
    PartUploaded,
)
from objectstore_generated.types import File


class Recorded:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []


class Handler(BaseHTTPRequestHandler):
    recorded: Recorded
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    return data
                data += chunk
        return self.rfile.read(int(self.headers.get("content-length", "0")))

    def _answer(self, status: int, body: bytes = b"", content_type: str = "") -> None:
        body_in = self._body()
        self.recorded.requests.append(
            (self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body_in)
        )
        self.send_response(status)
        if content_type:
            self.send_header("content-type", content_type)
        if self.command == "GET" and self.path.startswith("/v1/objects/"):
            self.send_header("x-sn-expiration", "ttl:1day")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_PUT(self) -> None:
        if self.path.startswith("/v1/objects:multipart:parts/"):
            self._answer(200, b'{"etag":"\\"etag-1-5\\""}', "application/json")
        else:
            self._answer(200, json.dumps({"key": "k"}).encode(), "application/json")

    def do_POST(self) -> None:
        if self.path.startswith("/v1/objects:multipart:complete/"):
            self._answer(200, b'   {"key":"big"}', "application/json")
        else:
            self._answer(200, b"", "multipart/form-data; boundary=b")

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(200, b"OK", "text/plain")
        else:
            self._answer(200, b"payload", "application/octet-stream")

    def do_HEAD(self) -> None:
        self._answer(204)


@pytest.fixture
def server() -> Iterator[tuple[str, Recorded]]:
    recorded = Recorded()
    handler = type("BoundHandler", (Handler,), {"recorded": recorded})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", recorded
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_objects_put_sends_literal_key_and_metadata(server: tuple[str, Recorded]) -> None:
    url, recorded = server
    with Client(base_url=url) as client:
        response = put_object.sync_detailed(
            "attachments",
            "org=42;project=1337",
            "dir/with space/100%/é?#",
            client=client,
            body=File(payload=io.BytesIO(b"hello")),
            x_sn_expiration="ttl:30s",
            content_encoding="zstd",
        )
    assert response.status_code == 200
    assert isinstance(response.parsed, KeyResponse)
    assert response.parsed.key == "k"
    method, path, headers, body = recorded.requests[0]
    assert method == "PUT"
    # "/" and ";" "=" stay literal, "%" is encoded exactly once: the key is a literal string
    assert (
        path == "/v1/objects/attachments/org=42;project=1337/dir/with%20space/100%25/%C3%A9%3F%23"
    )
    assert headers["x-sn-expiration"] == "ttl:30s"
    assert headers["content-encoding"] == "zstd"
    assert body == b"hello"


async def test_objects_get_and_head_async(server: tuple[str, Recorded]) -> None:
    url, recorded = server
    async with Client(base_url=url) as client:
        got = await get_object.asyncio_detailed("u", "_", "k", client=client, range_="bytes=0-1")
        head = await head_object.asyncio_detailed("u", "_", "k", client=client)
    assert got.status_code == 200
    assert got.content == b"payload"
    assert got.headers["x-sn-expiration"] == "ttl:1day"
    assert head.status_code == 204
    assert recorded.requests[0][2]["range"] == "bytes=0-1"
    assert recorded.requests[1][:2] == ("HEAD", "/v1/objects/u/_/k")


def test_multipart_part_and_complete(server: tuple[str, Recorded]) -> None:
    url, recorded = server
    with Client(base_url=url) as client:
        part = upload_part.sync(
            "u",
            "_",
            "big",
            client=client,
            body=File(payload=io.BytesIO(b"12345")),
            upload_id="01J-upload",
            part_number=1,
            content_length=5,
        )
        done = complete_multipart_upload.sync(
            "u",
            "_",
            "big",
            client=client,
            body=CompleteMultipartUpload(parts=[CompletePart(part_number=1, etag='"etag-1-5"')]),
            upload_id="01J-upload",
        )
    assert isinstance(part, PartUploaded)
    assert part.etag == '"etag-1-5"'
    # the JSON parser tolerates the leading whitespace the server streams before the document
    assert isinstance(done, CompleteSucceeded)
    assert done.key == "big"
    method, path, headers, part_body = recorded.requests[0]
    assert (method, path) == (
        "PUT",
        "/v1/objects:multipart:parts/u/_/big?upload_id=01J-upload&part_number=1",
    )
    assert headers["content-length"] == "5"
    assert part_body == b"12345"
    assert json.loads(recorded.requests[1][3]) == {
        "parts": [{"part_number": 1, "etag": '"etag-1-5"'}]
    }


def test_batch_request_builder_and_send(server: tuple[str, Recorded]) -> None:
    url, recorded = server
    body = (
        b"--b\r\nx-sn-batch-operation-kind: get\r\nx-sn-batch-operation-key: k\r\n\r\n\r\n--b--\r\n"
    )
    kwargs = batch.build_request_kwargs("u", "org=1")  # the body is the caller's to stream
    assert "content" not in kwargs and kwargs["method"] == "post"
    assert kwargs["url"] == "/v1/objects:batch/u/org=1/"
    with Client(base_url=url) as client:
        response = batch.sync_detailed(
            "u", "org=1", client=client, body=File(payload=io.BytesIO(body))
        )
    assert response.status_code == 200
    assert recorded.requests[0][3] == body


def test_health(server: tuple[str, Recorded]) -> None:
    url, _ = server
    with Client(base_url=url) as client:
        response = health.sync_detailed(client=client)
        parsed = health.sync(client=client)
    assert response.status_code == 200
    assert parsed == "OK"
