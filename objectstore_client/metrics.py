"""Upstream-compatible module: the metrics hook."""

from ._core.metrics import MetricsBackend, NoOpMetricsBackend, Tags

__all__ = ["MetricsBackend", "NoOpMetricsBackend", "Tags"]
