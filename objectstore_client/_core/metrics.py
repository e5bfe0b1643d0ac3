"""Metric records with upstream names; the drivers hand them to the MetricsBackend hook.

Names: ``storage.<op>.latency`` (seconds), ``storage.<op>.size`` (bytes, unit ``byte``),
``storage.<op>.compression_ratio`` (compressed / uncompressed), ``storage.<op>.throughput``
(bytes per second) and ``storage.<op>.inverse_throughput`` (seconds per byte). Tags:
``usecase``, and ``compression`` (``none`` or ``zstd``) where it applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs

__all__ = ["MetricRecord", "MetricsBackend", "NoOpMetricsBackend", "Tags", "operation_metrics"]

Tags = Mapping[str, str]


@runtime_checkable
class MetricsBackend(Protocol):
    """Receives metrics; implement it to forward to statsd, Datadog, Sentry, ..."""

    def increment(self, name: str, value: int | float = 1, tags: Tags | None = None) -> None:
        """Increment a counter (never called by the SDK; part of the upstream protocol)."""

    def gauge(self, name: str, value: int | float, tags: Tags | None = None) -> None:
        """Set a gauge (never called by the SDK; part of the upstream protocol)."""

    def distribution(
        self, name: str, value: int | float, tags: Tags | None = None, unit: str | None = None
    ) -> None:
        """Record one value of a distribution; the only method the SDK calls."""


class NoOpMetricsBackend:
    """Discards every metric (the default)."""

    def increment(self, name: str, value: int | float = 1, tags: Tags | None = None) -> None:
        """Do nothing."""

    def gauge(self, name: str, value: int | float, tags: Tags | None = None) -> None:
        """Do nothing."""

    def distribution(
        self, name: str, value: int | float, tags: Tags | None = None, unit: str | None = None
    ) -> None:
        """Do nothing."""


@attrs.frozen
class MetricRecord:
    """One ``distribution`` call."""

    name: str
    value: float
    tags: dict[str, str]
    unit: str | None = None


def operation_metrics(
    op: str,
    usecase: str,
    latency: float,
    *,
    uncompressed: int | None = None,
    compressed: int | None = None,
    compression: str | None = None,
    size: int | None = None,
) -> list[MetricRecord]:
    """The records for one finished (or failed) operation.

    ``size`` is a size without a compression tag (multipart parts, as upstream records them).
    """
    prefix = f"storage.{op}"
    base = {"usecase": usecase}
    records = [MetricRecord(f"{prefix}.latency", latency, dict(base))]
    sized: list[tuple[int, str | None]] = []
    if size is not None:
        sized.append((size, None))
    if uncompressed is not None:
        sized.append((uncompressed, "none"))
    if compressed is not None and compression == "zstd":
        sized.append((compressed, "zstd"))
    for amount, tag in sized:
        tags = dict(base) if tag is None else {**base, "compression": tag}
        records.append(MetricRecord(f"{prefix}.size", amount, tags, "byte"))
        if latency > 0 and amount > 0:
            records.append(MetricRecord(f"{prefix}.throughput", amount / latency, tags))
            records.append(MetricRecord(f"{prefix}.inverse_throughput", latency / amount, tags))
    if uncompressed and compressed is not None and compression == "zstd":
        tags = {**base, "compression": "zstd"}
        records.append(MetricRecord(f"{prefix}.compression_ratio", compressed / uncompressed, tags))
    return records
