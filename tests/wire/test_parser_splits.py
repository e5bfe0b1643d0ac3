"""Every scripted case through the default engine's parser, split at every byte boundary
(twice for the small ones), as segments arrive from a socket: always the one right outcome."""

from __future__ import annotations

import pytest

from tests.wire.cases import CASES, Case
from tests.wire.outcome import parse, segments


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_single_split(case: Case) -> None:
    wire = case.wire
    cuts = range(len(wire) + 1) if case.small else _sample(len(wire))
    for cut in cuts:
        assert parse(case, segments(wire, [cut])) == case.expect, f"split at {cut}"


@pytest.mark.parametrize("case", [c for c in CASES if c.small], ids=lambda case: case.name)
def test_byte_by_byte(case: Case) -> None:
    assert parse(case, segments(case.wire, range(len(case.wire)))) == case.expect


@pytest.mark.parametrize("case", [c for c in CASES if c.small], ids=lambda case: case.name)
def test_every_pair_of_splits_around_the_head(case: Case) -> None:
    """Two cuts, at every pair of positions within 12 bytes of the end of a head line."""
    wire = case.wire
    marks = [i for i in range(len(wire)) if wire.startswith(b"\r\n", i)]
    near = sorted({p for m in marks for p in range(m - 6, m + 6) if 0 < p < len(wire)})
    for first in near:
        for second in near:
            if first < second:
                got = parse(case, segments(wire, [first, second]))
                assert got == case.expect, f"splits at {first}, {second}"


def _sample(size: int) -> list[int]:
    """For a large case: the first and last 64 boundaries and 64 spread between."""
    return sorted({*range(64), *range(size - 64, size + 1), *range(0, size, max(1, size // 64))})
