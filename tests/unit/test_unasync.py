"""scripts/unasync.py: the rewriting rules that make the sync drivers from the async ones."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def unasync() -> ModuleType:
    spec = importlib.util.spec_from_file_location("unasync", ROOT / "scripts" / "unasync.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["unasync"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("async def put(self) -> AsyncIterator[bytes]:", "def put(self) -> Iterator[bytes]:"),
        ("    return await self._http.aclose()", "    return self._http.close()"),
        ("async with slots:", "with slots:"),
        ("async for chunk in r.aiter_raw():", "for chunk in r.iter_raw():"),
        ("chunk = await anext(self._chunks, b'')", "chunk = next(self._chunks, b'')"),
        ("from ._transfer_async import upload", "from ._transfer_sync import upload"),
        ("from . import _async", "from . import _sync"),
        (
            "class _AsyncStream(httpcore.AsyncNetworkStream):",
            "class _Stream(httpcore.NetworkStream):",
        ),
        ("x = httpx.AsyncClient(**kw)", "x = httpx.Client(**kw)"),
        ("class AsyncBody(httpx.AsyncByteStream):", "class Body(httpx.SyncByteStream):"),
        ("await pool.handle_async_request(r)", "pool.handle_request(r)"),
        ("async def __aenter__(self) -> AsyncClient:", "def __enter__(self) -> Client:"),
        # whole words only
        ("is_async = awaited + asyncio_x + reader", "is_async = awaited + asyncio_x + reader"),
    ],
)
def test_lines_are_rewritten_word_by_word(unasync: ModuleType, line: str, expected: str) -> None:
    assert unasync.unasync_line(line) == expected


def test_async_only_blocks_are_dropped(unasync: ModuleType) -> None:
    source = (
        "a = 1\n    # unasync: async-only\nasync def aclose(): ...\n    # unasync: end\nb = 2\n"
    )
    assert unasync.unasync_text(source) == "a = 1\nb = 2\n"


def test_an_unterminated_async_only_block_is_an_error(unasync: ModuleType) -> None:
    with pytest.raises(SystemExit, match="unterminated"):
        unasync.unasync_text("# unasync: async-only\nx = 1\n")


def test_committed_sync_twins_match_their_sources(unasync: ModuleType) -> None:
    for source, target in unasync.PAIRS:
        assert (ROOT / target).read_text() == unasync.generate(source, target), target
