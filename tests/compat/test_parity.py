"""Upstream behaviours code relies on: error texts, Scope.dict(), the pre-signing helpers,
raise_for_status, the metrics and tracing helpers; over real HTTP where they touch the wire."""

from __future__ import annotations

import base64
import json
import sys
import types
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from objectstore_client import (
    Client,
    ExpiryExtensionRejected,
    ObjectNotFound,
    RequestError,
    Scope,
    SecretKey,
    Usecase,
)
from objectstore_client.errors import raise_for_status
from objectstore_client.metrics import measure_storage_operation
from objectstore_client.presign import PARAM_SIG, build_canonical_form
from objectstore_client.testing import LocalObjectstore
from objectstore_client.tracing import SPAN_ORIGIN, storage_span
from objectstore_client.utils import (
    decode_header_value,
    encode_header_value,
    encode_path,
    encode_query,
)
from tests.unit.keys import key_pair

PRIVATE, PUBLIC = key_pair()


@pytest.fixture(scope="module")
def auth_server() -> Iterator[LocalObjectstore]:
    with LocalObjectstore(storage="memory", auth_keys={"kid": PUBLIC}) as server:
        yield server


# -- error texts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scopes", "text"),
    [
        ({"org": None}, "Scope value cannot be empty"),
        ({"org": ""}, "Scope value cannot be empty"),
        ({"": "1"}, "Scope key cannot be empty"),
        ({"o.rg": "1"}, "Invalid scope key"),
        ({"org": "a/b"}, "Invalid scope value"),
    ],
)
def test_scope_errors_read_like_upstream(scopes: dict[str, Any], text: str) -> None:
    with pytest.raises(ValueError, match=text):
        Scope(**scopes)
    with Client("http://127.0.0.1:9") as client, pytest.raises(ValueError, match=text):
        client.session(Usecase("attachments"), **scopes)


def test_presign_errors_read_like_upstream() -> None:
    with Client("http://127.0.0.1:9", token=SecretKey("kid", PRIVATE)) as client:
        session = client.session(Usecase("attachments"), org=1)
        with pytest.raises(ValueError, match="unsupported pre-signed method 'PUT'"):
            session.presigned_object_url("PUT", "k")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="exceeds the maximum of 7 days, 0:00:00"):
            session.presigned_object_url("GET", "k", timedelta(days=8))
    with Client("http://127.0.0.1:9") as client:
        session = client.session(Usecase("attachments"), org=1)
        with pytest.raises(ValueError, match="no secret key configured on this session"):
            session.presigned_object_url("GET", "k")


def test_usecase_threshold_is_validated_like_upstream() -> None:
    assert Usecase("attachments").resumable_threshold_bytes == 256 * 1024 * 1024
    assert Usecase("attachments", resumable_threshold_bytes="none")._resumable_threshold_bytes
    assert Usecase("attachments", "zstd", None, 0).resumable_threshold_bytes == 0
    for bad in (-1, True, 1.5, "all"):
        with pytest.raises(ValueError, match='must be a non-negative integer or "none"'):
            Usecase("attachments", resumable_threshold_bytes=bad)


# -- Scope ---------------------------------------------------------------------------------


def test_scope_dict_returns_values_as_given_and_the_wire_form_is_text() -> None:
    scope = Scope(org=42, project="p", flag=False)
    assert scope.dict() == {"org": 42, "project": "p", "flag": False}
    assert str(scope) == "org=42;project=p;flag=False"
    assert dict(scope) == {"org": "42", "project": "p", "flag": "False"}
    assert scope == Scope(org="42", project="p", flag="False")  # the same scope on the wire


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data


def test_tokens_carry_scope_values_as_strings(auth_server: LocalObjectstore) -> None:
    project = uuid.uuid4().int % 10**9
    with Client(auth_server.url, token=SecretKey("kid", PRIVATE)) as client:
        session = client.session(Usecase("attachments"), org=42, project=project)
        assert _claims(session.mint_token())["res"] == {
            "os:usecase": "attachments",
            "org": "42",
            "project": str(project),
        }
        session.put(b"scoped", "k")  # the server accepts the token for org=42;project=...
        got = session.get("k")
        assert got is not None and got.payload.read() == b"scoped"


# -- pre-signing helpers -------------------------------------------------------------------


def test_canonical_form() -> None:
    assert build_canonical_form("head", "/p", "os_kid=k&os_sig=x") == "GET\n/p\nos_kid=k"
    assert build_canonical_form("GET", "/a%20b", "") == "GET\n/a%20b\n"
    # names lower-cased (OS_SIG too), bare names kept, pairs sorted as strings, duplicates kept
    query = "b=2&A=1&b=1&flag&OS_SIG=zz&a-b=3"
    assert build_canonical_form("GET", "/p", query) == "GET\n/p\na-b=3&a=1&b=1&b=2&flag"
    assert build_canonical_form("DELETE", "/p", "x=1") == "DELETE\n/p\nx=1"


def test_encodings() -> None:
    assert encode_path("/v1/objects/u/_/with space/100%lit?#x") == (
        "/v1/objects/u/_/with%20space/100%25lit%3F%23x"
    )
    assert encode_path("/a:b@c!$&'()*+,;=~._-/é") == "/a:b@c!$&'()*+,;=~._-/%C3%A9"
    assert encode_query("a=1&b=x?y z#") == "a=1&b=x?y%20z%23"
    assert encode_header_value("café 100% ok") == "caf%C3%A9 100%25 ok"
    assert decode_header_value("caf%C3%A9 100%25 ok") == "café 100% ok"
    assert decode_header_value("plain") == "plain"
    with pytest.raises(UnicodeDecodeError):
        decode_header_value("%FF")


def _verify(signature: str, message: str) -> None:
    public = load_pem_public_key(PUBLIC.encode())
    assert isinstance(public, Ed25519PublicKey)
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    public.verify(raw, message.encode())  # raises InvalidSignature


def test_a_url_signed_by_hand_with_the_public_helpers_is_accepted(
    auth_server: LocalObjectstore,
) -> None:
    key = SecretKey("kid", PRIVATE)
    with Client(auth_server.url, token=key) as client:
        session = client.session(Usecase("attachments"), org=7)
        session.put(b"by hand", "dir/a b%.txt", compress="none")
        path = encode_path("/v1/objects/attachments/org=7/dir/a b%.txt")
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        query = encode_query(f"os_kid=kid&os_timestamp={stamp}&os_duration=60")
        canonical = build_canonical_form("GET", path, query)
        signature = key.signature_for_canonical_form(canonical)
        _verify(signature, canonical)
        url = f"{auth_server.url}{path}?{query}&{PARAM_SIG}={signature}"
        response = httpx.get(url)
        assert (response.status_code, response.content) == (200, b"by hand")
        assert httpx.get(url.replace("os_duration=60", "os_duration=61")).status_code == 401

        # the SDK's own URLs sign exactly what the helpers compute
        made = urllib.parse.urlsplit(session.presigned_object_url("HEAD", "dir/a b%.txt"))
        assert made.path == path
        query, _, signature = made.query.rpartition(f"&{PARAM_SIG}=")
        _verify(signature, build_canonical_form("GET", made.path, query))


# -- raise_for_status ----------------------------------------------------------------------


def test_raise_for_status_on_real_responses(auth_server: LocalObjectstore) -> None:
    ok = httpx.get(f"{auth_server.url}/health")
    raise_for_status(ok)
    missing = httpx.get(f"{auth_server.url}/v1/objects/attachments/org=1/nope")  # no token
    with pytest.raises(RequestError) as info:
        raise_for_status(missing)
    assert str(info.value) == f"Objectstore request failed with status {missing.status_code}"
    assert (info.value.status, info.value.response) == (missing.status_code, missing.text)
    with pytest.raises(ObjectNotFound):
        raise_for_status(missing, error_type=ObjectNotFound)


def test_raise_for_status_accepts_urllib3_shaped_responses() -> None:
    class Urllib3Response:
        status = 409
        data = b""

        def read(self) -> bytes:
            return b"conflict \xff"

    with pytest.raises(ExpiryExtensionRejected) as info:
        raise_for_status(Urllib3Response(), error_type=ExpiryExtensionRejected)
    assert (info.value.status, info.value.response) == (409, "conflict \ufffd")
    assert isinstance(info.value, RequestError)


# -- metrics and tracing helpers -------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, float, dict[str, str], str | None]] = []

    def increment(self, name: str, value: float = 1, tags: Any = None) -> None:
        raise AssertionError("upstream only calls distribution")

    def gauge(self, name: str, value: float, tags: Any = None) -> None:
        raise AssertionError("upstream only calls distribution")

    def distribution(self, name: str, value: float, tags: Any = None, unit: Any = None) -> None:
        self.calls.append((name, value, dict(tags or {}), unit))


def test_measure_storage_operation_emits_upstreams_metrics() -> None:
    backend = Recorder()
    with pytest.raises(RuntimeError), measure_storage_operation(backend, "put", "uc", 1000) as m:
        m.record_compressed_size(250, "zstd")
        raise RuntimeError("latency is recorded on failures too")
    names = [(name, tags.get("compression"), unit) for name, _, tags, unit in backend.calls]
    assert names == [
        ("storage.put.size", "none", "byte"),
        ("storage.put.size", "zstd", "byte"),
        ("storage.put.latency", None, None),
        ("storage.put.compression_ratio", "zstd", None),
        ("storage.put.throughput", "none", None),
        ("storage.put.inverse_throughput", "none", None),
        ("storage.put.throughput", "zstd", None),
        ("storage.put.inverse_throughput", "zstd", None),
    ]
    ratio = [value for name, value, _, _ in backend.calls if name.endswith("ratio")]
    assert ratio == [0.25]
    assert all(tags["usecase"] == "uc" for _, _, tags, _ in backend.calls)


def test_storage_span_without_sentry_records_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentry_sdk.traces", None)  # import fails
    with storage_span("get", Usecase("attachments"), Scope(org=1), key="k") as span:
        assert span is None


def test_storage_span_with_sentry_names_and_attributes(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[dict[str, Any]] = []

    @contextmanager
    def start_span(name: str, attributes: dict[str, Any]) -> Iterator[str]:
        started.append({"name": name, **attributes})
        yield "span"

    traces = types.ModuleType("sentry_sdk.traces")
    traces.start_span = start_span  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentry_sdk", types.ModuleType("sentry_sdk"))
    monkeypatch.setitem(sys.modules, "sentry_sdk.traces", traces)
    with storage_span("get", Usecase("attachments"), Scope(org=1), key="k", size=None) as span:
        assert span == "span"
    assert started == [
        {
            "name": "objectstore.get attachments",
            "sentry.op": "objectstore.get",
            "sentry.origin": SPAN_ORIGIN,
            "objectstore.usecase": "attachments",
            "objectstore.scopes.org": 1,
            "objectstore.key": "k",
        }
    ]


# -- upstream's urllib3 connection_kwargs ------------------------------------------------------


def test_urllib3_timeout_and_retry_objects_are_understood() -> None:
    urllib3 = pytest.importorskip("urllib3")
    from objectstore_client._config import build_config
    from objectstore_client._constants import DEFAULT_WRITE_TIMEOUT_S

    config = build_config(
        "http://127.0.0.1:9",
        retries=None,
        timeout_ms=None,
        connection_kwargs={
            "timeout": urllib3.Timeout(connect=5.0, read=30.0),
            "retries": urllib3.Retry(connect=2, read=0),
        },
    )
    timeout = config.httpx_kwargs["timeout"]
    # urllib3 has no write timeout; ours stays finite (an upload never hangs on a dead peer)
    assert (timeout.connect, timeout.read, timeout.write) == (5.0, 30.0, DEFAULT_WRITE_TIMEOUT_S)
    assert config.retry.max_retries == 2
    total = build_config(
        "http://127.0.0.1:9",
        retries=None,
        timeout_ms=None,
        connection_kwargs={"timeout": urllib3.Timeout(total=10.0), "retries": urllib3.Retry(4)},
    )
    assert (total.httpx_kwargs["timeout"].read, total.retry.max_retries) == (10.0, 4)
