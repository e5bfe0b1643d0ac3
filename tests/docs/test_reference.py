"""The API reference: every name the package exports is on it, rendered as a reader sees it.

Builds the site once (``mkdocs build --strict``, as scripts/check does) and reads the HTML:
each name in ``__all__`` of ``objectstore_client`` and of its public modules must have an
entry (its own anchor, or the anchor of the same object under another public name), and the
entries must be readable: no raw Sphinx fields, ``>>>`` examples as code, ``<placeholders>``
kept as text, attrs classes with their signature.
"""

from __future__ import annotations

import html
import importlib
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType, UnionType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("mkdocstrings_handlers.python", reason="the docs tools need Python 3.11+")

#: The package and every public module a user imports names from.
MODULES = [
    "objectstore_client",
    "objectstore_client.auth",
    "objectstore_client.cli",
    "objectstore_client.client",
    "objectstore_client.errors",
    "objectstore_client.metadata",
    "objectstore_client.metrics",
    "objectstore_client.multipart",
    "objectstore_client.presign",
    "objectstore_client.scope",
    "objectstore_client.testing",
    "objectstore_client.testing.faults",
    "objectstore_client.testing.plugin",
    "objectstore_client.tracing",
    "objectstore_client.utils",
]
_ANCHOR = re.compile(r'<h[1-6] id="(objectstore_client(?:\.\w+)*)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def reference_html(site: Path) -> dict[str, str]:
    return {
        page.parent.name: page.read_text(encoding="utf-8")
        for page in (site / "reference").glob("*/index.html")
    }


@cache
def _resolve(path: str) -> Any:
    """The object an anchor like ``objectstore_client.testing.faults.Reset`` names."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name, _INSTANCE_ATTRIBUTE)
        return target
    raise LookupError(path)


#: What an anchor of an instance attribute (set in ``__init__``) resolves to.
_INSTANCE_ATTRIBUTE = "instance attribute"


def _is_value(obj: object) -> bool:
    """Constants are documented under their own name (equal ints and strings are not the same
    entry); classes, functions and aliases are found by identity."""
    alias = hasattr(obj, "__origin__") or isinstance(obj, UnionType)
    return not (callable(obj) or isinstance(obj, (type, ModuleType)) or alias)


def test_every_exported_name_has_an_entry(site: Path) -> None:
    anchors = {a for text in reference_html(site).values() for a in _ANCHOR.findall(text)}
    documented = {id(_resolve(a)) for a in anchors if not _is_value(_resolve(a))}
    missing = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            own = f"{module_name}.{name}" in anchors
            if not own and (_is_value(obj) or id(obj) not in documented):
                missing.append(f"{module_name}.{name}")
    assert missing == []


def test_entries_read_well(site: Path) -> None:
    pages = reference_html(site)
    text = "\n".join(pages.values())
    # Sphinx fields are parsed into sections, never shown raw
    assert ":param " not in text and ":raises " not in text and ":returns:" not in text
    # doctest examples are code, not nested quotes
    assert "&gt;&gt;&gt;" in text and "<blockquote>\n<blockquote>" not in text
    for line in re.findall(r"<p>[^<]*&gt;&gt;&gt;[^<]*</p>", text):
        raise AssertionError(f"a >>> example rendered as prose: {line}")
    # <port> in a docstring stays text
    assert "127.0.0.1:&lt;port&gt;" in text and "127.0.0.1:<port>" not in text


@pytest.mark.parametrize(
    ("page", "cls", "fields"),
    [
        ("models", "TransferConfig", ["multipart_threshold", "part_size", "concurrency"]),
        ("models", "Metadata", ["content_type", "time_created", "expiration_policy", "custom"]),
        ("models", "Usecase", ["name", "compression", "expiration_policy"]),
        ("models", "TimeToLive", ["delta"]),
        ("models", "RetryPolicy", ["max_retries", "deadline", "max_retry_after", "on_retry"]),
        ("models", "BatchConfig", ["batch_concurrency", "individual_concurrency"]),
    ],
)
def test_attrs_classes_show_their_fields(
    site: Path, page: str, cls: str, fields: list[str]
) -> None:
    text = reference_html(site)[page]
    start = text.index(f'id="objectstore_client.{cls}"')
    entry = text[start : start + 20_000]
    signature = re.sub(r"<[^>]+>", "", entry.split("</code></pre>", 1)[0])
    for field in fields:
        assert f"{field}:" in html.unescape(signature).replace(" :", ":"), (cls, field)
