"""The ``objectstore`` command end to end: subprocesses against a local server over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import zstandard

from objectstore_client import __version__
from objectstore_client.cli import EXIT_CODES

from .conftest import COMMAND, KID, AuthServer, Run, clean_env


def test_put_a_file_get_it_back_to_a_file_and_to_stdout(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "data.bin"
    source.write_bytes(os.urandom(3 << 20))
    put = run("put", str(source))
    assert put.returncode == 0, put.stderr
    key = put.stdout.decode().strip()
    assert key

    target = tmp_path / "out.bin"
    got = run("get", key, "-o", str(target))
    assert got.returncode == 0, got.stderr
    assert target.read_bytes() == source.read_bytes()
    assert f"{key} -> {target}".encode() in got.stdout

    to_stdout = run("get", key)
    assert to_stdout.returncode == 0
    assert to_stdout.stdout == source.read_bytes()


def test_put_stdin_with_metadata_then_head_and_rm(run: Run) -> None:
    put = run(
        "put", "--key", "notes/a b.txt", "--content-type", "text/plain", "--meta", "source=cli",
        "--ttl", "2d", "--filename", "a.txt", "--json",
        input=b"hello from stdin",
    )  # fmt: skip
    assert put.returncode == 0, put.stderr
    assert json.loads(put.stdout) == {"key": "notes/a b.txt", "bytes": 16}

    head = run("head", "notes/a b.txt", "--json")
    assert head.returncode == 0, head.stderr
    meta = json.loads(head.stdout)
    assert meta["content_type"] == "text/plain"
    assert meta["compression"] == "zstd"
    assert meta["expiration_policy"] == "ttl:2d"
    assert meta["filename"] == "a.txt"
    assert meta["custom"] == {"source": "cli"}

    text = run("head", "notes/a b.txt").stdout.decode()
    assert "content_type: text/plain" in text
    assert "custom.source: cli" in text

    assert run("get", "notes/a b.txt").stdout == b"hello from stdin"
    rm = run("rm", "notes/a b.txt", "--json")
    assert rm.returncode == 0
    assert json.loads(rm.stdout) == {"deleted": ["notes/a b.txt"]}
    assert run("head", "notes/a b.txt").returncode == EXIT_CODES["not_found"]


def test_uncompressed_raw_download_is_the_stored_bytes(run: Run) -> None:
    assert run("put", "-k", "plain", "--compression", "none", input=b"as is").returncode == 0
    assert run("get", "plain", "--raw").stdout == b"as is"
    assert run("put", "-k", "packed", input=b"x" * 1000).returncode == 0
    raw = run("get", "packed", "--raw").stdout
    assert zstandard.ZstdDecompressor().decompressobj().decompress(raw) == b"x" * 1000


def test_not_found_has_its_own_exit_status_and_message(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "never.bin"
    result = run("get", "missing", "-o", str(target))
    assert result.returncode == EXIT_CODES["not_found"] == 3
    assert b"objectstore: not found: 'missing' (usecase attachments, org=" in result.stderr
    assert not target.exists()

    as_json = run("head", "missing", "--json")
    assert as_json.returncode == 3
    assert json.loads(as_json.stdout)["error"] == "not_found"


def test_unreachable_server_is_a_transport_error_after_a_few_quick_retries() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    result = subprocess.run(
        [*COMMAND, "head", "k", "-u", "attachments", "--url", url],
        capture_output=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == EXIT_CODES["transport"] == 5
    assert result.stderr.decode().splitlines() == [
        f"objectstore: cannot connect to {url} ([Errno 111] Connection refused), "
        "gave up after 3 retries",
        "hint: is the server running there? Set --url (or $OBJECTSTORE_URL), "
        "or wait longer with --retries N",
    ]
    # 3 retries back off 0.1 + 0.2 + 0.4 s at most; the SDK's default would wait ~10 s
    assert elapsed < 5

    none = subprocess.run(
        [*COMMAND, "head", "k", "-u", "a", "--url", url, "--retries", "0", "--json"],
        capture_output=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert none.returncode == 5
    assert "no retries" in json.loads(none.stdout)["message"]


def test_a_wrong_server_url_is_a_server_error_with_a_hint(
    run: Run, objectstore_url: str, scope: str
) -> None:
    result = run("get", "k", "--url", f"{objectstore_url}/nope")
    assert result.returncode == EXIT_CODES["error"] == 1  # 2 is for refusals before a request
    assert result.stderr.decode().splitlines() == [
        f"objectstore: {objectstore_url}/nope does not lead to an Objectstore server: GET "
        f"{objectstore_url}/nope/v1/objects/attachments/{scope}/k and GET "
        f"{objectstore_url}/nope/health "
        "both answered 404",
        "hint: set --url (or $OBJECTSTORE_URL) to the URL under which the server answers /health",
    ]


def test_bad_arguments_are_refused_before_any_request(run: Run, tmp_path: Path) -> None:
    no_usecase = run("head", "k", env={"OBJECTSTORE_USECASE": ""})
    assert no_usecase.returncode == EXIT_CODES["usage"] == 2
    assert b"a usecase is required: --usecase NAME or $OBJECTSTORE_USECASE" in no_usecase.stderr

    assert run("put", str(tmp_path / "nope")).returncode == 2
    soon = run("put", "--ttl", "soon", input=b"x")
    assert soon.returncode == 2
    assert soon.stderr.decode().splitlines() == [
        "objectstore: --ttl: 'soon' is not a duration: write a number and a unit, "
        "e.g. 30s, 15m, 2h, 7d (combined: 1h 30m)"
    ]
    assert run("put", "--tti", "0s", input=b"x").stderr == (
        b"objectstore: --tti: 0s is not a positive duration\n"
    )
    assert run("head", "k", "--retries", "-1").returncode == 2
    assert run("get", "k", "--json").returncode == 2  # stdout would mix JSON and data
    assert run("head", "k", "-s", "org").returncode == 2
    bad_scope = run("head", "k", "-s", "org=a/b")  # refused by the SDK (InvalidInput)
    assert bad_scope.returncode == 2
    assert b"objectstore:" in bad_scope.stderr


def test_flags_win_over_environment_variables(run: Run, objectstore_url: str) -> None:
    put = run("put", "-k", "k", "-u", "other", "-s", "org=7", "-s", "project=8", input=b"v")
    assert put.returncode == 0, put.stderr
    # the environment names usecase "attachments" and another scope: nothing there
    assert run("head", "k").returncode == 3
    found = run("head", "k", "--usecase", "other", env={"OBJECTSTORE_SCOPES": "org=7,project=8"})
    assert found.returncode == 0, found.stderr


def test_no_progress_bar_when_stderr_is_a_pipe(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(b"\0" * (16 << 20))
    result = run("put", str(source))
    assert result.returncode == 0
    assert result.stderr == b""
    assert run("get", result.stdout.decode().strip(), "-o", str(tmp_path / "o")).stderr == b""


def test_auth_errors_have_their_own_exit_status(auth_server: AuthServer) -> None:
    base = [*COMMAND, "--url", auth_server.url, "-u", "attachments", "-s", "org=1"]

    def cli(*args: str, input: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        argv = [COMMAND[0], *COMMAND[1:], args[0], *base[len(COMMAND) :], *args[1:]]
        return subprocess.run(
            argv, input=input, capture_output=True, env=clean_env(), timeout=60, check=False
        )

    no_token = cli("head", "k")  # no token at all: 400, and HEAD answers have no body
    assert no_token.returncode == EXIT_CODES["auth"] == 4
    assert b"hint: the server wants credentials: --token JWT" in no_token.stderr
    assert cli("head", "k", "--token", "not-a-jwt").returncode == 4  # 401
    signed = ["--key-id", KID, "--key-file", str(auth_server.key_file)]
    put = cli("put", "-k", "k", *signed, input=b"secret bytes")
    assert put.returncode == 0, put.stderr
    assert cli("get", "k", *signed).stdout == b"secret bytes"
    assert cli("head", "k", "--key-id", KID).returncode == 2  # half a key


def test_presigned_url_serves_the_stored_zstd_bytes(auth_server: AuthServer) -> None:
    signed = ["--url", auth_server.url, "-u", "attachments", "-s", "org=2"]
    signed += ["--key-id", KID, "--key-file", str(auth_server.key_file)]
    put = subprocess.run(
        [*COMMAND, "put", "-k", "doc", *signed],
        input=b"shared" * 100,
        capture_output=True,
        env=clean_env(),
    )
    assert put.returncode == 0, put.stderr
    result = subprocess.run(
        [*COMMAND, "url", "doc", "--expires", "10m", "--json", *signed],
        capture_output=True,
        env=clean_env(),
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["expires_in"] == 600
    with urllib.request.urlopen(answer["url"]) as response:  # no credentials
        stored = response.read()
    assert zstandard.ZstdDecompressor().decompressobj().decompress(stored) == b"shared" * 100

    no_key = subprocess.run(
        [*COMMAND, "presign", "doc", *signed[:6]], capture_output=True, env=clean_env()
    )
    assert no_key.returncode == 2
    assert b"pre-signed URLs need a signing key" in no_key.stderr

    too_long = subprocess.run(
        [*COMMAND, "url", "doc", "--expires", "8d", *signed], capture_output=True, env=clean_env()
    )
    assert too_long.returncode == 2
    assert too_long.stderr == b"objectstore: --expires: 8d is longer than the maximum of 7d\n"


def test_serve_runs_the_local_server(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [*COMMAND, "serve", "--port", "0", "--storage", "memory"],
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().decode().strip()
        assert url.startswith("http://127.0.0.1:")
        env = clean_env({"OBJECTSTORE_URL": url, "OBJECTSTORE_USECASE": "attachments"})
        put = subprocess.run(
            [*COMMAND, "put", "-k", "k"], input=b"v", env=env, capture_output=True, timeout=60
        )
        assert put.returncode == 0, put.stderr
        got = subprocess.run([*COMMAND, "get", "k"], env=env, capture_output=True, timeout=60)
        assert got.stdout == b"v"
    finally:
        server.terminate()
        deadline = time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if server.poll() is None:
            server.kill()
        server.communicate()  # waits, and closes the pipes
    assert server.returncode == 0


def test_installed_entry_point_and_version() -> None:
    script = Path(sys.executable).parent / ("objectstore.exe" if os.name == "nt" else "objectstore")
    assert script.exists(), "the `objectstore` script is installed with the package"
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, env=clean_env(), timeout=60
    )
    assert result.stdout.decode().strip() == f"objectstore {__version__}"
    help_text = subprocess.run(
        [str(script), "--help"], capture_output=True, env=clean_env()
    ).stdout.decode()
    for command in ("put", "get", "head", "rm", "url", "serve", "OBJECTSTORE_URL"):
        assert command in help_text
