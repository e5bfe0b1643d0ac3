"""Optional Sentry trace propagation (sentry_sdk stays an optional dependency)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["trace_header_source"]


def trace_header_source(enabled: bool) -> Callable[[], Mapping[str, str]] | None:
    """A function returning ``sentry-trace``/``baggage`` headers, or None when off/unavailable."""
    if not enabled:
        return None
    try:
        sentry_sdk: Any = importlib.import_module("sentry_sdk")
    except ImportError:
        return None

    def headers() -> Mapping[str, str]:
        try:
            scope = sentry_sdk.get_current_scope()
            return dict(scope.iter_trace_propagation_headers())
        except Exception:  # never let tracing break a request
            return {}

    return headers
