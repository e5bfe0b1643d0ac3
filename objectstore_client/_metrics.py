"""Upstream's storage metrics, emitted from callers' own code: ``measure_storage_operation``
times a block and hands ``storage.<operation>.*`` distributions to a MetricsBackend. The
records are built by ``_core.metrics``, like the SDK's own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from ._core.metrics import (
    MetricRecord,
    MetricsBackend,
    latency_record,
    ratio_record,
    size_record,
    throughput_records,
)

__all__ = ["StorageMetricEmitter", "measure_storage_operation"]


class StorageMetricEmitter:
    """Emits the ``storage.<operation>.*`` distributions of one operation to a backend.

    Sizes recorded before the operation ends also yield throughput metrics and (with both
    sizes) the compression ratio when :func:`measure_storage_operation` finishes.
    """

    def __init__(self, backend: MetricsBackend, operation: str, usecase: str) -> None:
        self.backend = backend
        self.operation = operation
        self.usecase = usecase
        self.start: int | None = None
        self.elapsed: float | None = None
        self.size: int | None = None
        self.uncompressed_size: int | None = None
        self.compressed_size: int | None = None
        self.compression: str = "unknown"

    def _emit(self, record: MetricRecord) -> None:
        self.backend.distribution(record.name, record.value, tags=record.tags, unit=record.unit)

    def record_latency(self, elapsed: float) -> None:
        """``storage.<op>.latency`` in seconds."""
        self._emit(latency_record(self.operation, self.usecase, elapsed))
        self.elapsed = elapsed

    def record_uncompressed_size(self, value: int) -> None:
        """``storage.<op>.size`` of the payload before compression (tag ``compression=none``)."""
        self._emit(size_record(self.operation, self.usecase, value, "none"))
        self.uncompressed_size = value

    def record_size(self, value: int) -> None:
        """``storage.<op>.size`` without a compression tag (multipart parts)."""
        self._emit(size_record(self.operation, self.usecase, value, None))
        self.size = value

    def record_compressed_size(self, value: int, compression: str = "unknown") -> None:
        """``storage.<op>.size`` of the payload as sent, tagged with its ``compression``."""
        self._emit(size_record(self.operation, self.usecase, value, compression))
        self.compressed_size = value
        self.compression = compression

    def maybe_record_compression_ratio(self) -> None:
        """``storage.<op>.compression_ratio`` (compressed / uncompressed) when both are known."""
        if not self.uncompressed_size or not self.compressed_size:
            return
        self._emit(
            ratio_record(
                self.operation,
                self.usecase,
                self.compressed_size,
                self.uncompressed_size,
                self.compression,
            )
        )

    def maybe_record_throughputs(self) -> None:
        """``throughput`` (bytes/s) and ``inverse_throughput`` (s/byte) per recorded size."""
        if not self.elapsed or self.elapsed <= 0:
            return
        sizes: list[tuple[int | None, str | None]] = [
            (self.size, None),
            (self.uncompressed_size, "none"),
            (self.compressed_size, self.compression),
        ]
        for size, compression in sizes:
            if size:
                for record in throughput_records(
                    self.operation, self.usecase, size, compression, self.elapsed
                ):
                    self._emit(record)


@contextmanager
def measure_storage_operation(
    backend: MetricsBackend,
    operation: str,
    usecase: str,
    uncompressed_size: int | None = None,
    compressed_size: int | None = None,
    compression: str = "unknown",
) -> Iterator[StorageMetricEmitter]:
    """Time the enclosed block as ``storage.<operation>`` and emit its metrics, also when it
    raises. Yields the emitter, to record sizes that become known inside the block."""
    emitter = StorageMetricEmitter(backend, operation, usecase)
    if uncompressed_size:
        emitter.record_uncompressed_size(uncompressed_size)
    if compressed_size:
        emitter.record_compressed_size(compressed_size, compression)
    start = time.monotonic()
    try:
        yield emitter
    finally:
        emitter.record_latency(time.monotonic() - start)
        emitter.maybe_record_compression_ratio()
        emitter.maybe_record_throughputs()
