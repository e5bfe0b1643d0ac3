"""Upstream-compatible module: the metrics hook, and helpers to emit upstream's storage metrics
from your own code (``measure_storage_operation``)."""

from ._core.metrics import MetricsBackend, NoOpMetricsBackend, Tags
from ._metrics import StorageMetricEmitter, measure_storage_operation

__all__ = [
    "MetricsBackend",
    "NoOpMetricsBackend",
    "StorageMetricEmitter",
    "Tags",
    "measure_storage_operation",
]
