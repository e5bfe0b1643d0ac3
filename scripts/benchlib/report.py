"""Render the summary as a markdown document (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import spec
from .stats import CorpusRow, CpuFloorRow, Row, RssRow, Verdict

_COMPARED = (spec.OURS, spec.UPSTREAM, spec.UPSTREAM_POOL, spec.UPSTREAM_OLD)


def fmt(value: float | None) -> str:
    """A rate or ratio with sensible precision."""
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _cell(row: Row, label: str) -> str:
    if label in row.medians:
        return fmt(row.medians[label])
    if label in row.missing:
        return "n/a" if row.missing[label] == "n/a" else "n/a (not available)"
    return ""


def _cpu(row: Row, label: str, server: bool = False) -> str:
    value = (row.server_cpu if server else row.cpu).get(label)
    if value is None:
        return ""
    if row.unit == "MB/s" or row.metric.endswith("_100m"):
        return f"{value * 1000:.2f} ms/MB"
    return f"{value * 1e6:.0f} µs/op"


def _ceiling(row: Row) -> str:
    if row.ceiling is None:
        return ""
    _, metric, value = row.ceiling
    ours = row.medians.get(spec.OURS)
    share = f" ({100 * ours / value:.0f} %)" if ours is not None and value > 0 else ""
    return f"{metric} {fmt(value)}{share}"


def results_table(rows: Sequence[Row]) -> list[str]:
    """The main table: medians per client, ratios ours/upstream, ceilings, client CPU."""
    header = [
        "workload",
        "metric",
        "unit",
        *_COMPARED,
        f"ours/{spec.UPSTREAM}",
        f"ours/{spec.UPSTREAM_OLD}",
        "ceiling (ours % of it)",
        "CPU ours",
        f"CPU {spec.UPSTREAM}",
        "server CPU (ours run)",
        f"server CPU ({spec.UPSTREAM} run)",
    ]
    lines = [_line(header), _line(["---"] * len(header))]
    for row in rows:
        if row.workload.startswith("ceil_"):
            continue
        ratio = row.ratios.get(spec.UPSTREAM)
        old = row.ratios.get(spec.UPSTREAM_OLD)
        lines.append(
            _line(
                [
                    row.workload,
                    row.metric,
                    row.unit,
                    *(_cell(row, label) for label in _COMPARED),
                    f"**{fmt(ratio)}**" if ratio is not None else "n/a",
                    fmt(old) if old is not None else "",
                    _ceiling(row),
                    _cpu(row, spec.OURS),
                    _cpu(row, spec.UPSTREAM),
                    _cpu(row, spec.OURS, server=True),
                    _cpu(row, spec.UPSTREAM, server=True),
                ]
            )
        )
    return lines


def ceilings_table(rows: Sequence[Row]) -> list[str]:
    """The ceilings measured in the same run."""
    lines = [_line(["ceiling", "metric", "value", "server CPU"]), _line(["---"] * 4)]
    for row in rows:
        if row.workload.startswith("ceil_"):
            unit = "ops/s" if row.metric in spec.SMALL_OPS else "MB/s"
            value = row.medians.get(spec.RAW)
            server = "" if row.workload == "ceil_zstd" else _cpu(row, spec.RAW, server=True)
            lines.append(_line([row.workload, row.metric, f"{fmt(value)} {unit}", server]))
    return lines


def rss_table(rss_rows: Sequence[RssRow]) -> list[str]:
    """Peak RSS above the post-import baseline (median / max over rounds)."""
    header = ["workload", *(f"{label} (baseline, +peak med/max)" for label in _COMPARED)]
    lines = [_line(header), _line(["---"] * len(header))]
    for row in rss_rows:
        cells = []
        for label in _COMPARED:
            if label not in row.baseline:
                cells.append("")
                continue
            cells.append(
                f"{row.baseline[label]:.0f} MiB, +{row.median_delta[label]:.0f}"
                f"/+{row.max_delta[label]:.0f} MiB"
            )
        lines.append(_line([row.workload, *cells]))
    return lines


def cpu_floor_table(floor_rows: Sequence[CpuFloorRow]) -> list[str]:
    """Client CPU per 1 KiB op against the raw-socket client of the same run."""
    labels = [label for label in _COMPARED if any(label in r.cpu for r in floor_rows)]
    header = ["op", "raw sockets (floor)", *(f"{label} (x floor)" for label in labels)]
    lines = [_line(header), _line(["---"] * len(header))]
    for row in floor_rows:
        cells = []
        for label in labels:
            times = row.times_floor(label)
            cells.append(
                "" if times is None else f"{row.cpu[label] * 1e6:.0f} µs/op ({times:.1f}x)"
            )
        lines.append(_line([row.op, f"{row.floor * 1e6:.0f} µs/op", *cells]))
    return lines


def corpus_table(corpus: Sequence[CorpusRow]) -> list[str]:
    """The adaptive corpus: stored size (% of the input) and the decision, per client."""
    labels = [label for label in _COMPARED if any(label in r.stored for r in corpus)]
    header = ["item", "size", *(f"{label} stored" for label in labels)]
    lines = [_line(header), _line(["---"] * len(header))]
    for row in corpus:
        cells = []
        for label in labels:
            if label not in row.stored:
                cells.append("")
                continue
            share = 100 * row.stored[label] / row.size if row.size else 0.0
            cells.append(f"{row.stored[label]:,} B ({share:.0f} %, {row.decision[label]})")
        lines.append(_line([row.item, f"{row.size:,} B", *cells]))
    return lines


def verdict_table(verdicts: Sequence[Verdict]) -> list[str]:
    """Targets of the issue, met or missed in this run."""
    lines = [_line(["target", "goal", "measured", "result", "limit (same run)"])]
    lines.append(_line(["---"] * 5))
    for v in verdicts:
        result = "n/a" if v.met is None else ("met" if v.met else "**MISSED**")
        lines.append(_line([v.name, v.goal, v.measured, result, v.note]))
    return lines


def render(
    meta: Mapping[str, Any],
    rows: Sequence[Row],
    rss_rows: Sequence[RssRow],
    verdicts: Sequence[Verdict],
    floor_rows: Sequence[CpuFloorRow] = (),
    corpus: Sequence[CorpusRow] = (),
) -> str:
    """The whole markdown report."""
    extra: list[str] = []
    if floor_rows:
        extra += ["## Client CPU per 1 KiB op against raw sockets (same run)", ""]
        extra += [*cpu_floor_table(floor_rows), ""]
    if corpus:
        extra += ["## Adaptive compression corpus (stored size, decision)", ""]
        extra += [*corpus_table(corpus), ""]
    out = [
        f"# Benchmark {meta.get('started', '')}",
        "",
        *(f"- {key}: {value}" for key, value in meta.items()),
        "",
        "Medians over rounds; ratios are medians of per-round ratios (rates: > 1 = ours faster).",
        "",
        "## Results",
        "",
        *results_table(rows),
        "",
        "## Ceilings (same run)",
        "",
        *ceilings_table(rows),
        "",
        *extra,
        "## Client peak RSS",
        "",
        *rss_table(rss_rows),
        "",
        "## Targets",
        "",
        *verdict_table(verdicts),
        "",
    ]
    return "\n".join(out)


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
