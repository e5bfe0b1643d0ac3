"""LocalObjectstore lifecycle and options, and the command line."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from objectstore_client.testing import LocalObjectstore

PATH = "/v1/objects/u/_/k"


def test_url_and_temp_dir_lifecycle() -> None:
    server = LocalObjectstore()
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert not server.url.endswith("/")
        data_dir = server.data_dir
        assert data_dir is not None and data_dir.is_dir()
        assert httpx.get(server.url + "/health").text == "OK"
    assert not data_dir.exists()
    with pytest.raises(RuntimeError):
        _ = server.url


def test_objects_survive_a_restart_on_the_same_data_dir(tmp_path: Path) -> None:
    with LocalObjectstore(data_dir=tmp_path) as server:
        httpx.put(server.url + PATH, content=b"kept", headers={"x-snme-a": "b"})
    with LocalObjectstore(data_dir=tmp_path) as server:
        response = httpx.get(server.url + PATH)
        assert response.content == b"kept"
        assert response.headers["x-snme-a"] == "b"
    assert tmp_path.exists()


def test_memory_storage() -> None:
    with LocalObjectstore(storage="memory") as server:
        assert server.data_dir is None
        httpx.put(server.url + PATH, content=b"mem")
        assert httpx.get(server.url + PATH).content == b"mem"


def test_strict_filesystem_delete_of_missing_key_is_500() -> None:
    with LocalObjectstore(strict_filesystem=True) as server:
        response = httpx.delete(server.url + PATH)
        assert response.status_code == 500
        assert response.json()["detail"].startswith("service error: ")


def test_auth_keys_with_restricted_permissions() -> None:
    import jwt

    key = Ed25519PrivateKey.generate()
    pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    claims = {"res": {"os:usecase": "u"}, "permissions": ["object.read", "object.write"]}
    token = jwt.encode({**claims, "exp": 2**32}, key, algorithm="EdDSA", headers={"kid": "ro"})
    with LocalObjectstore(auth_keys={"ro": (pem, ["object.read"])}) as server:
        headers = {"x-os-auth": f"Bearer {token}"}
        assert httpx.put(server.url + PATH, content=b"x", headers=headers).status_code == 403
        assert httpx.get(server.url + PATH, headers=headers).status_code == 404


def test_concurrent_reader_sees_old_or_new_never_torn() -> None:
    old, new = b"a" * (4 * 1024 * 1024), b"b" * (4 * 1024 * 1024)
    with LocalObjectstore() as server, httpx.Client(base_url=server.url) as client:
        client.put(PATH, content=old)
        seen: list[bytes] = []

        def reader() -> None:
            for _ in range(5):
                seen.append(client.get(PATH).content)

        thread = threading.Thread(target=reader)
        thread.start()
        for _ in range(5):
            client.put(PATH, content=new)
            client.put(PATH, content=old)
        thread.join()
        assert all(body in (old, new) for body in seen)


def test_client_disconnect_mid_upload_writes_nothing(tmp_path: Path) -> None:
    import socket

    with LocalObjectstore(data_dir=tmp_path) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(
                b"PUT " + PATH.encode() + b" HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nabc"
            )
        assert httpx.get(server.url + PATH).status_code == 404
    assert not any((tmp_path / "objects").rglob("*[0-9a-f]"))


def test_cli_prints_url_and_serves(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "objectstore_client.testing",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.put(url + PATH, content=b"cli").status_code == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) == 0
    assert list((tmp_path / "objects").rglob("*"))


def test_cli_rejects_malformed_auth_key() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "objectstore_client.testing", "--auth-key", "nokey"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2


def test_cli_with_auth_key_file(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem_file = tmp_path / "public.pem"
    pem_file.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "objectstore_client.testing",
            "--port",
            "0",
            "--storage",
            "memory",
            "--auth-key",
            f"kid={pem_file}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert httpx.get(url + PATH).status_code == 400  # no token
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_yields_the_url() -> None:
    from objectstore_client.testing import serve

    with serve(storage="memory") as url:
        assert httpx.get(url + "/health").text == "OK"


def test_package_and_plugin_import_without_uvicorn() -> None:
    # the pytest11 entry point is loaded for every SDK user, with or without the extra (h11
    # comes with httpx, so only uvicorn may be missing)
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'uvicorn':\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import objectstore_client.testing.plugin\n"
        "from objectstore_client.testing import LocalObjectstore\n"
        "try:\n"
        "    LocalObjectstore().start()\n"
        "except RuntimeError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "objectstore-sdk[testing]" in result.stdout


@pytest.mark.parametrize("storage", ["filesystem", "memory"])
def test_reset_removes_everything(storage: str) -> None:
    with LocalObjectstore(storage=storage) as server:  # type: ignore[arg-type]
        httpx.put(server.url + PATH, content=b"x")
        upload = httpx.put(server.url + "/v1/objects:multipart/u/_/mp").json()["upload_id"]
        server.reset()
        assert httpx.get(server.url + PATH).status_code == 404
        parts = httpx.get(
            server.url + "/v1/objects:multipart:parts/u/_/mp", params={"upload_id": upload}
        )
        assert parts.status_code == 500  # unknown upload, like the real filesystem backend
        assert httpx.put(server.url + PATH, content=b"y").status_code == 200


def test_listening_socket_is_tcp_so_connections_get_nodelay() -> None:
    # asyncio only sets TCP_NODELAY on accepted connections of a socket created with
    # IPPROTO_TCP; without it each response with a body stalls ~40 ms on a delayed ACK
    with LocalObjectstore(storage="memory") as server:
        sock = server._sock
        assert sock is not None
        assert sock.proto == socket.IPPROTO_TCP
