"""Run the ``objectstore`` command in a subprocess, as a user would, against a local server."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from objectstore_client.testing import LocalObjectstore
from tests.unit.keys import key_pair

#: `python -m objectstore_client.cli` runs what the `objectstore` script runs, in this venv.
COMMAND = [sys.executable, "-m", "objectstore_client.cli"]
KID = "cli-kid"

Run = Callable[..., subprocess.CompletedProcess[bytes]]


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any ``OBJECTSTORE_*`` variable (a user's
    ``OBJECTSTORE_URL`` must never send a test anywhere), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBJECTSTORE_")}
    env.update(extra or {})
    return env


@pytest.fixture
def scope() -> str:
    """A scope of the test's own, so tests never see each other's objects."""
    return f"org={uuid.uuid4().hex[:12]}"


@pytest.fixture
def run(objectstore_url: str, scope: str) -> Run:
    """``run(*args, input=b"", env={})``: the CLI against the shared server (via env vars)."""

    def run_cli(
        *args: str, input: bytes = b"", env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        base = {
            "OBJECTSTORE_URL": objectstore_url,
            "OBJECTSTORE_USECASE": "attachments",
            "OBJECTSTORE_SCOPES": scope,
        }
        return subprocess.run(
            [*COMMAND, *args],
            input=input,
            capture_output=True,
            env=clean_env({**base, **(env or {})}),
            timeout=60,
            check=False,
        )

    return run_cli


class AuthServer:
    """A local server that enforces auth, and the private key file that signs for it."""

    def __init__(self, url: str, key_file: Path) -> None:
        self.url = url
        self.key_file = key_file


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthServer]:
    """Auth on, one Ed25519 key pair; the private key in a PEM file."""
    private_pem, public_pem = key_pair()
    key_file = tmp_path_factory.mktemp("keys") / "ed25519.pem"
    key_file.write_text(private_pem)
    with LocalObjectstore(auth_keys={KID: public_pem}, storage="memory") as server:
        yield AuthServer(server.url, key_file)
