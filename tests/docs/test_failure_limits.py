"""docs/failure-semantics.md states the engine's limits; the numbers come from the code."""

from __future__ import annotations

import re
from pathlib import Path

from objectstore_client._engines._limits import LIMITS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "failure-semantics.md"
_ROW = re.compile(r"^\| `(MAX_[A-Z_]+)` \| (\d+)[ |]", re.MULTILINE)


def test_the_documented_limits_are_the_code_s() -> None:
    documented = {name: int(number) for name, number in _ROW.findall(PAGE.read_text())}
    assert documented == LIMITS


def test_the_documented_kib_match_the_bytes() -> None:
    for number, kib in re.findall(r"\| (\d+) \((\d+) KiB\)", PAGE.read_text()):
        assert int(number) == int(kib) * 1024
