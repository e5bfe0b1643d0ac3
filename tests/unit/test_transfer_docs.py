"""Every default that the downloads guide and the migration notes state in prose is the
code's constant (a changed constant fails here until the prose says so)."""

from __future__ import annotations

from pathlib import Path

from objectstore_client import TransferConfig
from objectstore_client._constants import (
    ADAPTIVE_MIN_SAVING,
    ADAPTIVE_PROBE_BYTES,
    ADAPTIVE_PROBE_MIN_BYTES,
    DEFAULT_DECODE_THREADS,
    DEFAULT_PART_SIZE_BYTES,
    DEFAULT_UPLOAD_CONCURRENCY,
    FRAME_INPUT_BYTES,
    MAX_PARALLEL_FRAME_BYTES,
    PROGRESS_AGGREGATION_BYTES,
)

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs/guides/downloads.md").read_text(encoding="utf-8")
MIGRATION = (ROOT / "docs/migration.md").read_text(encoding="utf-8")
MIB, KIB = 1 << 20, 1 << 10


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_download_defaults_in_the_guide() -> None:
    guide = _flat(GUIDE)
    config = TransferConfig()
    assert config.part_size == DEFAULT_PART_SIZE_BYTES == 16 * MIB
    assert "`part_size` stored bytes (16 MiB by default)" in guide
    assert config.concurrency == DEFAULT_UPLOAD_CONCURRENCY
    assert "(the number of cores, clamped to 2..4)" in guide
    assert 2 <= DEFAULT_UPLOAD_CONCURRENCY <= 4
    assert "64 MiB with the defaults on 4 cores)" in guide
    assert 4 * DEFAULT_PART_SIZE_BYTES == 64 * MIB
    assert config.decode_threads == DEFAULT_DECODE_THREADS
    assert "`TransferConfig.decode_threads` threads (the number of cores, at most 4)" in guide
    assert FRAME_INPUT_BYTES == 8 * MIB and "zstd frames of 8 MiB of input each" in guide
    assert MAX_PARALLEL_FRAME_BYTES == 32 * MIB and "states more than 32 MiB" in guide
    assert PROGRESS_AGGREGATION_BYTES == 256 * KIB and "about every 256 KiB" in guide


def test_download_memory_bound_in_the_guide() -> None:
    from objectstore_client._core.download import MemoryBudget
    from objectstore_client._download_sink import _INLINE_STORED_SHARE

    guide = _flat(GUIDE)
    config = TransferConfig()
    assert config.max_memory == config.concurrency * config.part_size
    assert (
        "**Memory holds at most `concurrency x part_size` bytes** (`TransferConfig.max_memory`"
        in guide
    )
    assert "plus, for a compressed object, the frames being decoded and their output" in guide
    assert "one range and one frame always go ahead" in guide
    budget = MemoryBudget(config.max_memory)
    assert budget.may_start(10 * config.max_memory)  # nothing held: one range goes ahead
    budget.ranges = config.part_size
    assert not budget.may_start(config.max_memory)
    assert MAX_PARALLEL_FRAME_BYTES == 32 * MIB and "a frame is at most 32 MiB" in guide
    assert _INLINE_STORED_SHARE == 0.5 and "stored in more than half their output" in guide


def test_adaptive_compression_in_the_migration_notes() -> None:
    notes = _flat(MIGRATION)
    assert ADAPTIVE_PROBE_MIN_BYTES == 16 * KIB and "at least 16 KiB" in notes
    assert ADAPTIVE_PROBE_BYTES == 64 * KIB and "first 64 KiB" in notes
    assert ADAPTIVE_MIN_SAVING == 0.05 and "by less than 5%" in notes
    assert FRAME_INPUT_BYTES == 8 * MIB and "zstd frames of 8 MiB of input each" in notes
