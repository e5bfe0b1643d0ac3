"""HTTP-level contract suite: plain httpx against a local or a real Objectstore.

Target selection:

* ``OBJECTSTORE_CONTRACT_URL`` set: run against that server (this suite writes and deletes
  objects, so it needs a variable of its own: ``OBJECTSTORE_URL``, which the CLI reads, never
  sends it anywhere). Auth tests need
  ``OBJECTSTORE_TEST_KEY_ID`` and ``OBJECTSTORE_TEST_PRIVATE_KEY`` (PEM text or a path to a
  PEM file); without them the target is assumed to run with auth off. Tests marked
  ``local_only`` (clock injection, local options) are skipped.
  ``OBJECTSTORE_TEST_BACKEND=filesystem`` (or ``production``) says which answers to expect
  where the real backends differ (DELETE of a missing key, keys ending in ``/``); unset, both
  are accepted.
* Otherwise a :class:`LocalObjectstore` is started with a fresh Ed25519 key (auth on), plus a
  read-only key ``<kid>-ro`` used by the permission tests, once in each mode of
  ``OBJECTSTORE_CONTRACT_MODES`` (default ``default,real``): ``default`` is the local server
  as tests use it, ``real`` is the local server answering like the real server's filesystem
  backend (strict filesystem, real-wire sockets, endless batch errors).

Tests marked ``divergence`` pin a behaviour where the real server differs from a naive reading
of the API (or from production backends); their docstrings say what the real server does.

Every test gets its own scope (``org=<random>``) and deletes what it wrote.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from objectstore_client.testing import FakeClock, LocalObjectstore

ALL_PERMISSIONS = ["object.read", "object.write", "object.delete"]
USECASE = "contract-tests"
#: The only variable that points this suite at a server it did not start.
REMOTE_URL_VARIABLE = "OBJECTSTORE_CONTRACT_URL"


LOCAL_MODES: dict[str, dict[str, Any]] = {
    "default": {},
    "real": {"strict_filesystem": True, "real_wire": True, "endless_batch_errors": True},
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "local_only: needs the local server (clock, options)")
    config.addinivalue_line("markers", "needs_auth: needs a target with auth enforced")
    config.addinivalue_line(
        "markers", "divergence: a real-server behaviour (described in the docstring)"
    )


def _modes() -> list[str]:
    if os.environ.get(REMOTE_URL_VARIABLE):
        return ["remote"]
    names = os.environ.get("OBJECTSTORE_CONTRACT_MODES", "default,real").split(",")
    unknown = set(names) - set(LOCAL_MODES)
    if unknown:
        raise ValueError(f"OBJECTSTORE_CONTRACT_MODES: unknown modes {sorted(unknown)}")
    return names


@dataclass
class Target:
    """Where the suite sends its requests."""

    url: str
    kid: str | None = None
    private_key: Ed25519PrivateKey | None = None
    read_only_kid: str | None = None
    local: LocalObjectstore | None = None
    #: answers like the real filesystem backend: True, False, or None (unknown: either)
    strict: bool | None = False
    #: an unparsable batch body gets endless error parts: True, False, or None (unknown)
    endless_batch: bool | None = False

    @property
    def is_local(self) -> bool:
        return self.local is not None

    @property
    def local_options(self) -> dict[str, Any]:
        """The mode options of the local target (empty for a remote one)."""
        if self.local is None:
            return {}
        return {
            "strict_filesystem": self.strict,
            "real_wire": self.local.real_wire,
            "endless_batch_errors": self.endless_batch,
        }

    @property
    def auth(self) -> bool:
        return self.private_key is not None


def _load_private_key(text: str) -> Ed25519PrivateKey:
    if not text.lstrip().startswith("-----") and Path(text).is_file():
        text = Path(text).read_text()
    key = serialization.load_pem_private_key(text.encode(), password=None)
    assert isinstance(key, Ed25519PrivateKey), "the test key must be Ed25519"
    return key


def public_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="session", params=_modes())
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    url = os.environ.get(REMOTE_URL_VARIABLE)
    if url:
        kid = os.environ.get("OBJECTSTORE_TEST_KEY_ID")
        pem = os.environ.get("OBJECTSTORE_TEST_PRIVATE_KEY")
        key = _load_private_key(pem) if kid and pem else None
        backend = os.environ.get("OBJECTSTORE_TEST_BACKEND")
        strict = {"filesystem": True, "production": False}.get(backend or "")
        yield Target(url.rstrip("/"), kid if key else None, key, strict=strict, endless_batch=None)
        return
    key = Ed25519PrivateKey.generate()
    pem = public_pem(key)
    keys: dict[str, Any] = {"contract": pem, "contract-ro": (pem, ["object.read"])}
    options = LOCAL_MODES[request.param]
    with LocalObjectstore(auth_keys=keys, **options) as server:
        yield Target(
            server.url,
            "contract",
            key,
            "contract-ro",
            server,
            strict=bool(options.get("strict_filesystem")),
            endless_batch=bool(options.get("endless_batch_errors")),
        )


@pytest.fixture(autouse=True)
def _skip_by_marker(request: pytest.FixtureRequest, target: Target) -> None:
    if request.node.get_closest_marker("local_only") and not target.is_local:
        pytest.skip("needs the local server")
    if request.node.get_closest_marker("needs_auth") and not target.auth:
        pytest.skip("needs a target with auth keys")


def mint(
    key: Ed25519PrivateKey,
    kid: str,
    usecase: str,
    scopes: dict[str, str],
    permissions: Sequence[str] = ALL_PERMISSIONS,
    exp: float | None = None,
    **extra: Any,
) -> str:
    """An EdDSA token like the SDKs mint (``res``, ``permissions``, integer ``exp``)."""
    claims: dict[str, Any] = {
        "res": {"os:usecase": usecase, **scopes},
        "permissions": list(permissions),
        "exp": int(exp if exp is not None else time.time() + 60),
        **extra,
    }
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})


@dataclass
class Api:
    """A plain httpx client bound to one usecase and a unique scope, with token minting."""

    target: Target
    client: httpx.Client
    usecase: str = USECASE
    scope: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

    @property
    def scope_path(self) -> str:
        return ";".join(f"{k}={v}" for k, v in self.scope.items()) or "_"

    def path(self, key: str = "", route: str = "objects") -> str:
        base = f"/v1/{route}/{self.usecase}/{self.scope_path}/"
        return base + key

    def token(
        self,
        permissions: Sequence[str] = ALL_PERMISSIONS,
        scopes: dict[str, str] | None = None,
        usecase: str | None = None,
        **kwargs: Any,
    ) -> str:
        assert self.target.private_key is not None and self.target.kid is not None
        return mint(
            self.target.private_key,
            self.target.kid,
            usecase or self.usecase,
            self.scope if scopes is None else scopes,
            permissions,
            **kwargs,
        )

    def auth_headers(self) -> dict[str, str]:
        return {"x-os-auth": f"Bearer {self.token()}"} if self.target.auth else {}

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        auth: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        merged = {**(self.auth_headers() if auth else {}), **(headers or {})}
        return self.client.request(method, path, headers=merged, **kwargs)

    def put(self, key: str, content: bytes = b"payload", **headers: str) -> httpx.Response:
        response = self.request("PUT", self.path(key), content=content, headers=headers)
        if response.status_code == 200:
            self.written.append(response.json()["key"])
        return response

    def get(self, key: str, **headers: str) -> httpx.Response:
        return self.request("GET", self.path(key), headers=headers)

    def head(self, key: str, **headers: str) -> httpx.Response:
        return self.request("HEAD", self.path(key), headers=headers)

    def delete(self, key: str) -> httpx.Response:
        return self.request("DELETE", self.path(key))


@pytest.fixture
def api(target: Target) -> Iterator[Api]:
    with httpx.Client(base_url=target.url, timeout=30) as client:
        instance = Api(target, client, scope={"org": uuid.uuid4().hex[:12]})
        try:
            yield instance
        finally:
            for key in instance.written:
                instance.delete(quote(key, safe=""))


@dataclass
class Clocked:
    """A local server (auth off) whose clock the test controls."""

    server: LocalObjectstore
    clock: FakeClock
    api: Api


@pytest.fixture(scope="session")
def _clocked_server() -> Iterator[tuple[LocalObjectstore, FakeClock]]:
    clock = FakeClock()
    with LocalObjectstore(clock=clock) as server:
        yield server, clock


@pytest.fixture
def clocked(
    target: Target, _clocked_server: tuple[LocalObjectstore, FakeClock]
) -> Iterator[Clocked]:
    """Local-only: a server driven by a :class:`FakeClock` (tests must be ``local_only``)."""
    server, clock = _clocked_server
    local = Target(server.url, local=server)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield Clocked(server, clock, Api(local, client, scope={"org": uuid.uuid4().hex[:12]}))
