"""Property-based conformance of a server to spec/objectstore.openapi.yaml.

Runs against ``OBJECTSTORE_CONTRACT_URL`` when it is set (with tokens when the contract suite has a
key), otherwise against a local server in each contract mode, once with auth off (so that
generated requests reach the handlers) and once with auth on. Bounded to a few examples per
operation with a fixed seed. Checks: no unexpected 5xx, documented status codes, content
types, headers and response schemas.

Every call is bounded in time and size (:class:`BoundedAdapter`): the real server answers an
unparsable batch body with a stream that never ends.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, settings
from requests.adapters import HTTPAdapter
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from objectstore_client.testing import LocalObjectstore

from .conftest import Target, mint, public_pem

SPEC = Path(__file__).resolve().parents[2] / "spec" / "objectstore.openapi.yaml"
# The real server answers 500 for a part upload or listing of an unknown upload id
# (reference §12), and its filesystem backend for any I/O error: DELETE of a missing key, a key
# ending in "/" (tests/contract/test_divergences.py), a NUL byte in an upload id, ... Every
# other 5xx is a bug.
EXPECTED_500 = {
    "upload_part": b"multipart upload not found",
    "list_parts": b"multipart upload not found",
}
FILESYSTEM_500 = b'{"detail":"service error: i/o error: '
#: Bounds of every call: bytes of a response body, seconds for one call.
MAX_BODY_BYTES = 1 << 20
MAX_SECONDS = 15.0
#: Requests whose response was cut short by BoundedAdapter, and why.
CUT_SHORT: weakref.WeakKeyDictionary[requests.PreparedRequest, str] = weakref.WeakKeyDictionary()


class BoundedAdapter(HTTPAdapter):
    """Reads at most MAX_BODY_BYTES of a response within MAX_SECONDS, then hangs up."""

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        deadline = time.monotonic() + MAX_SECONDS
        kwargs["timeout"] = (5.0, MAX_SECONDS)
        response = super().send(request, stream=True, **kwargs)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.raw.stream(64 * 1024, decode_content=True):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                CUT_SHORT[request] = f"the body exceeded {MAX_BODY_BYTES} bytes"
            elif time.monotonic() > deadline:
                CUT_SHORT[request] = f"the body went on for more than {MAX_SECONDS} s"
            if request in CUT_SHORT:
                response.raw.close()  # drops the connection with the rest of the body
                break
        response._content = b"".join(chunks)
        response._content_consumed = True
        response.close()
        return response


def bounded_session() -> requests.Session:
    session = requests.Session()
    adapter = BoundedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _is_endless_batch_error(case: schemathesis.Case[Any], content: bytes) -> bool:
    """The real server's endless answer to an unparsable batch body (test_divergences)."""
    if case.operation.definition.raw.get("operationId") != "batch":
        return False
    first = content[:2048]
    return b"x-sn-batch-operation-status: 400" in first and b"batch error: " in first


def body_within_bounds(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    reason = CUT_SHORT.get(response.request)
    if reason is None or _is_endless_batch_error(case, response.content):
        return True
    raise AssertionError(f"{reason} (cut short): {response.content[:300]!r}")


def _no_unexpected_server_error(strict: bool | None) -> Any:
    def no_unexpected_server_error(
        ctx: schemathesis.CheckContext,
        response: schemathesis.Response,
        case: schemathesis.Case[Any],
    ) -> bool | None:
        if response.status_code == 500:
            marker = EXPECTED_500.get(case.operation.definition.raw.get("operationId", ""))
            if marker is not None and marker in response.content:
                return True
            if strict is not False and response.content.startswith(FILESYSTEM_500):
                return True
        return not_a_server_error(ctx, response, case)

    return no_unexpected_server_error


def checks_for(target: Target) -> list[Any]:
    return [
        body_within_bounds,
        _no_unexpected_server_error(target.strict),
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]


def _prepare(case: schemathesis.Case[Any]) -> None:
    """Let the HTTP library compute ``Content-Length``.

    A generated ``Content-Length`` that disagrees with the body makes any HTTP/1.1 server wait
    for bytes that never come (the real one too): a harness artefact, not a server behaviour.
    """
    if case.headers:
        case.headers.pop("Content-Length", None)


@pytest.fixture(scope="module")
def spec_url(target: Target) -> Iterator[str]:
    """The target itself when remote, else a local memory server in the target's mode."""
    if not target.is_local:
        yield target.url
        return
    with LocalObjectstore(storage="memory", **target.local_options) as server:
        yield server.url


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with bounded_session() as s:
        yield s


schema = schemathesis.openapi.from_path(SPEC)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("OBJECTSTORE_SCHEMATHESIS_EXAMPLES", "15")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_server_conforms_to_the_spec(
    case: schemathesis.Case[Any], target: Target, spec_url: str, session: requests.Session
) -> None:
    _prepare(case)
    case.call_and_validate(base_url=spec_url, session=session, checks=checks_for(target))


# -- with auth on: generated requests carry a valid token for their own usecase and scopes ----


@pytest.fixture(scope="module")
def auth_spec_target(target: Target) -> Iterator[tuple[str, Ed25519PrivateKey, str]]:
    """URL, signing key and key id: the target when remote (with a key), else a local server."""
    if not target.is_local:
        if target.private_key is None or target.kid is None:
            pytest.skip("needs a target with auth keys")
        yield target.url, target.private_key, target.kid
        return
    key = Ed25519PrivateKey.generate()
    options = target.local_options
    with LocalObjectstore(storage="memory", auth_keys={"spec": public_pem(key)}, **options) as s:
        yield s.url, key, "spec"


def _token_for(case: schemathesis.Case[Any], key: Ed25519PrivateKey, kid: str) -> str | None:
    params = case.path_parameters or {}
    usecase, scopes = params.get("usecase"), params.get("scopes")
    if not isinstance(usecase, str) or not isinstance(scopes, str):
        return None
    res = {"os:usecase": unquote(usecase)}
    if scopes != "_":
        for piece in unquote(scopes).split(";"):
            res[piece.partition("=")[0]] = "*"
    return mint(key, kid, res.pop("os:usecase"), res)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("OBJECTSTORE_SCHEMATHESIS_EXAMPLES", "8")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_server_with_auth_conforms_to_the_spec(
    case: schemathesis.Case[Any],
    target: Target,
    auth_spec_target: tuple[str, Ed25519PrivateKey, str],
    session: requests.Session,
) -> None:
    url, key, kid = auth_spec_target
    token = _token_for(case, key, kid)
    headers = {"x-os-auth": f"Bearer {token}"} if token is not None else {}
    _prepare(case)
    case.call_and_validate(
        base_url=url, session=session, checks=checks_for(target), headers=headers
    )
