"""Turn worker records into rows: medians, per-round ratios, ceilings and target verdicts (pure)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import spec

Record = Mapping[str, Any]


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def paired_ratios(ours: Mapping[int, float], theirs: Mapping[int, float]) -> list[float]:
    """``ours / theirs`` for every round measured by both (rates: > 1 means ours is faster)."""
    return [ours[r] / theirs[r] for r in sorted(ours) if r in theirs and theirs[r] > 0]


@dataclass(frozen=True)
class Row:
    """One metric of one workload, summarised over the rounds."""

    workload: str
    metric: str
    unit: str
    medians: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    ceiling: tuple[str, str, float] | None = None
    #: the server's CPU seconds per unit while each client ran (local server, or --server-pid)
    server_cpu: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RssRow:
    """Peak RSS above the post-import baseline, per client (MiB): median and max over rounds."""

    workload: str
    baseline: dict[str, float]
    median_delta: dict[str, float]
    max_delta: dict[str, float]


@dataclass(frozen=True)
class Verdict:
    """A target and whether this run met it (None: could not be measured)."""

    name: str
    goal: str
    measured: str
    met: bool | None
    note: str = ""


class Index:
    """Records indexed by (workload, client): value per round for each metric."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.values: dict[tuple[str, str, str], dict[int, float]] = {}
        self.cpu: dict[tuple[str, str, str], list[float]] = {}
        self.server_cpu: dict[tuple[str, str, str], list[float]] = {}
        self.problems: dict[tuple[str, str], str] = {}
        self.rss: dict[tuple[str, str], list[tuple[float, float]]] = {}
        self.workloads: set[str] = set()
        self.seen: set[tuple[str, str]] = set()
        for rec in records:
            where = (rec["workload"], rec["client"])
            self.workloads.add(rec["workload"])
            self.seen.add(where)
            if rec.get("status") != "ok":
                self.problems[where] = f"{rec.get('status')}: {rec.get('detail', '')}".strip()
                continue
            for metric, value in rec.get("metrics", {}).items():
                self.values.setdefault((*where, metric), {})[int(rec["round"])] = float(value)
            for metric, value in rec.get("cpu_per_unit", {}).items():
                self.cpu.setdefault((*where, metric), []).append(float(value))
            for metric, value in rec.get("server_cpu_per_unit", {}).items():
                self.server_cpu.setdefault((*where, metric), []).append(float(value))
            if "rss_peak_mib" in rec:
                pair = (float(rec["rss_baseline_mib"]), float(rec["rss_peak_mib"]))
                self.rss.setdefault(where, []).append(pair)


def summarize(records: Iterable[Record]) -> tuple[list[Row], list[RssRow]]:
    """Rows for every workload/metric that was run (catalogue order), and the RSS rows."""
    index = Index(records)
    rows: list[Row] = []
    for workload in spec.WORKLOADS:
        if workload.name not in index.workloads:
            continue
        for metric in workload.metrics:
            rows.append(_row(index, workload, metric))
    rss_rows = [_rss_row(index, w) for w in spec.WORKLOADS if w.rss]
    return rows, [r for r in rss_rows if r.baseline]


def _row(index: Index, workload: spec.Workload, metric: str) -> Row:
    row = Row(workload.name, metric, workload.unit)
    for label in workload.clients:
        if (workload.name, label) not in index.seen:
            continue  # not run (e.g. --quick, --no-old)
        values = index.values.get((workload.name, label, metric), {})
        value = median(list(values.values()))
        if value is None:
            row.missing[label] = index.problems.get((workload.name, label), "n/a")
            continue
        row.medians[label] = value
        cpu = median(index.cpu.get((workload.name, label, metric), []))
        if cpu is not None:
            row.cpu[label] = cpu
        server = median(index.server_cpu.get((workload.name, label, metric), []))
        if server is not None:
            row.server_cpu[label] = server
    ours = index.values.get((workload.name, spec.OURS, metric), {})
    other = workload.compare_to or workload.name
    for label in spec.CLIENTS:
        if label in (spec.OURS, spec.RAW):
            continue
        theirs = index.values.get((other, label, metric), {})
        ratio = median(paired_ratios(ours, theirs))
        if ratio is not None:
            row.ratios[label] = ratio
    bound = spec.CEILINGS.get((workload.name, metric))
    if bound is not None:
        ceiling = median(list(index.values.get((bound[0], spec.RAW, bound[1]), {}).values()))
        if ceiling is not None:
            return _with_ceiling(row, (*bound, ceiling))
    return row


def _with_ceiling(row: Row, ceiling: tuple[str, str, float]) -> Row:
    return replace(row, ceiling=ceiling)


def _rss_row(index: Index, workload: spec.Workload) -> RssRow:
    row = RssRow(workload.name, {}, {}, {})
    for label in workload.clients:
        pairs = index.rss.get((workload.name, label), [])
        if not pairs:
            continue
        deltas = [peak - base for base, peak in pairs]
        row.baseline[label] = statistics.median(base for base, _ in pairs)
        row.median_delta[label] = statistics.median(deltas)
        row.max_delta[label] = max(deltas)
    return row


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.replace("|", "/").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ceiling_value(by_key: Mapping[tuple[str, str], Row], workload: str, metric: str) -> float:
    row = by_key.get((workload, metric))
    return row.medians.get(spec.RAW, 0.0) if row is not None else 0.0


def _limit_note(by_key: Mapping[tuple[str, str], Row], row: Row, target: spec.Target) -> str:
    """What the target needs against what this machine can do (same run)."""
    upstream = row.medians.get(spec.BASELINE)
    if upstream is None:
        return ""
    need = f"needs {target.min_ratio * upstream:,.0f} {row.unit}"
    if row.workload in ("small_seq", "small_threads16"):
        raw = _ceiling_value(by_key, "ceil_http", row.metric)
        if raw:
            return f"{need}; raw urllib3, 1 connection: {raw:,.0f}"
    if row.workload == "up_text":
        one = _ceiling_value(by_key, "ceil_zstd", "compress_text_1t")
        every = _ceiling_value(by_key, "ceil_zstd", "compress_text_mt")
        if one and every:
            return f"{need}; zstd all cores / 1 core = {every / one:.2f}"
    if row.ceiling is not None:
        return f"{need}; {row.ceiling[1]} ceiling {row.ceiling[2]:,.0f}"
    return need


def evaluate(rows: Sequence[Row], rss_rows: Sequence[RssRow]) -> list[Verdict]:
    """Check every target of :mod:`spec` against this run's rows."""
    by_key = {(r.workload, r.metric): r for r in rows}
    verdicts: list[Verdict] = []
    for target in spec.TARGETS:
        name = f"{target.workload} {target.metric}"
        goal = f"ours/{spec.BASELINE} >= {target.min_ratio:.1f}"
        row = by_key.get((target.workload, target.metric))
        ratio = row.ratios.get(spec.BASELINE) if row is not None else None
        if row is None or ratio is None:
            reason = row.missing.get(spec.OURS, "n/a") if row is not None else "n/a"
            verdicts.append(Verdict(name, goal, _short(reason), None))
        else:
            met = ratio >= target.min_ratio
            note = _limit_note(by_key, row, target)
            measured = f"{ratio:.2f}"
            if target.cpu_below:
                goal += ", client CPU/unit below it"
                ours, theirs = row.cpu.get(spec.OURS), row.cpu.get(spec.BASELINE)
                cpu_met = ours is not None and theirs is not None and ours < theirs
                met = met and cpu_met
                if ours is not None and theirs is not None:
                    measured += f"; CPU {ours * 1e3:.2f} vs {theirs * 1e3:.2f} ms/MB"
            if target.cpu_share is not None:
                goal += f", client CPU/unit <= {target.cpu_share:.1f}x its"
                ours, theirs = row.cpu.get(spec.OURS), row.cpu.get(spec.BASELINE)
                share = ours / theirs if ours is not None and theirs else None
                met = met and share is not None and share <= target.cpu_share
                if share is not None:
                    measured += f"; CPU {share:.2f}x"
            verdicts.append(Verdict(name, goal, measured, met, note))
    rss_by_workload = {r.workload: r for r in rss_rows}
    for workload in spec.RSS_TARGETS:
        name = f"{workload} peak RSS"
        goal = f"ours <= baseline + {spec.RSS_LIMIT_MIB:.0f} MiB"
        rss = rss_by_workload.get(workload)
        delta = rss.max_delta.get(spec.OURS) if rss is not None else None
        if delta is None:
            verdicts.append(Verdict(name, goal, "n/a", None))
        else:
            verdicts.append(Verdict(name, goal, f"+{delta:.0f} MiB", delta <= spec.RSS_LIMIT_MIB))
    return verdicts


@dataclass(frozen=True)
class CorpusRow:
    """One adaptive-corpus item: its size, and per client the stored size (median over
    rounds) and how it was stored (``zstd`` or ``as is``)."""

    item: str
    size: int
    stored: dict[str, int] = field(default_factory=dict)
    decision: dict[str, str] = field(default_factory=dict)


def corpus_rows(records: Iterable[Record]) -> list[CorpusRow]:
    """The adaptive workload's stored sizes and decisions, in corpus order."""
    sizes: dict[str, int] = {}
    stored: dict[tuple[str, str], list[int]] = {}
    decision: dict[tuple[str, str], str] = {}
    for rec in records:
        if rec.get("workload") != "adaptive" or rec.get("status") != "ok":
            continue
        for item, facts in rec.get("info", {}).items():
            sizes[item] = int(facts["size"])
            stored.setdefault((item, rec["client"]), []).append(int(facts["stored"]))
            decision[item, rec["client"]] = facts.get("encoding") or "as is"
    rows = []
    for item in spec.CORPUS_ITEMS:
        if item not in sizes:
            continue
        row = CorpusRow(item, sizes[item])
        for (name, label), values in stored.items():
            if name == item:
                row.stored[label] = int(statistics.median(values))
                row.decision[label] = decision[name, label]
        rows.append(row)
    return rows


@dataclass(frozen=True)
class CpuFloorRow:
    """Client CPU per 1 KiB operation: each client's (``small_seq``) against the raw-socket
    client's of the same run (``ceil_wire``: no parsing library, the floor)."""

    op: str
    cpu: dict[str, float]
    floor: float

    def times_floor(self, label: str) -> float | None:
        """How many times the floor ``label`` spends (None if not measured)."""
        value = self.cpu.get(label)
        return None if value is None or self.floor <= 0 else value / self.floor


def cpu_floor_rows(rows: Sequence[Row]) -> list[CpuFloorRow]:
    """One row per small operation measured both by ``small_seq`` and ``ceil_wire``."""
    by_key = {(r.workload, r.metric): r for r in rows}
    out = []
    for op in spec.SMALL_OPS:
        seq, wire = by_key.get(("small_seq", op)), by_key.get(("ceil_wire", op))
        floor = wire.cpu.get(spec.RAW) if wire is not None else None
        if seq is None or floor is None:
            continue
        out.append(CpuFloorRow(op, dict(seq.cpu), floor))
    return out
