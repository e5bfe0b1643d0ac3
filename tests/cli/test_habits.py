"""Habits users of aws s3 cp, gsutil, mc and curl expect: content types from file names, a
``head`` that shows the size, over HTTP against the local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Run

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", b"some notes", "text/plain"),
        ("page.html", b"<p>hi</p>", "text/html"),
        ("backup.tar.gz", b"\x1f\x8b" + b"\0" * 20, "application/gzip"),
        ("picture", PNG, "image/png"),  # no extension: the first bytes tell
        ("blob.unknown-extension", b"\0\1\2", "application/octet-stream"),
    ],
)
def test_put_guesses_the_content_type(
    run: Run, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    put = run("put", str(source))
    assert put.returncode == 0, put.stderr
    head = json.loads(run("head", put.stdout.decode().strip(), "--json").stdout)
    assert head["content_type"] == expected


def test_an_explicit_content_type_wins_and_stdin_guesses_from_filename(
    run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "notes.txt"
    source.write_bytes(b"x")
    key = run("put", str(source), "--content-type", "text/markdown").stdout.decode().strip()
    assert json.loads(run("head", key, "--json").stdout)["content_type"] == "text/markdown"
    piped = run("put", "--filename", "data.json", input=b"{}").stdout.decode().strip()
    assert json.loads(run("head", piped, "--json").stdout)["content_type"] == "application/json"


def test_head_shows_the_content_type_and_the_stored_size_with_its_encoding(run: Run) -> None:
    text = b"objectstore " * 1000
    assert run("put", "-k", "zstd.txt", "--content-type", "text/plain", input=text).returncode == 0
    stored = run("get", "zstd.txt", "--raw", "-o", "-").stdout  # the stored zstd bytes
    assert 0 < len(stored) < len(text)
    lines = run("head", "zstd.txt").stdout.decode().splitlines()
    assert lines[:2] == [
        "content_type: text/plain",
        f"size: {len(stored)} bytes stored, zstd-compressed",
    ]
    assert "compression: zstd" in lines
    as_json = json.loads(run("head", "zstd.txt", "--json").stdout)
    assert (as_json["size"], as_json["compression"]) == (len(stored), "zstd")

    run("put", "-k", "plain", "--compression", "none", input=b"12345")
    assert "size: 5 bytes" in run("head", "plain").stdout.decode().splitlines()
    run("put", "-k", "empty", "--compression", "none", input=b"")
    assert json.loads(run("head", "empty", "--json").stdout)["size"] == 0
