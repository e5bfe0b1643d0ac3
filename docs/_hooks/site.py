"""mkdocs hooks: pages that may be missing until written; Sphinx roles in docstrings.

Pages listed in ``extra.pending_pages`` may be missing until they are written.
Other changes add those pages. While one is missing, it is left out of the nav and links to it
become plain text, so the strict build stays green; once it exists, nav entry and links come
back by themselves. A missing page that is not pending, or a broken link to one, still fails.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.site")
# docstrings say :meth:`Client.session` (Sphinx); mkdocstrings renders the role as text
_ROLE = re.compile(r":(?:meth|class|func|attr|exc|data|mod|obj):(?=<code>)")
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s#]+\.md)(?P<anchor>#[^)\s]*)?\)")


def _missing(config: Any) -> set[str]:
    docs = Path(config["docs_dir"])
    pending = config["extra"].get("pending_pages", [])
    return {page for page in pending if not (docs / page).exists()}


def _prune(items: list[Any], missing: set[str]) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        title, target = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(target, list):
            children = _prune(target, missing)
            if children:
                kept.append({title: children})
        elif isinstance(target, str) and target in missing:
            log.info("nav: %s is not written yet, left out", target)
        else:
            kept.append(item)
    return kept


def on_config(config: Any) -> Any:
    """Prune pending pages that do not exist from ``nav``."""
    if config["nav"]:
        config["nav"] = _prune(config["nav"], _missing(config))
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Turn links to pending pages that do not exist into their plain text."""
    missing = _missing(config)
    if not missing:
        return markdown
    here = posixpath.dirname(page.file.src_uri)

    def unlink(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(here, match["target"]))
        return match["text"] if target in missing else match[0]

    return _LINK.sub(unlink, markdown)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Drop Sphinx role prefixes (``:meth:``) left in front of rendered code spans."""
    return _ROLE.sub("", html)
