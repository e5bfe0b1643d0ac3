"""Range reads end to end, sync and async, on plain and compressed objects."""

from __future__ import annotations

import pytest
import zstandard

from objectstore_client import InvalidInput, RangeNotSatisfiable, RangeResult
from tests.e2e.adapter import SessionAdapter

DATA = bytes(range(256)) * 4  # 1024 bytes


@pytest.mark.parametrize(
    ("args", "kwargs", "start", "end"),
    [
        ((10, 19), {}, 10, 19),
        ((1000,), {}, 1000, 1023),
        ((), {"suffix": 24}, 1000, 1023),
        ((0, 5000), {}, 0, 1023),  # end clamped
        ((), {"suffix": 5000}, 0, 1023),  # suffix larger than the object: all of it
    ],
)
async def test_ranges_of_an_uncompressed_object(
    session: SessionAdapter, args: tuple[int, ...], kwargs: dict[str, int], start: int, end: int
) -> None:
    await session.put(DATA, "plain", compress="none")
    result = await session.call("get_range", "plain", *args, **kwargs)
    assert isinstance(result, RangeResult)
    assert (result.start, result.end, result.size) == (start, end, len(DATA))
    assert result.data == DATA[start : end + 1]
    assert result.metadata.compression is None


async def test_ranges_of_a_compressed_object_are_stored_bytes(session: SessionAdapter) -> None:
    await session.put(DATA, "packed")  # zstd by default
    stored = await session.get_bytes("packed", decompress=False)
    assert stored is not None
    frame = stored[1]
    result = await session.call("get_range", "packed", 0, 9)
    assert result.size == len(frame) != len(DATA)
    assert result.data == frame[:10]
    assert result.metadata.compression == "zstd"
    whole = await session.call("get_range", "packed", 0)
    assert zstandard.ZstdDecompressor().decompress(whole.data) == DATA


async def test_missing_and_unsatisfiable(session: SessionAdapter) -> None:
    assert await session.call("get_range", "absent", 0, 1) is None
    await session.put(DATA, "plain", compress="none")
    with pytest.raises(RangeNotSatisfiable) as info:
        await session.call("get_range", "plain", 1024)
    assert info.value.status == 416 and info.value.size == 1024


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "start"),
        ((-1,), {}, "start"),
        ((5, 4), {}, "end"),
        ((), {"suffix": 0}, "suffix"),
        ((1,), {"suffix": 3}, "either"),
        (("1",), {}, "start"),
    ],
)
async def test_bad_ranges_are_refused_before_any_request(
    session: SessionAdapter, args: tuple[object, ...], kwargs: dict[str, int], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await session.call("get_range", "key", *args, **kwargs)
