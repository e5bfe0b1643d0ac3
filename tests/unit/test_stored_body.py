"""The download payloads (``_io_sync``, ``_io_async``) and their stored bytes across responses
(``_stored_body_async`` and its generated twin): chunks in order, a broken or short body
resumed where it stopped, errors typed, zstd decoded as read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import zstandard

from objectstore_client._core.plan import plan_get
from objectstore_client._core.resume import Download
from objectstore_client._engines._errors import ReadError, transport_error
from objectstore_client._engines._response import Headers
from objectstore_client._exceptions import TransportError
from objectstore_client._io_async import AsyncPayload
from objectstore_client._io_sync import Payload
from objectstore_client._stored_body_async import AsyncStoredBody
from objectstore_client._stored_body_sync import StoredBody

from ._core.scripted import session

PATH = "/pre/v1/objects/u/org=1/k"


class _Answer:
    """An engine's response (both protocols) whose body sends ``chunks``, then breaks with
    ``error`` (an engine's failure, mapped at its boundary as every engine does)."""

    status_code = 206
    method, path, server = "GET", PATH, "objectstore.test:80"

    def __init__(self, chunks: list[bytes], error: Exception | None = None) -> None:
        self.headers = Headers([])
        self._chunks, self._error = chunks, error
        self.closed = False

    def _fail(self) -> None:
        if self._error is not None:
            raise transport_error(self._error, self.method, self.path) from self._error

    def iter_raw(self) -> Iterator[bytes]:
        yield from self._chunks
        self._fail()

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk
        self._fail()

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def _response(chunks: list[bytes], error: Exception | None = None) -> Any:
    return _Answer(chunks, error)


def _download(size: int) -> Download:
    headers = {"content-range": f"bytes 0-{size - 1}/{size}"}
    answer = httpx.Response(206, headers=headers)
    return Download.start(plan_get(session(), "k"), answer, started=0.0)


class _Resumes:
    """Answers resumes with the given responses and records the errors that asked."""

    def __init__(self, *responses: Any) -> None:
        self.responses = list(responses)
        self.errors: list[TransportError] = []

    def __call__(self, error: TransportError, /) -> Any:
        self.errors.append(error)
        return self.responses.pop(0)

    async def resume_async(self, error: TransportError, /) -> Any:
        return self(error)


async def _all(body: StoredBody | AsyncStoredBody) -> bytes:
    out = b""
    while chunk := (body.next() if isinstance(body, StoredBody) else await body.next()):
        out += chunk
    return out


def _body(
    kind: str, response: Any, download: Download | None, resumes: _Resumes | None
) -> StoredBody | AsyncStoredBody:
    if kind == "sync":
        return StoredBody(response, download, resumes)
    return AsyncStoredBody(response, download, None if resumes is None else resumes.resume_async)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_broken_body_goes_on_from_where_it_stopped(kind: str) -> None:
    download = _download(6)
    broken = _response([b"ab", b"c"], ReadError("reset"))
    resumes = _Resumes(_response([b"def"]))
    assert await _all(_body(kind, broken, download, resumes)) == b"abcdef"
    assert download.received == 6
    [error] = resumes.errors
    assert (error.method, error.path) == ("GET", PATH)
    assert isinstance(error.__cause__, ReadError) and "[server objectstore.test:80]" in str(error)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_body_that_ends_short_of_the_stored_size_is_resumed(kind: str) -> None:
    download = _download(4)
    resumes = _Resumes(_response([b"cd"]))
    assert await _all(_body(kind, _response([b"ab"]), download, resumes)) == b"abcd"
    assert "after 2 of 4 stored bytes" in str(resumes.errors[0])


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_without_a_stored_size_an_error_is_raised_typed(kind: str) -> None:
    body = _body(kind, _response([b"ab"], ReadError("reset")), None, _Resumes())
    with pytest.raises(TransportError) as caught:
        await _all(body)
    assert caught.value.path == PATH and "objectstore.test:80" in str(caught.value)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_complete_body_needs_no_resume(kind: str) -> None:
    download = _download(3)
    assert await _all(_body(kind, _response([b"a", b"bc"]), download, _Resumes())) == b"abc"
    assert download.short_by() == 0


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("decode", [True, False])
async def test_payloads_decode_across_a_resumed_body(kind: str, decode: bool) -> None:
    """The payloads over a stored body: zstd decoded (or not) as read, across a resume."""
    data = b"payload " * 5000
    stored = zstandard.ZstdCompressor().compress(data)
    half = len(stored) // 2
    download = _download(len(stored))
    broken = _response([stored[:half]], ReadError("reset"))
    resumes = _Resumes(_response([stored[half:]]))
    if kind == "sync":
        payload = Payload(broken, decode, download, resumes)
        got = b"".join(payload)
        payload.close()
    else:
        apayload = AsyncPayload(broken, decode, download, resumes.resume_async)
        got = b"".join([chunk async for chunk in apayload])
        await apayload.aclose()
    assert got == (data if decode else stored)
    assert len(resumes.errors) == 1
