"""https: the system trust store by default (as upstream), and every way to name a CA
(``verify=`` a path or directory, ``ca_certs``, ``cert_reqs``, ``SSL_CERT_FILE``,
``SSL_CERT_DIR``) working without a deprecation warning, on every engine and both clients,
against a local TLS server whose CA is generated for the test."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from objectstore_client import AsyncClient, Client, ConnectError, InvalidInput, Usecase
from objectstore_client._config import tls_context
from objectstore_client._engines import EngineName
from tests.engines.rawserver import Connection, RawServer, ok
from tests.engines.tlsca import CertAuthority

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

ENGINES: list[EngineName] = ["httptools", "httpx"]


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CertAuthority:
    return CertAuthority(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_url(ca: CertAuthority) -> Iterator[str]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(ca.cert_pem, ca.key_pem)

    def handler(conn: Connection) -> None:
        with context.wrap_socket(conn.sock, server_side=True) as tls:
            conn.sock = tls
            while conn.read_request() is not None:
                conn.send(ok(b"over tls"))

    with RawServer(handler) as server:
        yield f"https://127.0.0.1:{server.port}"


def _get(url: str, engine: EngineName, kind: str, **connection_kwargs: Any) -> bytes:
    """One GET through the public client, with warnings turned into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if kind == "sync":
            with Client(
                url, engine=engine, retries=0, connection_kwargs=connection_kwargs
            ) as client:
                result = client.session(Usecase("attachments"), org=1).get("k")
                assert result is not None
                return result.payload.read()

        async def main() -> bytes:
            async with AsyncClient(
                url, engine=engine, retries=0, connection_kwargs=connection_kwargs
            ) as c:
                result = await c.session(Usecase("attachments"), org=1).get("k")
                assert result is not None
                return await result.payload.read()

        return asyncio.run(main())


@pytest.fixture(params=[(e, k) for e in ENGINES for k in ("sync", "async")], ids=str)
def variant(request: pytest.FixtureRequest) -> tuple[EngineName, str]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _no_cert_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def test_default_trusts_the_system_store_only(tls_url: str, variant: tuple[str, str]) -> None:
    """Verification is on by default: the test CA is in no store, so the handshake fails."""
    engine, kind = variant
    with pytest.raises(ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify"):
        _get(tls_url, engine, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize("how", ["verify-file", "verify-dir", "verify-path", "ca_certs"])
def test_a_named_ca(tls_url: str, ca: CertAuthority, variant: tuple[str, str], how: str) -> None:
    engine, kind = variant
    choices: dict[str, dict[str, Any]] = {
        "verify-file": {"verify": str(ca.ca_pem)},
        "verify-dir": {"verify": str(ca.ca_dir)},
        "verify-path": {"verify": Path(ca.ca_pem)},
        "ca_certs": {"ca_certs": str(ca.ca_pem)},
    }
    assert _get(tls_url, engine, kind, **choices[how]) == b"over tls"  # type: ignore[arg-type]


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_openssl_environment(
    tls_url: str,
    ca: CertAuthority,
    variant: tuple[str, str],
    variable: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The system store is OpenSSL's default paths, which these variables replace (as
    with urllib3); certifi's bundle would ignore them."""
    engine, kind = variant
    monkeypatch.setenv(variable, str(ca.ca_pem if variable == "SSL_CERT_FILE" else ca.ca_dir))
    assert _get(tls_url, engine, kind) == b"over tls"  # type: ignore[arg-type]


def test_verification_off(tls_url: str, variant: tuple[str, str]) -> None:
    engine, kind = variant
    assert _get(tls_url, engine, kind, cert_reqs="CERT_NONE") == b"over tls"  # type: ignore[arg-type]
    assert _get(tls_url, engine, kind, verify=False) == b"over tls"  # type: ignore[arg-type]


def test_the_default_context_is_the_system_store() -> None:
    """What ``verify=True`` loads: OpenSSL's default verify paths (not certifi)."""
    context = tls_context()
    system = ssl.create_default_context()
    assert context.cert_store_stats() == system.cert_store_stats()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_a_given_context_is_used_as_is(ca: CertAuthority) -> None:
    context = ssl.create_default_context(cafile=str(ca.ca_pem))
    assert tls_context(context) is context


def test_a_missing_ca_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="invalid TLS settings"):
        Client("https://127.0.0.1:1", connection_kwargs={"verify": str(tmp_path / "none.pem")})
