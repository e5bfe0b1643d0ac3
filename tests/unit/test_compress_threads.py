"""TransferConfig.compress_threads: how many zstd workers compress an upload's single put."""

from __future__ import annotations

import pytest

from objectstore_client import InvalidInput, TransferConfig
from objectstore_client._constants import (
    COMPRESSION_PROBE_BYTES,
    MIN_MULTITHREAD_SAVING,
    MULTITHREAD_COMPRESSION_MIN_BYTES,
)
from objectstore_client._core.sources import classify_body

TEXT = b"a compressible line of text, repeated\n" * 20_000  # ~760 KiB


@pytest.mark.parametrize(
    ("threads", "size", "used"),
    [
        (None, len(TEXT), 0),  # automatic: below 16 MiB one thread
        (None, MULTITHREAD_COMPRESSION_MIN_BYTES, -1),  # automatic: every core
        (1, MULTITHREAD_COMPRESSION_MIN_BYTES, 0),
        (2, len(TEXT), 2),
        (3, None, 3),
    ],
)
def test_the_encoder_uses_the_configured_threads(
    threads: int | None, size: int | None, used: int
) -> None:
    spec = classify_body(TEXT, compress=True)
    spec = type(spec)(spec.source, spec.kind, True, threads=threads)
    encoder = spec.encoder(size)
    encoder.feed(TEXT[: COMPRESSION_PROBE_BYTES + 1])  # past the probe: decided
    assert encoder.threads == used


def test_config_and_documented_defaults() -> None:
    assert TransferConfig().compress_threads is None
    assert TransferConfig(compress_threads=2).compress_threads == 2
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InvalidInput):
            TransferConfig(compress_threads=bad)  # type: ignore[arg-type]
    doc = " ".join((TransferConfig.__doc__ or "").split())
    assert MULTITHREAD_COMPRESSION_MIN_BYTES == 16 << 20 and "known size from 16 MiB" in doc
    assert COMPRESSION_PROBE_BYTES == 256 << 10 and "the first 256 KiB" in doc
    assert MIN_MULTITHREAD_SAVING == 0.1 and "saves under 10%" in doc
