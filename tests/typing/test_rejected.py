"""``mypy --strict`` refuses wrong arguments to the public API, not only the run-time checks.

Each case is one line of code that must produce the mypy error code given; they are checked in
one mypy run (the package is analysed once).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """\
from objectstore_client import Client, Usecase
session = Client("http://127.0.0.1:1").session(Usecase("attachments"), org=1)
"""
#: (code, the mypy error code it must raise)
CASES = [
    ("Usecase(42)", "arg-type"),
    ('Usecase("attachments", compression="gzip")', "arg-type"),
    ("session.put(123)", "arg-type"),
    ('session.put("text, not bytes")', "arg-type"),
    ('session.upload(["text chunks"])', "list-item"),
    ('session.put(open("notes.txt"))', "arg-type"),  # a text file
]


def test_mypy_strict_refuses_wrong_arguments(tmp_path: Path) -> None:
    source = tmp_path / "wrong.py"
    first = PRELUDE.count("\n") + 1
    source.write_text(PRELUDE + "".join(f"{code}\n" for code, _ in CASES))
    stdout, stderr, _ = mypy_api.run(
        ["--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "cache"), str(source)]
    )  # fmt: skip
    errors: dict[int, str] = {}
    for match in re.finditer(r"wrong\.py:(\d+): error: (.*)\[([a-z-]+)\]$", stdout, re.M):
        errors[int(match[1])] = match[3]
    for offset, (code, expected) in enumerate(CASES):
        assert errors.get(first + offset) == expected, f"{code}: {stdout}{stderr}"
    assert set(errors) == {first + offset for offset in range(len(CASES))}, stdout
