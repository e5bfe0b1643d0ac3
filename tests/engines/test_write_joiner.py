"""The writes both engines make for a request: small pieces joined into one segment, large
chunks passed on as they are, chunked framing around each chunk."""

from __future__ import annotations

from typing import Any

import httptools

from objectstore_client._engines._h1 import JOIN_BYTES, WriteJoiner


def writes(head: bytes, chunks: list[Any], chunked: bool) -> list[Any]:
    joiner = WriteJoiner(head, chunked)
    out: list[Any] = []
    for chunk in chunks:
        due = joiner.add(chunk)
        if due is not None:
            out.extend(due)
    out.append(joiner.finish())
    return [w for w in out if len(w)]


def test_a_small_request_is_one_write() -> None:
    assert writes(b"HEAD\r\n\r\n", [b"body"], chunked=False) == [b"HEAD\r\n\r\nbody"]
    assert writes(b"HEAD\r\n\r\n", [], chunked=False) == [b"HEAD\r\n\r\n"]


def test_a_large_chunk_is_written_as_is() -> None:
    big = memoryview(bytearray(JOIN_BYTES))
    out = writes(b"HEAD\r\n\r\n", [b"a", big, b"z"], chunked=False)
    assert out[0] == b"HEAD\r\n\r\na" and out[1] is big and out[2] == b"z"


def test_chunked_framing_parses_back_and_skips_empty_chunks() -> None:
    head = b"PUT /k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunks: list[Any] = [b"abc", b"", bytearray(JOIN_BYTES + 1), memoryview(b"xyz")]
    wire = b"".join(bytes(w) for w in writes(head, chunks, chunked=True))
    received: list[bytes] = []

    class Request:
        done = False

        def on_body(self, body: bytes) -> None:
            received.append(body)

        def on_message_complete(self) -> None:
            Request.done = True

    httptools.HttpRequestParser(Request()).feed_data(wire)
    assert Request.done
    assert b"".join(received) == b"abc" + bytes(JOIN_BYTES + 1) + b"xyz"
