"""Metric records with upstream names, built only here: the drivers hand the SDK's own to the
MetricsBackend hook, and ``_metrics.measure_storage_operation`` (upstream's helper for callers'
code) emits the same records.

Names: ``storage.<op>.latency`` (seconds), ``storage.<op>.size`` (bytes, unit ``byte``),
``storage.<op>.compression_ratio`` (compressed / uncompressed), ``storage.<op>.throughput``
(bytes per second) and ``storage.<op>.inverse_throughput`` (seconds per byte). Tags:
``usecase``, and ``compression`` (``none`` or ``zstd``) where it applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs

__all__ = [
    "MetricRecord",
    "MetricsBackend",
    "NoOpMetricsBackend",
    "Tags",
    "latency_record",
    "operation_metrics",
    "ratio_record",
    "size_record",
    "throughput_records",
]

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


def _tags(usecase: str, compression: str | None) -> dict[str, str]:
    return (
        {"usecase": usecase}
        if compression is None
        else {"usecase": usecase, "compression": compression}
    )


def latency_record(op: str, usecase: str, latency: float) -> MetricRecord:
    """``storage.<op>.latency`` in seconds."""
    return MetricRecord(f"storage.{op}.latency", latency, _tags(usecase, None))


def size_record(op: str, usecase: str, size: int, compression: str | None) -> MetricRecord:
    """``storage.<op>.size`` in bytes, tagged with ``compression`` unless None."""
    return MetricRecord(f"storage.{op}.size", size, _tags(usecase, compression), "byte")


def throughput_records(
    op: str, usecase: str, size: int, compression: str | None, latency: float
) -> list[MetricRecord]:
    """``throughput`` (bytes/s) and ``inverse_throughput`` (s/byte) of one size; none for
    an empty size or no elapsed time."""
    if latency <= 0 or size <= 0:
        return []
    tags = _tags(usecase, compression)
    return [
        MetricRecord(f"storage.{op}.throughput", size / latency, tags),
        MetricRecord(f"storage.{op}.inverse_throughput", latency / size, dict(tags)),
    ]


def ratio_record(
    op: str, usecase: str, compressed: int, uncompressed: int, compression: str
) -> MetricRecord:
    """``storage.<op>.compression_ratio``: compressed / uncompressed."""
    ratio = compressed / uncompressed
    return MetricRecord(f"storage.{op}.compression_ratio", ratio, _tags(usecase, compression))


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
    """The records for one finished (or failed) operation of the SDK.

    ``size`` is a size without a compression tag (multipart parts, as upstream records them).
    """
    records = [latency_record(op, usecase, latency)]
    sized: list[tuple[int, str | None]] = []
    if size is not None:
        sized.append((size, None))
    if uncompressed is not None:
        sized.append((uncompressed, "none"))
    if compressed is not None and compression == "zstd":
        sized.append((compressed, "zstd"))
    for amount, tag in sized:
        records.append(size_record(op, usecase, amount, tag))
        records += throughput_records(op, usecase, amount, tag, latency)
    if uncompressed and compressed is not None and compression == "zstd":
        records.append(ratio_record(op, usecase, compressed, uncompressed, "zstd"))
    return records
