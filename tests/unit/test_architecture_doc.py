"""docs/architecture.md names real code: every module, file and ``module.name`` it cites."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text()
PACKAGE = ROOT / "objectstore_client"


def test_every_cited_name_exists() -> None:
    cited = re.findall(r"`(?:_core/(\w+)|(_\w+|flows))\.(?!py`)(\w+)`", DOC)
    assert len(cited) > 10
    for core_module, module, name in cited:
        path = f"objectstore_client._core.{core_module}" if core_module else ""
        path = path or f"objectstore_client.{'_core.' if module == 'flows' else ''}{module}"
        assert hasattr(importlib.import_module(path), name), f"{path}.{name}"


def test_every_cited_file_exists() -> None:
    files = re.findall(r"`((?:[\w/]+/)?_?\w+\.py)`", DOC)
    files += [f"{name}*.py" for name in re.findall(r"`(_\w+_)\*`", DOC)]
    assert len(files) > 5
    for pattern in files:
        places = [PACKAGE, ROOT, ROOT / "tests" / "unit" / "_core"]
        assert any(list(place.glob(pattern)) for place in places), pattern
