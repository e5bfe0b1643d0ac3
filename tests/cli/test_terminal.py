"""One run in a real terminal (tmux): the progress bar renders on a TTY."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
RATE = re.compile(r"\d+(\.\d+)? [KMGT]?i?B/s")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")


def _tmux(*args: str) -> str:
    assert TMUX is not None
    result = subprocess.run([TMUX, *args], capture_output=True, text=True, timeout=30, check=True)
    return result.stdout


def test_progress_bar_renders_in_a_terminal(objectstore_url: str, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(b"objectstore " * (2 << 20))  # 24 MiB: above the bar's 4 MiB
    done = tmp_path / "done"
    cli = shlex.join([sys.executable, "-m", "objectstore_client.cli"])
    script = (
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
