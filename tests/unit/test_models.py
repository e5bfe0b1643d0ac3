from datetime import datetime, timedelta, timezone

import pytest

from objectstore_client import InvalidInput, Metadata, Scope, TimeToIdle, TimeToLive, Usecase
from objectstore_client.metadata import format_expiration, parse_expiration


def test_scope_renders_in_order() -> None:
    assert str(Scope(org=42, project=1337)) == "org=42;project=1337"
    assert str(Scope(project=1337, org=42)) == "project=1337;org=42"
    assert str(Scope()) == "_"
    assert str(Scope(a=0, b=False, c=True)) == "a=0;b=False;c=True"
    assert Scope(org=1).dict() == {"org": 1}


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ({"org": None}, "Scope value cannot be empty"),
        ({"org": ""}, "Scope value cannot be empty"),
        ({"org": "a/b"}, "Invalid scope value"),
        ({"org": "a;b"}, "Invalid scope value"),
        ({"org": "é"}, "Invalid scope value"),
        ({"or.g": "1"}, "Invalid scope key"),
        ({"org": 1.5}, "Invalid scope value '1.5'"),
    ],
)
def test_scope_rejects(scopes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Scope(**scopes)  # type: ignore[arg-type]


def test_usecase_validation() -> None:
    assert Usecase("attachments").compression == "zstd"
    assert Usecase("ab", compression="none")._compression == "none"
    for bad in ("", "a/b", "with space"):
        with pytest.raises(ValueError, match="usecase"):
            Usecase(bad)
    with pytest.raises(ValueError, match="Invalid compression: gzip"):
        Usecase("u", compression="gzip")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        TimeToLive(timedelta(seconds=-1))


def test_expiration_round_trip() -> None:
    assert format_expiration(TimeToLive(timedelta(days=1, seconds=1))) == "ttl:1d 1s"
    assert format_expiration(TimeToIdle(timedelta(seconds=0.2))) == "tti:1s"
    with pytest.raises(ValueError, match="at once"):  # issue 9: refused, not gone at once
        format_expiration(TimeToIdle(timedelta(0)))
    assert parse_expiration("ttl:0s") == TimeToLive(timedelta(0))  # reading still works
    assert parse_expiration("ttl:1day") == TimeToLive(timedelta(days=1))
    assert parse_expiration("tti:1month 13h 26m 24s") == TimeToIdle(timedelta(days=31))
    assert parse_expiration("manual") is None
    assert parse_expiration("ttl:bogus") is None


def test_metadata_from_headers_is_case_insensitive() -> None:
    metadata = Metadata.from_headers(
        {
            "Content-Type": "text/plain",
            "Content-Encoding": "zstd",
            "X-Sn-Expiration": "ttl:30days",
            "x-sn-time-created": "2026-07-23T14:55:51.123456Z",
            "X-SN-ORIGIN": "10.0.0.1",
            "x-sn-filename": "a.txt",
            "X-Snme-Foo": "bar",
            "x-sn-size": "12",
        }
    )
    assert metadata == Metadata(
        "text/plain",
        "zstd",
        TimeToLive(timedelta(days=30)),
        datetime(2026, 7, 23, 14, 55, 51, 123456, tzinfo=timezone.utc),
        None,
        "10.0.0.1",
        "a.txt",
        12,
        {"foo": "bar"},
    )
    assert Metadata.from_headers({}).content_type == "application/octet-stream"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-07-23T14:55:51.123456789Z", datetime(2026, 7, 23, 14, 55, 51, 123456, timezone.utc)),
        ("2026-07-23T14:55:51+00:00", datetime(2026, 7, 23, 14, 55, 51, tzinfo=timezone.utc)),
        ("not a time", None),
    ],
)
def test_timestamps_are_parsed(value: str, expected: datetime | None) -> None:
    assert Metadata.from_headers({"x-sn-time-created": value}).time_created == expected
