"""One metrics implementation: upstream's ``measure_storage_operation`` (for callers' code) and
the SDK's own operations emit records built by ``_core.metrics`` alike."""

from __future__ import annotations

import pytest

from objectstore_client._core.metrics import MetricRecord, operation_metrics
from objectstore_client.metrics import Tags, measure_storage_operation


class Recorder:
    """A MetricsBackend that keeps every distribution."""

    def __init__(self) -> None:
        self.records: list[MetricRecord] = []

    def increment(self, name: str, value: int | float = 1, tags: Tags | None = None) -> None:
        raise AssertionError("the SDK only records distributions")

    def gauge(self, name: str, value: int | float, tags: Tags | None = None) -> None:
        raise AssertionError("the SDK only records distributions")

    def distribution(
        self, name: str, value: int | float, tags: Tags | None = None, unit: str | None = None
    ) -> None:
        self.records.append(MetricRecord(name, value, dict(tags or {}), unit))


def test_the_helper_emits_what_an_sdk_operation_emits(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter([10.0, 12.0])
    monkeypatch.setattr("objectstore_client._metrics.time.monotonic", lambda: next(ticks))
    backend = Recorder()
    with measure_storage_operation(backend, "put", "u", uncompressed_size=100) as emitter:
        emitter.record_compressed_size(40, "zstd")
    sdk = operation_metrics("put", "u", 2.0, uncompressed=100, compressed=40, compression="zstd")
    key = lambda r: (r.name, sorted(r.tags.items()))  # noqa: E731
    assert sorted(backend.records, key=key) == sorted(sdk, key=key)
    # upstream's order: sizes as they become known, then latency, ratio and throughputs
    assert [r.name.split(".")[-1] for r in backend.records][:4] == [
        "size", "size", "latency", "compression_ratio",
    ]  # fmt: skip


def test_the_helper_tags_an_unknown_compression() -> None:
    backend = Recorder()
    with measure_storage_operation(backend, "get", "u") as emitter:
        emitter.record_compressed_size(5)
    [size, latency] = [r for r in backend.records if r.name.endswith(("size", "latency"))]
    assert size == MetricRecord(
        "storage.get.size", 5, {"usecase": "u", "compression": "unknown"}, "byte"
    )
    assert latency.tags == {"usecase": "u"} and latency.unit is None
