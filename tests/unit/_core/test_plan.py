"""Request building through the generated layer; validation before any network call."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from objectstore_client import Scope, TimeToIdle, TimeToLive, Usecase
from objectstore_client._config import build_config
from objectstore_client._core.plan import SessionInfo, plan_get, plan_put
from objectstore_client._core.sources import classify_body
from objectstore_client._core.tokens import TokenCache
from objectstore_client._core.urls import BaseUrl, object_url
from objectstore_client._core.writes import WriteOptions


def _session(usecase: Usecase | None = None, **scopes: str | int | bool) -> SessionInfo:
    return SessionInfo(usecase or Usecase("u"), Scope(**scopes), None, TokenCache(lambda: 0.0))


def _put(**kwargs: object) -> dict[str, object]:
    options = WriteOptions(**{"key": "k", **kwargs})  # type: ignore[arg-type]
    session = _session()
    return plan_put(session, b"x", options.resolve(session.usecase)).kwargs


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("plain-key", "plain-key"),
        ("with space", "with%20space"),
        ("café-unicode", "caf%C3%A9-unicode"),
        ("100%literal-percent", "100%25literal-percent"),
        ("looks%20encoded", "looks%2520encoded"),
        ("nested/path/segments", "nested/path/segments"),
        ("sub!$'()*+,=delims", "sub!$'()*+,=delims"),
        ("a?b#c", "a%3Fb%23c"),
        ("[x]^|", "%5Bx%5D%5E%7C"),
    ],
)
def test_keys_are_literal(key: str, path: str) -> None:
    assert plan_get(_session(), key).path == f"/v1/objects/u/_/{path}"


def test_put_headers() -> None:
    kwargs = _put(
        content_type="text/plain",
        metadata={"a": "1"},
        expiration_policy=TimeToIdle(timedelta(hours=25)),
    )
    assert kwargs["method"] == "put"
    assert kwargs["headers"] == {
        "x-sn-expiration": "tti:1d 1h",
        "Content-Encoding": "zstd",
        "Content-Type": "text/plain",
        "x-snme-a": "1",
    }
    kwargs = _put(key=None, compression="none")
    assert kwargs["method"] == "post"
    assert kwargs["url"] == "/v1/objects/u/_/"
    assert "Content-Encoding" not in kwargs["headers"]  # type: ignore[operator]


def test_usecase_expiration_is_the_default() -> None:
    usecase = Usecase("u", expiration_policy=TimeToLive(timedelta(days=1)))
    plan = plan_put(_session(usecase), b"", WriteOptions(key="k").resolve(usecase))
    assert plan.kwargs["headers"]["x-sn-expiration"] == "ttl:1d"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"compression": "gzip"}, "Invalid compression: gzip"),
        ({"metadata": {"bad name": "x"}}, "metadata name"),
        ({"metadata": {"a": 1}}, "metadata value for 'a' must be a str"),
        ({"origin": b"x"}, "origin must be a str"),
        ({"filename": 2}, "filename must be a str"),
        ({"content_type": "text/plain\n"}, "content_type"),
        ({"expiration_policy": "1d"}, "expiration_policy"),
    ],
)
def test_bad_input_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _put(**kwargs)


def test_body_sources(tmp_path: Path) -> None:
    assert classify_body(b"x", compress=True).replayable
    assert classify_body(tmp_path, compress=True).kind == "path"
    seekable = io.BytesIO(b"abc")
    seekable.read(1)
    spec = classify_body(seekable, compress=False)
    assert (spec.kind, spec.start, spec.replayable) == ("file", 1, True)
    assert not classify_body(iter([b"a"]), compress=True).replayable
    with pytest.raises(ValueError, match="binary"):
        classify_body("text", compress=True)
    with pytest.raises(ValueError, match="binary mode"):
        classify_body(io.StringIO("x"), compress=True)
    with pytest.raises(ValueError, match="got int"):
        classify_body(3, compress=True)


@pytest.mark.parametrize(
    ("base", "origin", "prefix"),
    [
        ("http://localhost:8888", "http://localhost:8888", ""),
        ("http://localhost", "http://localhost:80", ""),
        ("https://os.example.com/api/prefix/", "https://os.example.com:443", "/api/prefix"),
        ("http://[::1]:8888", "http://[::1]:8888", ""),
        ("http://h/a%20b/", "http://h:80", "/a%20b"),  # the prefix as sent
    ],
)
def test_base_url_splits_origin_and_prefix_once(base: str, origin: str, prefix: str) -> None:
    config = build_config(base, retries=None, timeout_ms=None, connection_kwargs=None)
    url = BaseUrl.of(config.base_url)
    assert (url.origin, url.prefix) == (origin, prefix)
    assert url.path("/v1/x") == f"{prefix}/v1/x"
    assert url.text == base.rstrip("/")
    expected = f"{origin}{prefix}/v1/objects/u/org=1/a%20b"
    assert object_url(url, _session(org=1), "a b", None, 0) == expected
    with pytest.raises(ValueError, match="no secret key"):
        object_url(url, _session(), "k", timedelta(minutes=1), 0)
