"""The test tools leave nothing behind: temporary directories are made only when needed and
removed by ``with`` blocks, ``close()``/``stop()``, or at interpreter exit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import httpx
import pytest

from objectstore_client import AsyncClient, RequestError, Usecase
from objectstore_client.testing import ObjectstoreApp


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tempfile``'s directory for this test only (and TMPDIR for its subprocesses)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


async def test_app_makes_its_multipart_dir_on_first_upload_and_removes_it(
    private_tmp: Path,
) -> None:
    with ObjectstoreApp() as app:
        assert list(private_tmp.iterdir()) == []  # nothing until a multipart upload needs it
        transport = httpx.ASGITransport(app=app)
        client = AsyncClient("http://objectstore", connection_kwargs={"transport": transport})
        async with client:
            session = client.session(Usecase("attachments"), org=1)
            unknown = session.resume_multipart_upload("big", "0" * 32)
            with pytest.raises(RequestError):  # a lookup of an unknown upload: 404
                await unknown.list_parts()
            assert list(private_tmp.iterdir()) == []
            upload = await session.initiate_multipart_upload(key="big")
            made = list(private_tmp.iterdir())
            assert [p.name.startswith("objectstore-multipart-") for p in made] == [True]
            await upload.abort()
    assert list(private_tmp.iterdir()) == []


def _run(code: str, env_tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(env_tmp)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_what_nobody_closed_is_removed_at_exit(private_tmp: Path) -> None:
    """An app never closed and a server never stopped: their temp dirs go at exit."""
    result = _run(
        """
        import pathlib, tempfile
        from objectstore_client.testing import LocalObjectstore, ObjectstoreApp
        app = ObjectstoreApp()
        app.uploads.root  # the multipart dir, made
        server = LocalObjectstore()
        server.start()
        print(len(list(pathlib.Path(tempfile.gettempdir()).iterdir())))
        """,
        private_tmp,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"  # the app's multipart dir and the server's data dir
    assert list(private_tmp.iterdir()) == []


def test_server_on_a_port_in_use_leaks_no_data_dir(private_tmp: Path) -> None:
    from objectstore_client.testing import LocalObjectstore

    with socket.create_server(("127.0.0.1", 0)) as taken:
        server = LocalObjectstore(port=taken.getsockname()[1])
        with pytest.raises(OSError):
            server.start()
    assert not server.running
    assert list(private_tmp.iterdir()) == []
