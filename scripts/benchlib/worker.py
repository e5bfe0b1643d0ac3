"""One measurement in one process: ``python -m benchlib.worker --workload W ...``.

Prints one JSON line: the rates, the client's CPU per unit, the RSS baseline (after imports,
client set-up and one warm request) and the peak RSS during the timed transfer. Runs under any
venv (ours or upstream): it imports only the standard library and ``objectstore_client``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Sequence
from typing import Any

from . import ceilings, clients, probe
from .workloads import WORKLOADS, Ctx, Result

ALL = {
    **WORKLOADS,
    "ceil_zstd": ceilings.zstd,
    "ceil_http": ceilings.http,
    "ceil_wire": ceilings.wire,
}


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchlib.worker")
    parser.add_argument("--workload", required=True, choices=sorted(ALL))
    parser.add_argument("--client", default="ours", help="label recorded in the output")
    parser.add_argument("--kind", default="ours", choices=["ours", "upstream", "raw"])
    parser.add_argument("--round", type=int, default=0)
    parser.add_argument("--url", required=True)
    parser.add_argument("--usecase", default="bench")
    parser.add_argument("--scope", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--token")
    parser.add_argument("--key-id")
    parser.add_argument("--key-file")
    parser.add_argument("--ops", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--pool-size", type=int)
    parser.add_argument("--file", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--prefix", default="bench")
    parser.add_argument("--profile", help="write cProfile stats of the workload to this file")
    parser.add_argument("--server-pid", type=int, help="also measure this process's CPU")
    return parser.parse_args(argv)


def _call(args: argparse.Namespace, ctx: Ctx) -> Result:
    """The workload, under cProfile when ``--profile`` is given (main thread only)."""
    if not args.profile:
        return ALL[args.workload](ctx)
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(ALL[args.workload], ctx)
    finally:
        profiler.dump_stats(args.profile)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the workload; never raises (failures are reported in the record)."""
    probe.SERVER_PID = args.server_pid
    scopes = dict(s.split("=", 1) for s in args.scope) or {"org": "1", "project": "1"}
    target = clients.Target(args.url, args.usecase, scopes, args.token, args.key_id, args.key_file)
    ctx = Ctx(
        target,
        kind=args.kind,
        ops=args.ops,
        threads=args.threads,
        pool_size=args.pool_size,
        files=dict(f.split("=", 1) for f in args.file),
        prefix=f"{args.prefix}/{args.workload}/{args.client}/{args.round}/{time.time_ns()}",
    )
    record: dict[str, Any] = {
        "workload": args.workload,
        "client": args.client,
        "round": args.round,
        "python": sys.version.split()[0],
    }
    try:
        record["version"] = clients.version()
        result = _call(args, ctx)
    except clients.NotAvailable as exc:
        return {**record, "status": "n/a", "detail": str(exc)}
    except Exception as exc:
        traceback.print_exc()
        return {**record, "status": "error", "detail": f"{type(exc).__name__}: {exc}"[:500]}
    record.update(status="ok", metrics=result.metrics, cpu_per_unit=result.cpu_per_unit)
    if result.server_cpu_per_unit:
        record["server_cpu_per_unit"] = result.server_cpu_per_unit
    if result.info:
        record["info"] = result.info
    if ctx.baseline_mib is not None:
        record.update(rss_baseline_mib=ctx.baseline_mib, rss_peak_mib=probe.peak_rss_mib())
    return record


def main(argv: Sequence[str] | None = None) -> int:
    print(json.dumps(run(parse(argv))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
