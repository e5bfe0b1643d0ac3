"""put(compress=, precompressed=, compression= (deprecated)) and the other 0.2.10 arguments,
over real HTTP against the local server, sync and async."""

from __future__ import annotations

import inspect
import uuid
import warnings
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import zstandard

from objectstore_client import ConnectError, Usecase
from tests.e2e.adapter import ClientAdapter, SessionAdapter

TEXT = b"compressible text " * 4000
PACKED = zstandard.ZstdCompressor(level=19).compress(TEXT)


class Recorder:
    def __init__(self) -> None:
        self.sizes: list[tuple[float, dict[str, str]]] = []

    def increment(self, name: str, value: float = 1, tags: Any = None) -> None:
        pass

    def gauge(self, name: str, value: float, tags: Any = None) -> None:
        pass

    def distribution(self, name: str, value: float, tags: Any = None, unit: Any = None) -> None:
        if name == "storage.put.size":
            self.sizes.append((value, dict(tags)))


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def metrics_and_session(
    kind: str, objectstore_url: str
) -> AsyncIterator[tuple[Recorder, SessionAdapter]]:
    recorder = Recorder()
    client = ClientAdapter(kind, objectstore_url, metrics_backend=recorder)
    yield recorder, client.session("attachments", org=uuid.uuid4().hex[:12])
    await client.close()


async def _stored(session: SessionAdapter, key: str) -> tuple[str | None, bytes]:
    got = await session.get_bytes(key, decompress=False)
    assert got is not None
    return got[0].compression, got[1]


async def test_compress_overrides_the_usecase(
    metrics_and_session: tuple[Recorder, SessionAdapter],
) -> None:
    _, session = metrics_and_session
    await session.put(TEXT, "raw", compress="none")
    assert await _stored(session, "raw") == (None, TEXT)
    await session.put(TEXT, "packed", "zstd")  # positionally, as in 0.2.10
    compression, stored = await _stored(session, "packed")
    assert compression == "zstd" and zstandard.decompress(stored) == TEXT
    got = await session.get_bytes("packed")
    assert got is not None and got[1] == TEXT


async def test_precompressed_is_stored_verbatim_and_read_decompressed(
    metrics_and_session: tuple[Recorder, SessionAdapter],
) -> None:
    recorder, session = metrics_and_session
    await session.put(PACKED, "pre", precompressed="zstd")
    assert await _stored(session, "pre") == ("zstd", PACKED)
    got = await session.get_bytes("pre")
    assert got is not None and got[1] == TEXT and got[0].compression is None
    # like upstream, only the size as sent is measured (the SDK never saw the original)
    assert recorder.sizes == [(len(PACKED), {"usecase": "attachments", "compression": "zstd"})]


async def test_compression_still_works_and_warns_at_the_caller(
    metrics_and_session: tuple[Recorder, SessionAdapter],
) -> None:
    _, session = metrics_and_session
    with pytest.warns(DeprecationWarning, match="`compression` is deprecated") as caught:
        result = session.raw.put(TEXT, "old", compression="none")
        if inspect.isawaitable(result):
            await result
    assert caught[0].filename == __file__
    assert await _stored(session, "old") == (None, TEXT)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"compress": "zstd", "compression": "none"}, "both `compress` and `compression`"),
        ({"compress": "none", "precompressed": "zstd"}, "Cannot pass both `compress` and"),
        ({"compress": "gzip"}, "Invalid compression: gzip"),
        ({"precompressed": "none"}, "Invalid compression: none"),
        ({"resumable_threshold_bytes": -1}, "resumable_threshold_bytes must be a non-negative"),
    ],
)  # fmt: skip
async def test_bad_arguments_fail_before_any_request(
    kind: str, kwargs: dict[str, Any], message: str
) -> None:
    client = ClientAdapter(kind, "http://127.0.0.1:9")  # nothing listens: a request would fail
    session = client.session("attachments", org=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError, match=message):
            await session.put(b"x", "k", **kwargs)
        with pytest.raises(ConnectError):  # the same put with good arguments does go out
            await session.put(b"x", "k", compress="none")
    await client.close()


async def test_resumable_threshold_and_spool_dir_are_accepted(
    kind: str, objectstore_url: str, tmp_path: Any
) -> None:
    client = ClientAdapter(kind, objectstore_url, spool_dir=tmp_path)
    usecase = Usecase("attachments", resumable_threshold_bytes=1)
    session = client.session(usecase, org=uuid.uuid4().hex[:12])
    await session.put(TEXT, "big", resumable_threshold_bytes="none")
    await session.put(TEXT, "big2")  # above the threshold: one streamed request here
    for key in ("big", "big2"):
        got = await session.get_bytes(key)
        assert got is not None and got[1] == TEXT
    assert list(tmp_path.iterdir()) == []  # nothing is ever spooled
    await client.close()
    with pytest.raises(ValueError, match="spool_dir must be a path"):
        ClientAdapter(kind, objectstore_url, spool_dir=3)


async def test_put_part_messages_are_upstreams(kind: str, objectstore_url: str) -> None:
    client = ClientAdapter(kind, objectstore_url)
    session = client.session("attachments", org=uuid.uuid4().hex[:12])
    upload = await session.initiate(key="mp", compress="none")
    with pytest.raises(ValueError, match="content_length must match the size of the provided"):
        await upload.put_part(b"abc", part_number=1, content_length=5)
    with pytest.raises(ValueError, match="content_md5 must be exactly 16 bytes"):
        await upload.put_part(b"abc", part_number=1, content_length=3, content_md5=b"x")
    await upload.abort()
    await client.close()


async def test_metadata_values_are_percent_encoded_on_the_wire(
    kind: str, objectstore_url: str
) -> None:
    client = ClientAdapter(kind, objectstore_url)
    org = uuid.uuid4().hex[:12]
    session = client.session("attachments", org=org)
    note = {"note": "naïve 100% → ok", "pad": "  spaced\t"}
    values = {"metadata": note, "origin": "a%41", "filename": "résumé.pdf"}
    await session.put(b"x", "meta", **values)
    head = await session.head("meta")
    assert head is not None
    assert (head.custom, head.origin, head.filename) == (note, "a%41", "résumé.pdf")
    raw = httpx.head(f"{objectstore_url}/v1/objects/attachments/org={org}/meta").headers
    assert raw["x-snme-note"] == "na%C3%AFve 100%25 %E2%86%92 ok"
    assert (raw["x-sn-origin"], raw["x-sn-filename"]) == ("a%2541", "r%C3%A9sum%C3%A9.pdf")
    await client.close()


def test_values_written_raw_by_older_clients_read_as_sent() -> None:
    from objectstore_client import Metadata

    metadata = Metadata.from_headers({"x-snme-a": "plain", "x-snme-b": "50%", "x-snme-c": "%FF"})
    assert metadata.custom == {"a": "plain", "b": "50%", "c": "%FF"}
