"""Every code block of the README and docs/ runs, or says it is not meant to (its fence label).

A ```python block runs as written, in a fresh namespace holding only ``url``: the base URL of
a fresh local server, in a temporary working directory. Blocks of other languages are shown,
never run; an unlabelled fence fails, so that nothing escapes by accident.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from objectstore_client.testing import LocalObjectstore

ROOT = Path(__file__).resolve().parents[2]
RUN = {"python"}
SHOWN = {"text", "console", "sh", "bash", "toml", "yaml", "json", "ini", "pycon"}
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")


class Block(NamedTuple):
    path: Path
    line: int  # 1-based line of the opening fence
    language: str
    code: str

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def documents() -> list[Path]:
    """The README and every page of the docs site (other changes' pages included)."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def blocks(path: Path) -> Iterator[Block]:
    """The fenced code blocks of a Markdown file, with the line each starts on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        language = match["info"].strip().split(" ")[0].split("{")[0]
        start, body = index, []
        index += 1
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index][indent:] if lines[index][:indent].isspace() else lines[index])
            index += 1
        yield Block(path, start + 1, language, "\n".join(body) + "\n")
        index += 1


ALL = [block for path in documents() for block in blocks(path)]
PYTHON = [block for block in ALL if block.language in RUN]


def test_documents_have_python_examples() -> None:
    assert (ROOT / "README.md") in {block.path for block in PYTHON}
    assert len(PYTHON) >= 20


@pytest.mark.parametrize("block", ALL, ids=[block.id for block in ALL])
def test_every_fence_says_whether_it_runs(block: Block) -> None:
    assert block.language in RUN | SHOWN, (
        f"{block.id}: label the fence ```python to run it, or one of {sorted(SHOWN)} to show it"
    )


@pytest.mark.parametrize("block", PYTHON, ids=[block.id for block in PYTHON])
def test_python_block_runs(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = compile(block.code, block.id, "exec")
    with LocalObjectstore(storage="memory") as server, warnings.catch_warnings():
        # examples show the current API: a deprecated call made by the example itself fails
        warnings.filterwarnings("error", category=DeprecationWarning, module="__docs__")
        exec(code, {"__name__": "__docs__", "url": server.url})
