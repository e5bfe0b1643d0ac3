"""Header values, keys and tokens are refused before any network call, never echoed."""

from __future__ import annotations

import pytest

from objectstore_client._config import build_config
from objectstore_client._core.tokens import check_token
from objectstore_client._core.validate import (
    _header_problem,
    check_header_value,
    check_key,
    check_metadata,
)
from objectstore_client._exceptions import InvalidInput
from objectstore_client._fields import decode_header_value

SECRET = "eyJhbGciOiJFZERTQSJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    "token",
    [
        SECRET + "\n",  # read from a file
        SECRET + "\r\n",
        " " + SECRET,
        SECRET[:10] + "\n" + SECRET[10:],
        SECRET[:10] + " " + SECRET[10:],
        SECRET + "\x00",
        SECRET + "\u00e9",
        SECRET + "\ud800",
    ],
)
def test_bad_static_tokens_are_refused_without_echoing_them(token: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_token(token)
    text = f"{info.value} {info.value!r}"
    assert SECRET[:8] not in text
    assert SECRET[-8:] not in text
    assert "token" in text


def test_good_tokens_pass() -> None:
    assert check_token(SECRET) == SECRET
    assert check_token(None) is None
    assert check_token("") is None
    with pytest.raises(InvalidInput, match="SecretKey or a str"):
        check_token(b"bytes-token")


@pytest.mark.parametrize(
    "value",
    [" padded", "padded ", "tab\there", "line\nbreak", "cr\r", "nul\x00", "caf\u00e9", "\ud800"],
)
def test_header_values_must_arrive_unchanged(value: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_header_value("filename", value)
    assert value not in str(info.value)


@pytest.mark.parametrize(
    "value",
    [" padded", "padded ", "  ", "tab\there", "line\nbreak", "cr\r", "nul\x00", "caf\u00e9"],
)
def test_metadata_values_are_escaped_to_arrive_unchanged(value: str) -> None:
    # metadata is percent-encoded as upstream 0.2.1+ sends it, outer spaces included (HTTP
    # would strip them); reads decode it back
    wire = check_metadata({"name": value})["name"]
    assert _header_problem(wire) is None
    assert decode_header_value(wire) == value


def test_lone_surrogates_in_metadata_are_refused_without_echo() -> None:
    with pytest.raises(InvalidInput, match="surrogate at index 3") as info:
        check_metadata({"name": "abc\ud800"})
    assert "abc" not in str(info.value)


def test_inner_spaces_and_visible_ascii_pass() -> None:
    assert check_header_value("origin", "my host (v1.2)") == "my host (v1.2)"
    assert check_metadata({"x": "a b ~!"}) == {"x": "a b ~!"}


def test_lone_surrogates_in_keys_are_refused() -> None:
    with pytest.raises(InvalidInput, match="surrogate at index 3"):
        check_key("abc\udcff.txt")
    assert check_key("caf\u00e9/\U0001f600") == "caf\u00e9/\U0001f600"


def test_connection_headers_are_checked_without_echoing_values() -> None:
    with pytest.raises(InvalidInput) as info:
        build_config(
            "http://localhost:1",
            retries=None,
            timeout_ms=None,
            connection_kwargs={"headers": {"Authorization": f"Bearer {SECRET}\n"}},
        )
    assert SECRET[:8] not in str(info.value)
    with pytest.raises(InvalidInput, match="header name"):
        build_config(
            "http://localhost:1",
            retries=None,
            timeout_ms=None,
            connection_kwargs={"headers": {"bad name": "x"}},
        )
