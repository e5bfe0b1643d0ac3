"""Optional Sentry integration (sentry_sdk stays an optional dependency): trace propagation,
and upstream's ``storage_span`` helper.

Without sentry_sdk (or without its span-streaming API, ``sentry_sdk.traces.start_span``,
sentry-sdk 2.66+) ``storage_span`` yields None and records nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ._models import Scope, Usecase

__all__ = [
    "SPAN_ORIGIN",
    "SpanAttributeValue",
    "span_attributes",
    "storage_span",
    "trace_header_source",
]


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


#: Origin of the spans, per Sentry's ``auto.<integration>.<library>`` convention.
SPAN_ORIGIN = "auto.objectstore.client"

SpanAttributeValue = str | int | float | bool | list[str] | list[int] | list[float]


def span_attributes(
    operation: str, usecase: Usecase, scope: Scope, attributes: dict[str, Any]
) -> dict[str, Any]:
    """The attributes of an operation's span; None values are dropped."""
    result: dict[str, Any] = {
        "sentry.op": f"objectstore.{operation}",
        "sentry.origin": SPAN_ORIGIN,
        "objectstore.usecase": usecase.name,
    }
    for name, value in scope.dict().items():
        result[f"objectstore.scopes.{name}"] = value
    for name, value in attributes.items():
        if value is not None:
            result[f"objectstore.{name}"] = value
    return result


def _start_span() -> Any:
    try:
        traces = importlib.import_module("sentry_sdk.traces")
    except ImportError:
        return None
    return getattr(traces, "start_span", None)


@contextmanager
def storage_span(
    operation: str,
    usecase: Usecase,
    scope: Scope,
    **attributes: SpanAttributeValue | None,
) -> Iterator[Any]:
    """A Sentry span named ``objectstore.<operation> <usecase>`` (op ``objectstore.<operation>``)
    around the block; keyword arguments become ``objectstore.<name>`` attributes. Yields the
    span (set attributes known only later on it), or None without sentry-sdk."""
    start_span = _start_span()
    if start_span is None:
        yield None
        return
    name = f"objectstore.{operation} {usecase.name}"
    with start_span(
        name=name, attributes=span_attributes(operation, usecase, scope, attributes)
    ) as span:
        yield span
