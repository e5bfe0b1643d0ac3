"""Upstream-compatible module: Sentry spans for storage operations (``storage_span``).

``sentry_sdk`` is optional: without it ``storage_span`` yields None and records nothing. The
SDK's own operations do not open spans (see docs/migration.md).
"""

from ._models import Scope
from ._tracing import SPAN_ORIGIN, SpanAttributeValue, storage_span

__all__ = ["SPAN_ORIGIN", "Scope", "SpanAttributeValue", "storage_span"]
