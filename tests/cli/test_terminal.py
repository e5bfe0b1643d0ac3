"""The CLI in a real terminal: the progress bar renders (tmux), and on a pseudo-terminal it
refuses to read stdin or write binary data unless asked, and tells why it waits while it
retries."""

from __future__ import annotations

import os
import re
import select
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from objectstore_client.cli import EXIT_CODES

from .conftest import COMMAND, Run, clean_env

TMUX = shutil.which("tmux")
RATE = re.compile(r"\d+(\.\d+)? [KMGT]?i?B/s")


def _tmux(*args: str) -> str:
    assert TMUX is not None
    result = subprocess.run([TMUX, *args], capture_output=True, text=True, timeout=30, check=True)
    return result.stdout


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")
def test_progress_bar_renders_in_a_terminal(objectstore_url: str, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(b"objectstore " * (2 << 20))  # 24 MiB: above the bar's 4 MiB
    done = tmp_path / "done"
    cli = shlex.join([sys.executable, "-m", "objectstore_client.cli"])
    script = (
        "unset OBJECTSTORE_SCOPES OBJECTSTORE_TOKEN OBJECTSTORE_KEY_ID OBJECTSTORE_KEY_FILE; "
        f"export OBJECTSTORE_URL={objectstore_url} OBJECTSTORE_USECASE=attachments; "
        f"{cli} put {shlex.quote(str(source))} -k tty-big -s org=tty > /dev/null; "
        f"{cli} get tty-big -s org=tty -o {shlex.quote(str(tmp_path / 'out.bin'))} > /dev/null; "
        f"touch {shlex.quote(str(done))}; sleep 60"
    )
    session = f"objectstore-cli-{os.getpid()}"
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "10", "sh", "-c", script)
    try:
        deadline = time.monotonic() + 60
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert done.exists(), _tmux("capture-pane", "-p", "-t", session)
        screen = _tmux("capture-pane", "-p", "-t", session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    put_line = next(line for line in lines if line.startswith("put big.bin"))
    assert "100%  [" in put_line and "] " in put_line
    # the rate's unit follows the speed (KiB/s .. GiB/s): any of them shows the rate rendered
    assert "24.0 MiB/24.0 MiB" in put_line and RATE.search(put_line) and " in 0:" in put_line
    get_line = next(line for line in lines if line.startswith("get tty-big"))
    assert "24.0 MiB" in get_line and RATE.search(get_line)
    assert (tmp_path / "out.bin").read_bytes() == source.read_bytes()


def in_terminal(
    args: list[str], env: Mapping[str, str], *, stdin: bytes | None = None, timeout: float = 30
) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal (and stdin too, unless
    ``stdin`` bytes are piped in); returns the exit status and what the terminal showed."""
    master, slave = os.openpty()
    piped = subprocess.PIPE if stdin is not None else slave
    process = subprocess.Popen(
        [*COMMAND, *args], stdin=piped, stdout=slave, stderr=slave, env=dict(env)
    )
    os.close(slave)
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    shown = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: every process let go of the terminal
                    break
                if not data:
                    break
                shown += data
            elif process.poll() is not None:
                break
        else:
            raise AssertionError(f"still running after {timeout} s; showed {bytes(shown)!r}")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        os.close(master)
    return process.returncode, shown.decode("utf-8", errors="replace").replace("\r\n", "\n")


@pytest.fixture
def terminal_env(objectstore_url: str, scope: str) -> dict[str, str]:
    return clean_env(
        {
            "OBJECTSTORE_URL": objectstore_url,
            "OBJECTSTORE_USECASE": "attachments",
            "OBJECTSTORE_SCOPES": scope,
        }
    )


def test_put_without_a_file_refuses_a_terminals_stdin(terminal_env: dict[str, str]) -> None:
    status, shown = in_terminal(["put"], terminal_env, timeout=20)
    assert status == EXIT_CODES["usage"]
    assert shown == (
        "objectstore: no FILE given and stdin is a terminal: name a file, pipe the data in, "
        "or pass - to type it\n"
    )


def test_get_refuses_binary_for_a_terminal_unless_asked(
    run: Run, terminal_env: dict[str, str]
) -> None:
    assert run("put", "-k", "bin", input=b"\x00\x01\x02BINARY\xff").returncode == 0
    assert run("put", "-k", "text", input="héllo, terminal\n".encode()).returncode == 0

    status, shown = in_terminal(["get", "bin"], terminal_env)
    assert status == EXIT_CODES["usage"]
    assert "BINARY" not in shown
    assert shown == (
        "objectstore: the object is binary and stdout is a terminal: pass -o FILE, "
        "or -o - to write it to the terminal anyway\n"
    )
    status, shown = in_terminal(["get", "bin", "-o", "-"], terminal_env)
    assert status == 0 and "BINARY" in shown

    status, shown = in_terminal(["get", "text"], terminal_env)  # text is shown
    assert (status, shown) == (0, "héllo, terminal\n")


def test_piped_stdin_is_read_while_output_is_a_terminal(
    run: Run, terminal_env: dict[str, str]
) -> None:
    status, shown = in_terminal(["put", "-k", "piped"], terminal_env, stdin=b"from a pipe")
    assert (status, shown) == (0, "piped\n")
    assert run("get", "piped").stdout == b"from a pipe"


def test_retries_are_told_on_a_terminal(terminal_env: dict[str, str]) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    status, shown = in_terminal(["head", "k", "--url", url, "--retries", "2"], terminal_env)
    assert status == EXIT_CODES["transport"]
    lines = shown.splitlines()
    notice = re.compile(
        r"objectstore: HEAD /v1/objects/attachments/org=\w+/k: cannot connect "
        r"\(\[Errno 111\] Connection refused\); retry (\d) of 2 in 0\.\d s"
    )
    assert [notice.fullmatch(line) is not None for line in lines[:2]] == [True, True], lines
    assert [notice.fullmatch(line)[1] for line in lines[:2]] == ["1", "2"]  # type: ignore[index]
    assert lines[2].startswith(f"objectstore: cannot connect to {url} (")
    assert lines[2].endswith("gave up after 2 retries")
