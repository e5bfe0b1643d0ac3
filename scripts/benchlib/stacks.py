"""The local server's own ceiling, per HTTP stack, in one run (``scripts/bench --server-ceiling``).

Starts the local server once per configuration (each in its own process, fast test mode, memory
storage), measures 1 KiB put/get/head/delete with the raw-socket client (``ceil_wire``) and
with urllib3 on one connection (``ceil_http``, the ceiling of the sequential workloads), and
reports the rate and the server's CPU per operation. Configurations are interleaved over the
rounds; medians are printed. ``--baseline-src DIR`` adds the server of another source tree
(e.g. ``git archive <commit> | tar -x -C DIR``) as the "before" of a before/after comparison,
run as it was installed then: without uvloop.
``--wrk`` adds the C load generator ``wrk`` (if installed: ``apt-get install wrk``), the
fastest client of all, for 1 KiB GET and PUT.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from . import probe, report
from .server import Server

SCRIPTS = Path(__file__).resolve().parents[1]


def _configs(args: argparse.Namespace) -> dict[str, tuple[Path | None, list[str]]]:
    """label -> (source tree to run the server from, or None for this one; its arguments)."""
    configs: dict[str, tuple[Path | None, list[str]]] = {}
    if args.baseline_src:
        src = Path(args.baseline_src).resolve()
        configs[f"baseline ({src.name})"] = (src, [])
    configs["h11 + asyncio"] = (None, ["--http-stack", "h11"])
    configs["httptools + uvloop"] = (None, ["--http-stack", "httptools"])
    return configs


def _measure(python: str, url: str, pid: int, workload: str, ops: int) -> dict[str, object]:
    cmd = [python, "-m", "benchlib.worker", "--workload", workload, "--client", "raw"]
    cmd += ["--kind", "raw", "--url", url, "--ops", str(ops), "--server-pid", str(pid)]
    env = {"PYTHONPATH": str(SCRIPTS), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=True)
    record: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    if record.get("status") != "ok":
        raise RuntimeError(f"{workload}: {record}")
    return record


_PUT_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/v1/objects/bench/_/wrk" .. (counter % 1000), {},
                    string.rep("x", 1024))
end
"""


def _wrk(url: str, pid: int, method: str, seconds: int) -> tuple[float, float]:
    """Requests per second and server CPU seconds per request, 4 connections, 1 thread."""
    key = f"{url}/v1/objects/bench/_/wrk-get"
    urllib.request.urlopen(urllib.request.Request(key, data=b"x" * 1024, method="PUT")).read()
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_PUT_SCRIPT)
        script.flush()
        cmd = ["wrk", "-t1", "-c4", f"-d{seconds}s"]
        cmd += ["-s", script.name, url] if method == "PUT" else [key]
        before = probe.process_cpu_s(pid)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30)
        out = done.stdout + done.stderr
        after = probe.process_cpu_s(pid)
    match = re.search(r"Requests/sec:\s*([0-9.]+)", out)
    total = re.search(r"([0-9]+) requests in", out)
    if match is None or total is None or before is None or after is None:
        raise RuntimeError(f"wrk: {out}")
    if re.search(r"Non-2xx", out):
        raise RuntimeError(f"wrk saw errors: {out}")
    return float(match.group(1)), (after - before) / int(total.group(1))


def _no_uvloop() -> Path:
    """A directory whose ``uvloop`` fails to import (uvicorn's "auto" loop is then asyncio)."""
    shim = Path(tempfile.gettempdir()) / "benchlib-no-uvloop"
    (shim / "uvloop").mkdir(parents=True, exist_ok=True)
    (shim / "uvloop" / "__init__.py").write_text("raise ImportError('uvloop hidden')\n")
    return shim


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench --server-ceiling")
    parser.add_argument("--baseline-src", help="also run the server of this source tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ops", type=int, default=4000, help="per operation kind (ceil_wire)")
    parser.add_argument("--wrk", action="store_true", help="also measure with wrk (GET, PUT)")
    args = parser.parse_args(argv)
    if args.wrk and shutil.which("wrk") is None:
        parser.error("--wrk: wrk is not installed")
    python = sys.executable
    configs = _configs(args)
    results: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for rnd in range(args.rounds):
        for label, (src, server_args) in configs.items():
            # `python -m` imports from the working directory first: the baseline's tree, or
            # the installed (this) SDK from a neutral directory
            cwd = src if src is not None else SCRIPTS
            env = {"PATH": "/usr/bin:/bin"}
            if src is not None:  # as installed then: the testing extra had no uvloop
                env["PYTHONPATH"] = str(_no_uvloop())
            server = Server(Path(python), cwd, env, "memory", mode_args=server_args)
            with server as url:
                assert server.pid is not None
                if args.wrk:
                    for op in ("get", "put"):
                        rate, cpu = _wrk(url, server.pid, op.upper(), 5)
                        results.setdefault(("wrk", op, label), []).append((rate, cpu))
                for workload, ops in (("ceil_wire", args.ops), ("ceil_http", args.ops // 4)):
                    record = _measure(python, url, server.pid, workload, ops)
                    metrics = record["metrics"]
                    server_cpu = record.get("server_cpu_per_unit", {})
                    assert isinstance(metrics, dict) and isinstance(server_cpu, dict)
                    for op in ("put", "get", "head", "delete"):
                        cpu = float(server_cpu.get(op, float("nan")))
                        results.setdefault((workload, op, label), []).append((metrics[op], cpu))
            print(f"round {rnd + 1}/{args.rounds}: {label} done", file=sys.stderr, flush=True)
    labels = list(configs)
    print("| client | op | " + " | ".join(labels) + " |")
    print("|---|---|" + "---|" * len(labels))
    for workload in ("wrk", "ceil_wire", "ceil_http"):
        for op in ("put", "get", "head", "delete"):
            if (workload, op, labels[0]) not in results:
                continue
            cells = []
            for label in labels:
                values = results[(workload, op, label)]
                rate = statistics.median(v[0] for v in values)
                cpu = statistics.median(v[1] for v in values)
                cells.append(f"{report.fmt(rate)} ops/s, server {cpu * 1e6:.0f} µs/op")
            print(f"| {workload} | {op} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
