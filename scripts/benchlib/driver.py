"""The benchmark driver: venvs, inputs, server, interleaved rounds, summary, report files."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import data, report, spec, stats, venvs
from .server import Server

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"

#: Operations per worker run: (full, quick).
OPS = {
    "small_seq": (1000, 300),
    "small_threads16": (2000, 480),
    "small_async16": (2000, 480),
    "many": (1000, 1000),
    "ceil_http": (1000, 300),
    "ceil_wire": (4000, 1000),
}
BIG = 100 * spec.MIB
HUGE = 512 * spec.MIB


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Benchmark this SDK against the upstream objectstore-client (same machine, "
        "same run, same server; interleaved runs; ratios ours/upstream).",
    )
    parser.add_argument("--url", help="an Objectstore URL (default: start the local server)")
    parser.add_argument("--token", help="static token for --url")
    parser.add_argument("--key-id", help="signing key id for --url (with --key-file)")
    parser.add_argument("--key-file", help="Ed25519 private key (PEM) for --url")
    parser.add_argument("--usecase", default="bench")
    parser.add_argument(
        "--scope", action="append", default=[], metavar="KEY=VALUE", help="default org=1 project=1"
    )
    parser.add_argument("--rounds", type=int, help="rounds per workload (default 5, quick 2)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"fewer ops, no 512 MiB, only {spec.UPSTREAM} as upstream (~2 min)",
    )
    parser.add_argument(
        "--workload", action="append", choices=sorted(spec.WORKLOADS_BY_NAME), help="only these"
    )
    parser.add_argument("--no-old", action="store_true", help=f"skip {spec.UPSTREAM_OLD}")
    parser.add_argument("--storage", default="memory", choices=["memory", "filesystem"])
    parser.add_argument(
        "--fast-server",
        action="store_true",
        help="run the local server in its fast test mode (TCP_NODELAY, one segment per "
        "response) instead of answering like the real server (real-wire: kept-alive GETs "
        "stall on delayed ACKs, as they do against the real server)",
    )
    parser.add_argument(
        "--http-stack",
        default="httptools",
        choices=["httptools", "h11"],
        help="the local server's HTTP stack (h11: the slower one of earlier versions)",
    )
    parser.add_argument(
        "--server-pid",
        type=int,
        help="with --url: the server's process id on this machine, to report its CPU per op",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run our client's workloads under cProfile (stats next to the results; "
        "timings of such a run are inflated: use it to find hot spots, not for ratios)",
    )
    return parser.parse_args(argv)


def _machine() -> str:
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} CPUs, {mem:.0f} GiB, {platform.platform()}"


class Runner:
    """Runs worker processes, one per measurement, and collects their records."""

    def __init__(self, args: argparse.Namespace, pythons: dict[str, Path], workdir: Path) -> None:
        self.args, self.pythons, self.workdir = args, pythons, workdir
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        self.env["PYTHONPATH"] = str(SCRIPTS)
        self.env.pop("VIRTUAL_ENV", None)
        self.url = ""
        self.files: dict[str, Path] = {}
        self.records: list[dict[str, Any]] = []
        self.profile_dir: Path | None = None
        self.server_pid: int | None = None

    def common(self) -> list[str]:
        a = self.args
        out = ["--url", self.url, "--usecase", a.usecase]
        for name, value in (
            ("--token", a.token),
            ("--key-id", a.key_id),
            ("--key-file", a.key_file),
        ):
            if value:
                out += [name, value]
        for scope in a.scope:
            out += ["--scope", scope]
        for name, path in self.files.items():
            out += ["--file", f"{name}={path}"]
        return out

    def run(self, workload: str, label: str, rnd: int) -> dict[str, Any]:
        """One worker run; a failed run is retried once (the first failure is kept as a note)."""
        record = self._run(workload, label, rnd)
        if record.get("status") == "error":
            first = record.get("detail", "")
            record = self._run(workload, label, rnd)
            record["retried_after"] = first
        self.records.append(record)
        _progress(record)
        return record

    def _run(self, workload: str, label: str, rnd: int) -> dict[str, Any]:
        client = spec.CLIENTS[label]
        ops = OPS.get(workload, (1000, 1000))[1 if self.args.quick else 0]
        cmd = [
            str(self.pythons[spec.venv_label(label)]),
            "-m",
            "benchlib.worker",
            "--workload",
            workload,
            "--client",
            label,
            "--kind",
            client.kind,
            "--round",
            str(rnd),
            "--ops",
            str(ops),
            *self.common(),
        ]
        if client.pool_size is not None:
            cmd += ["--pool-size", str(client.pool_size)]
        if self.server_pid is not None:
            cmd += ["--server-pid", str(self.server_pid)]
        if self.profile_dir is not None and label == spec.OURS:
            self.profile_dir.mkdir(parents=True, exist_ok=True)
            cmd += ["--profile", str(self.profile_dir / f"{workload}-r{rnd}.prof")]
        proc = subprocess.run(
            cmd, cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=900
        )
        lines = proc.stdout.strip().splitlines()
        try:
            record: dict[str, Any] = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            record = {"workload": workload, "client": label, "round": rnd, "status": "error"}
            record["detail"] = (proc.stderr.strip().splitlines() or ["no output"])[-1][:300]
        if record.get("status") == "error" and proc.stderr:
            print(proc.stderr[-2000:], file=sys.stderr)
        return record


def _progress(rec: dict[str, Any]) -> None:
    head = f"  r{rec.get('round')} {rec.get('workload'):<16} {rec.get('client'):<17}"
    if rec.get("status") != "ok":
        print(f"{head} {rec.get('status')}: {rec.get('detail', '')}", flush=True)
        return
    values = " ".join(f"{k}={report.fmt(v)}" for k, v in rec.get("metrics", {}).items())
    rss = ""
    if "rss_peak_mib" in rec:
        rss = f"  rss +{rec['rss_peak_mib'] - rec['rss_baseline_mib']:.0f} MiB"
    print(f"{head} {values}{rss}", flush=True)


def plan(args: argparse.Namespace) -> list[spec.Workload]:
    chosen = [
        w
        for w in spec.WORKLOADS
        if (args.workload is None or w.name in args.workload)
        and not (args.quick and w.full_only and args.workload is None)
    ]
    return chosen


def labels_for(workload: spec.Workload, args: argparse.Namespace, rnd: int) -> list[str]:
    """The workload's clients, rotated every round so no client always runs first."""
    skip = {spec.UPSTREAM_OLD} if args.no_old else set()
    if args.quick:  # only the baseline comparison
        skip |= {spec.UPSTREAM_OLD, spec.UPSTREAM_POOL}
    labels = [c for c in workload.clients if c not in skip]
    k = rnd % len(labels)
    return labels[k:] + labels[:k]


def _sdk_commit() -> str:
    """The checked-out commit of this repository (``+dirty`` with uncommitted SDK changes)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "objectstore_client"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}+dirty" if dirty else head or "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--server-ceiling"]:
        from . import stacks

        return stacks.main(argv[1:])
    args = parse(argv)
    rounds = args.rounds or (2 if args.quick else 5)
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    bench_dir = ROOT / ".bench"
    workloads = plan(args)
    pythons = {spec.OURS: Path(sys.executable), spec.RAW: Path(sys.executable)}
    for label, version in spec.UPSTREAM_VERSIONS.items():
        if label == spec.UPSTREAM or not (args.no_old or args.quick):
            pythons[label] = venvs.ensure_upstream(bench_dir, version)
    huge = HUGE if any(w.name == "part512" for w in workloads) else None
    print("preparing inputs in .bench/data (generated once)", flush=True)
    files = data.ensure(bench_dir / "data", BIG, huge)
    if any(w.name in spec.FILE_WORKLOADS for w in workloads):
        files.update(data.ensure_file_inputs(bench_dir / "data", BIG if args.quick else HUGE))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        runner = Runner(args, pythons, Path(tmp))
        runner.files = {name: path for name, path in files.items()}
        if args.profile:
            runner.profile_dir = args.out / (started.replace(":", "") + "-profiles")
        if args.url:
            runner.url = args.url
            runner.server_pid = args.server_pid
            t0 = time.perf_counter()
            _rounds(runner, workloads, rounds)
        else:
            local = Server(
                Path(sys.executable),
                Path(tmp),
                runner.env,
                args.storage,
                fast=args.fast_server,
                http_stack=args.http_stack,
            )
            with local as url:
                runner.url = url
                runner.server_pid = local.pid
                t0 = time.perf_counter()
                _rounds(runner, workloads, rounds)
    elapsed = time.perf_counter() - t0
    rows, rss_rows = stats.summarize(runner.records)
    verdicts = stats.evaluate(rows, rss_rows)
    versions = {
        r["client"]: r["version"] for r in runner.records if "version" in r and r["client"] != "raw"
    }
    meta = {
        "started": started,
        "command": "scripts/bench " + " ".join(argv),
        "machine": _machine(),
        "python": platform.python_version(),
        "server": args.url or _local_description(args),
        "clients": ", ".join(f"{k} = {v}" for k, v in sorted(versions.items())),
        "sdk commit": _sdk_commit(),
        "rounds": rounds,
        "duration": f"{elapsed:.0f} s",
    }
    floor_rows = stats.cpu_floor_rows(rows)
    corpus = stats.corpus_rows(runner.records)
    text = report.render(meta, rows, rss_rows, verdicts, floor_rows, corpus)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / started.replace(":", "")
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    payload = {
        "meta": meta,
        "rows": [asdict(r) for r in rows],
        "rss": [asdict(r) for r in rss_rows],
        "verdicts": [asdict(v) for v in verdicts],
        "cpu_floor": [asdict(r) for r in floor_rows],
        "corpus": [asdict(r) for r in corpus],
        "records": runner.records,
    }
    stem.with_suffix(".json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    print("\n" + text)
    print(f"wrote {stem}.md and {stem}.json")
    if runner.profile_dir is not None:
        print(f"profiles in {runner.profile_dir} (python -m pstats FILE)")
    errors = [r for r in runner.records if r.get("status") == "error"]
    if errors:
        return 2
    return 1 if args.check and any(v.met is False for v in verdicts) else 0


def _local_description(args: argparse.Namespace) -> str:
    mode = "fast test mode" if args.fast_server else "like the real server (real-wire, strict)"
    return f"local, {mode}, {args.http_stack}, {args.storage} storage, separate process"


def _rounds(runner: Runner, workloads: list[spec.Workload], rounds: int) -> None:
    if any(w.name.startswith("dl_") for w in workloads):
        runner.run("setup", spec.OURS, 0)
    if any(w.name in spec.FILE_WORKLOADS for w in workloads):
        runner.run("setup_files", spec.OURS, 0)
    for rnd in range(rounds):
        print(f"round {rnd + 1}/{rounds}", flush=True)
        for workload in workloads:
            for label in labels_for(workload, runner.args, rnd):
                runner.run(workload.name, label, rnd)
