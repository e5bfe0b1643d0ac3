"""docs/_hooks/griffe_extensions.py: doctest examples become code fences."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("griffe", reason="the docs tools need Python 3.11+")


def _extensions() -> ModuleType:
    path = ROOT / "docs/_hooks/griffe_extensions.py"
    spec = importlib.util.spec_from_file_location("griffe_extensions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doctest_lines_and_their_output_are_fenced() -> None:
    text = "Counts.\n\n>>> clock()\n1700000060.0\n\nMore text, <port> and all.\n"
    fenced = _extensions().fence_doctests(text)
    assert fenced.splitlines() == [
        "Counts.",
        "",
        "```pycon",
        ">>> clock()",
        "1700000060.0",
        "```",
        "",
        "More text, <port> and all.",
    ]


def test_examples_at_the_end_and_existing_fences() -> None:
    fence = _extensions().fence_doctests
    assert fence(">>> with serve() as url:\n...     ...") == (
        "```pycon\n>>> with serve() as url:\n...     ...\n```"
    )
    already = "```pycon\n>>> 1\n1\n```"
    assert fence(already) == already
