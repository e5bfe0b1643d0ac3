"""mkdocs hook: leave pages listed in ``extra.pending_pages`` out of the nav until they exist.

Other changes add those pages; the strict build stays green before they land and lists them
as soon as they do. A page missing from docs/ that is not pending still fails the build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.nav")


def _prune(items: list[Any], docs: Path, pending: set[str]) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        title, target = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(target, list):
            children = _prune(target, docs, pending)
            if children:
                kept.append({title: children})
        elif isinstance(target, str) and target in pending and not (docs / target).exists():
            log.info("nav: %s is not written yet, left out", target)
        else:
            kept.append(item)
    return kept


def on_config(config: Any) -> Any:
    """Prune pending pages that do not exist from ``nav``."""
    pending = set(config["extra"].get("pending_pages", []))
    if config["nav"]:
        config["nav"] = _prune(config["nav"], Path(config["docs_dir"]), pending)
    return config
