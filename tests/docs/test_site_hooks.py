"""docs/_hooks/site.py: pending pages may be missing; nothing else may."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nav_hook", ROOT / "docs/_hooks/site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _config(docs: Path, nav: list[Any]) -> dict[str, Any]:
    return {"docs_dir": str(docs), "nav": nav, "extra": {"pending_pages": ["later.md"]}}


def test_missing_pending_pages_leave_the_nav_and_their_links_become_text(tmp_path: Path) -> None:
    hook = _hook()
    (tmp_path / "here.md").write_text("# here")
    nav = [{"Here": "here.md"}, {"Soon": [{"Later": "later.md"}]}, "other.md"]
    config = hook.on_config(_config(tmp_path, nav))
    assert config["nav"] == [{"Here": "here.md"}, "other.md"]  # other.md: mkdocs' to refuse

    page = SimpleNamespace(file=SimpleNamespace(src_uri="guides/page.md"))
    text = "See [later](../later.md#x), [here](../here.md) and [gone](gone.md)."
    out = hook.on_page_markdown(text, page, config, None)
    assert out == "See later, [here](../here.md) and [gone](gone.md)."

    (tmp_path / "later.md").write_text("# written")
    config = hook.on_config(_config(tmp_path, nav))
    assert {"Soon": [{"Later": "later.md"}]} in config["nav"]
    assert hook.on_page_markdown(text, page, config, None) == text


def test_sphinx_roles_are_dropped_before_code_spans() -> None:
    html = "open sessions with :meth:<code>session</code>; a :class:`x` stays"
    out = _hook().on_page_content(html, None, None, None)
    assert out == "open sessions with <code>session</code>; a :class:`x` stays"


@pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="the docs toolchain needs Python 3.11+; scripts/check builds the site with python3",
)
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode == 0, result.stderr
    reference = (tmp_path / "reference/client/index.html").read_text()
    assert "presigned_object_url" in reference  # inherited members are documented
    assert ":meth:" not in reference
