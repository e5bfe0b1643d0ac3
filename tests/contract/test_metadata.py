"""Write metadata validation and read metadata headers (reference §5.1, §6.2)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from .conftest import Api

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def _ts(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


def _assert_json_400(response: object) -> None:
    import httpx

    assert isinstance(response, httpx.Response)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str)
    assert isinstance(body.get("causes", []), list)


def test_default_content_type_is_octet_stream(api: Api) -> None:
    api.put("k", b"x")
    assert api.get("k").headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize("ctype", ["text/plain", "text/plain; charset=utf-8", "image/svg+xml"])
def test_content_type_is_stored_verbatim(api: Api, ctype: str) -> None:
    api.put("k", b"x", **{"content-type": ctype})
    assert api.head("k").headers["content-type"] == ctype


@pytest.mark.parametrize("ctype", ["text", "text/", "/plain", "a b/c", ""])
def test_invalid_content_type_is_400_json(api: Api, ctype: str) -> None:
    _assert_json_400(api.put("k", b"x", **{"content-type": ctype}))


def test_zstd_content_encoding_is_echoed_and_body_untouched(api: Api) -> None:
    api.put("k", b"not really zstd", **{"content-encoding": "zstd"})
    with api.client.stream("GET", api.path("k"), headers=api.auth_headers()) as response:
        assert response.headers["content-encoding"] == "zstd"
        assert b"".join(response.iter_raw()) == b"not really zstd"


@pytest.mark.parametrize("encoding", ["gzip", "identity", "ZSTD", "zstd, zstd", "br"])
def test_other_content_encodings_are_400(api: Api, encoding: str) -> None:
    _assert_json_400(api.put("k", b"x", **{"content-encoding": encoding}))


def test_no_content_encoding_when_uncompressed(api: Api) -> None:
    api.put("k", b"x")
    assert "content-encoding" not in api.head("k").headers


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [
        ("ttl:30s", "ttl:30s"),
        ("ttl:3600s", "ttl:1h"),
        ("tti:1d", "tti:1day"),
        ("ttl:7 days", "ttl:7days"),
        ("ttl:90d", "ttl:2months 29days 2h 52m 48s"),
        ("ttl:365d", "ttl:11months 30days 3h 50m 24s"),
        ("tti:90min", "tti:1h 30m"),
        ("ttl:1h30m", "ttl:1h 30m"),
        ("ttl:1 days 3600 seconds", "ttl:1day 1h"),
        ("ttl:4.5s", "ttl:4s 500ms"),
        ("tti:2w", "tti:14days"),
    ],
)
def test_expiration_is_echoed_in_canonical_form(api: Api, sent: str, echoed: str) -> None:
    api.put("k", b"x", **{"x-sn-expiration": sent})
    assert api.head("k").headers["x-sn-expiration"] == echoed


def test_manual_expiration_is_not_echoed(api: Api) -> None:
    api.put("k", b"x", **{"x-sn-expiration": "manual"})
    headers = api.head("k").headers
    assert "x-sn-expiration" not in headers
    assert "x-sn-time-expires" not in headers


@pytest.mark.parametrize(
    "value",
    ["ttl:", "ttl:abc", "ttl:5 parsecs", "TTL:5s", "ttl 5s", "forever", "tti:-5s", "ttl:5S"],
)
def test_invalid_expiration_is_400(api: Api, value: str) -> None:
    _assert_json_400(api.put("k", b"x", **{"x-sn-expiration": value}))


def test_time_created_has_six_fraction_digits(api: Api) -> None:
    before = dt.datetime.now(dt.timezone.utc)
    api.put("k", b"x")
    created = api.head("k").headers["x-sn-time-created"]
    assert TIMESTAMP.match(created)
    assert abs((_ts(created) - before).total_seconds()) < 300


def test_time_expires_is_created_plus_ttl(api: Api) -> None:
    api.put("k", b"x", **{"x-sn-expiration": "ttl:1h"})
    headers = api.head("k").headers
    assert TIMESTAMP.match(headers["x-sn-time-expires"])
    delta = _ts(headers["x-sn-time-expires"]) - _ts(headers["x-sn-time-created"])
    assert delta == dt.timedelta(hours=1)


def test_read_only_time_headers_are_ignored_on_write(api: Api) -> None:
    response = api.put(
        "k",
        b"x",
        **{"x-sn-time-created": "garbage", "x-sn-time-expires": "2000-01-01T00:00:00Z"},
    )
    assert response.status_code == 200
    headers = api.head("k").headers
    assert "x-sn-time-expires" not in headers
    assert _ts(headers["x-sn-time-created"]).year > 2000


def test_custom_metadata_round_trips_with_lower_case_names(api: Api) -> None:
    api.put("k", b"x", **{"x-snme-Build-ID": "abc 123", "x-snme-other": "v"})
    headers = api.head("k").headers
    assert headers["x-snme-build-id"] == "abc 123"
    assert headers["x-snme-other"] == "v"


def test_origin_is_echoed(api: Api) -> None:
    api.put("k", b"x", **{"x-sn-origin": "10.0.0.1"})
    assert api.get("k").headers["x-sn-origin"] == "10.0.0.1"


@pytest.mark.parametrize("header", ["x-sn-origin", "x-sn-filename", "x-snme-foo"])
def test_non_ascii_metadata_is_400(api: Api, header: str) -> None:
    headers: dict[str, Any] = {header: "caf\u00e9".encode("latin-1")}
    response = api.request("PUT", api.path("k"), content=b"x", headers=headers)
    _assert_json_400(response)


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [
        ("report.pdf", 'attachment; filename="report.pdf"'),
        ("a/b\\c.txt", 'attachment; filename="a-b-c.txt"'),
        ("..", 'attachment; filename="--"'),
        ("...", 'attachment; filename="---"'),
        ('say "hi".txt', 'attachment; filename="say \\"hi\\".txt"'),
    ],
)
def test_filename_drives_content_disposition(api: Api, filename: str, disposition: str) -> None:
    api.put("k", b"x", **{"x-sn-filename": filename})
    for response in (api.get("k"), api.head("k")):
        assert response.headers["content-disposition"] == disposition
        assert response.headers["x-sn-filename"] == filename


def test_no_content_disposition_without_filename(api: Api) -> None:
    api.put("k", b"x")
    assert "content-disposition" not in api.get("k").headers


def test_overwrite_resets_metadata(api: Api) -> None:
    api.put("k", b"x", **{"x-sn-expiration": "ttl:1h", "x-snme-a": "1"})
    api.put("k", b"y")
    headers = api.head("k").headers
    assert "x-sn-expiration" not in headers
    assert "x-snme-a" not in headers


def test_large_custom_metadata_is_accepted(api: Api) -> None:
    headers = {f"x-snme-field-{i}": "v" * 1000 for i in range(40)}  # ~40 KiB of headers
    assert api.put("k", b"x", **headers).status_code == 200
    assert api.head("k").headers["x-snme-field-39"] == "v" * 1000
