"""Write-header parsing and read-header rendering."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from objectstore_client.testing._humantime import format_duration, parse_duration
from objectstore_client.testing._metadata import (
    Metadata,
    MetadataError,
    content_disposition,
)

NOW = 1_784_816_151_123_456


@given(st.integers(min_value=0, max_value=10**22))
def test_format_duration_round_trips(nanos: int) -> None:
    assert parse_duration(format_duration(nanos)) == nanos


def test_parse_and_render() -> None:
    meta = Metadata.from_headers(
        [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-encoding", b"zstd"),
            (b"x-sn-expiration", b"tti:2 days"),
            (b"x-sn-origin", b"1.2.3.4"),
            (b"x-snme-a", b"1"),
            (b"x-snme-a", b"2"),  # the last value wins
            (b"x-sn-time-created", b"\xff garbage"),  # read-only: ignored
            (b"authorization", b"\xff"),  # not metadata: ignored
        ],
        NOW,
    )
    assert dict(meta.to_headers()) == {
        b"content-type": b"text/plain; charset=utf-8",
        b"content-encoding": b"zstd",
        b"x-sn-expiration": b"tti:2days",
        b"x-sn-time-created": b"2026-07-23T14:15:51.123456Z",
        b"x-sn-time-expires": b"2026-07-25T14:15:51.123456Z",
        b"x-sn-origin": b"1.2.3.4",
        b"x-snme-a": b"2",
    }
    assert Metadata.from_json(meta.to_json()) == meta


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (b"content-type", b"nope"),
        (b"content-encoding", b"gzip"),
        (b"x-sn-expiration", b"ttl:"),
        (b"x-sn-filename", b"caf\xc3\xa9"),
        (b"x-snme-x", b"\x01"),
    ],
)
def test_invalid(name: bytes, value: bytes) -> None:
    with pytest.raises(MetadataError):
        Metadata.from_headers([(name, value)], NOW)


def test_tti_bump_rule() -> None:
    hour = 3600 * 10**6
    meta = Metadata.from_headers([(b"x-sn-expiration", b"tti:1h")], 0)
    assert meta.tti_bumped(hour // 4) is None  # exactly the debounce: no bump
    bumped = meta.tti_bumped(hour // 4 + 1)
    assert bumped is not None and bumped.time_expires == hour + hour // 4 + 1
    assert Metadata().tti_bumped(hour) is None


def test_huge_ttl_is_clamped_to_a_formattable_instant() -> None:
    meta = Metadata.from_headers([(b"x-sn-expiration", b"ttl:500000000years")], NOW)
    assert dict(meta.to_headers())[b"x-sn-time-expires"].startswith(b"9999-12-31T")


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        ("a.txt", b'attachment; filename="a.txt"'),
        ("dir/sub\\f", b'attachment; filename="dir-sub-f"'),
        (".", b'attachment; filename="-"'),
        ("a..b", b'attachment; filename="a..b"'),
        ('q"uote', b'attachment; filename="q\\"uote"'),
    ],
)
def test_content_disposition(filename: str, header: bytes) -> None:
    assert content_disposition(filename) == header
