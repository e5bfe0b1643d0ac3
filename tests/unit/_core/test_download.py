"""The sans-I/O side of Session.download: parts, Content-Range checks, progress, arguments."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from objectstore_client import InvalidInput, TransportError
from objectstore_client._core.download import (
    Part,
    RangeCheck,
    check_destination,
    check_download,
    content_range,
    first_part,
    parts_after_first,
    split_parts,
)
from objectstore_client._core.progress import ProgressAggregator


def test_parts_cover_the_stored_bytes_exactly() -> None:
    assert first_part(10) == Part(0, 9)
    assert split_parts(25, 10, 10) == [Part(10, 19), Part(20, 24)]
    assert parts_after_first(10, first_part(10), 10) == []
    parts = parts_after_first(1001, first_part(100), 100)
    assert parts[0].start == 100 and parts[-1].end == 1000
    assert sum(p.size for p in parts) == 901
    assert Part(5, 9).header == "bytes=5-9"


def test_content_range_only_of_a_206() -> None:
    assert content_range(206, {"content-range": "bytes 0-9/100"}) == (0, 9, 100)
    assert content_range(200, {"content-range": "bytes 0-9/100"}) is None
    assert content_range(206, {"content-range": "bytes */100"}) is None


@pytest.mark.parametrize(
    ("status", "headers", "reason"),
    [
        (206, {"content-range": "bytes 10-19/200"}, "stored size changed from 100 to 200"),
        (206, {"content-range": "bytes 10-19/100", "x-sn-time-created": "later"}, "replaced"),
        (200, {"x-sn-time-created": "t"}, "answered 200"),
        (206, {"content-range": "bytes 10-18/100", "x-sn-time-created": "t"}, "answered 206"),
    ],
)
def test_a_range_answer_must_be_exactly_the_part(
    status: int, headers: dict[str, str], reason: str
) -> None:
    check = RangeCheck(100, "t", "GET", "/v1/objects/u/_/k")
    check.check(Part(10, 19), 206, {"content-range": "bytes 10-19/100", "x-sn-time-created": "t"})
    with pytest.raises(TransportError, match=reason) as info:
        check.check(Part(10, 19), status, headers)
    assert info.value.path == "/v1/objects/u/_/k"


def test_download_progress_is_aggregated_and_completed() -> None:
    progress = ProgressAggregator(1000, 300)
    assert progress.add(200) == []
    [event] = progress.add(200)
    assert (event.delta, event.transferred, event.total) == (400, 400, 1000)
    assert progress.add(100) == []
    [last] = progress.finish()
    assert (last.delta, last.transferred) == (100, 500)
    assert progress.finish() == []


def test_destinations(tmp_path: Path) -> None:
    assert check_destination(tmp_path / "f").path == tmp_path / "f"
    assert check_destination(str(tmp_path / "f")).path == tmp_path / "f"
    buffer = io.BytesIO()
    assert check_destination(buffer).file is buffer
    for bad in (tmp_path, tmp_path / "no" / "f", b"bytes-path", io.StringIO(), 3, ""):
        with pytest.raises(InvalidInput):
            check_destination(bad)
    closed = io.BytesIO()
    closed.close()
    with pytest.raises(InvalidInput):
        check_destination(closed)
    with pytest.raises(InvalidInput):
        check_download("../escape", tmp_path / "f")
