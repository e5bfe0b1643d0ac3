"""scripts/bench: the pure summary and report code, and real workloads of *our* client.

No timing assertions: the benchmark itself checks targets. These tests check that records are
paired by round, ratios and verdicts are computed as documented, and that a worker run against
a LocalObjectstore produces a well-formed record.
"""

from __future__ import annotations

import json
import os
import pstats
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import zstandard

from objectstore_client.testing import LocalObjectstore
from scripts.benchlib import data, rawwire, report, server, spec, stats

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def rec(workload: str, client: str, rnd: int, **metrics: float) -> dict[str, Any]:
    return {
        "workload": workload,
        "client": client,
        "round": rnd,
        "status": "ok",
        "metrics": metrics,
        "cpu_per_unit": {name: 0.001 for name in metrics},
    }


def test_median_and_paired_ratios() -> None:
    assert stats.median([]) is None
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    # round 2 has no upstream value: it is not paired
    assert stats.paired_ratios({0: 2.0, 1: 3.0, 2: 9.0}, {0: 1.0, 1: 3.0}) == [2.0, 1.0]


def test_summarize_pairs_rounds_and_compares_async_with_threads() -> None:
    records = [
        rec("small_seq", spec.OURS, 0, put=200.0),
        rec("small_seq", spec.UPSTREAM, 0, put=100.0),
        rec("small_seq", spec.OURS, 1, put=300.0),
        rec("small_seq", spec.UPSTREAM, 1, put=300.0),
        rec("small_threads16", spec.UPSTREAM, 0, put=50.0),
        rec("small_async16", spec.OURS, 0, put=200.0),
        rec("ceil_http", spec.RAW, 0, put=1000.0),
    ]
    rows, rss = stats.summarize(records)
    by_key = {(r.workload, r.metric): r for r in rows}
    put = by_key["small_seq", "put"]
    assert put.medians == {spec.OURS: 250.0, spec.UPSTREAM: 200.0}
    assert put.ratios == {spec.UPSTREAM: 1.5}  # median of per-round 2.0 and 1.0
    assert put.ceiling == ("ceil_http", "put", 1000.0)
    assert spec.UPSTREAM_OLD not in put.missing  # not run: no cell at all
    assert by_key["small_async16", "put"].ratios == {spec.UPSTREAM: 4.0}
    assert ("up_text", "upload") not in by_key  # not run: no row
    assert rss == []


def test_not_available_api_and_verdicts() -> None:
    records = [
        {**rec("many", spec.OURS, 0), "status": "n/a", "detail": "no batch | API " + "x" * 99},
        rec("many", spec.UPSTREAM, 0, write=20.0, read=20.0, total=20.0),
        rec("up_text", spec.OURS, 0, upload=300.0),
        rec("up_text", spec.UPSTREAM, 0, upload=250.0),
        {**rec("dl_text", spec.OURS, 0, download=1300.0), "cpu_per_unit": {"download": 0.0007}},
        {**rec("dl_text", spec.UPSTREAM, 0, download=800.0)},
        {**rec("dl_rand", spec.OURS, 0, download=1300.0), "cpu_per_unit": {"download": 0.002}},
        {**rec("dl_rand", spec.UPSTREAM, 0, download=800.0)},
        rec("ceil_zstd", spec.RAW, 0, compress_text_1t=200.0, compress_text_mt=300.0),
    ]
    records[2].update(rss_baseline_mib=40.0, rss_peak_mib=60.0)
    records[4].update(rss_baseline_mib=40.0, rss_peak_mib=140.0)
    rows, rss = stats.summarize(records)
    verdicts = {v.name: v for v in stats.evaluate(rows, rss)}
    assert verdicts["many total"].met is None
    measured = verdicts["many total"].measured
    assert measured.startswith("n/a: no batch / API x") and len(measured) == 70  # table-safe
    assert verdicts["up_text upload"].met is False  # 1.2 < 1.5
    assert verdicts["up_text upload"].measured == "1.20"
    assert verdicts["up_text upload"].note == ("needs 375 MB/s; zstd all cores / 1 core = 1.50")
    assert verdicts["dl_text download"].met is True  # 1.62 >= 1.5 and 0.70 < 1.00 ms/MB
    assert verdicts["dl_text download"].measured == "1.62; CPU 0.70 vs 1.00 ms/MB"
    assert verdicts["dl_rand download"].met is False  # fast enough, but more CPU per MB
    assert verdicts["up_text peak RSS"].met is True  # +20 MiB
    assert verdicts["dl_text peak RSS"].met is False  # +100 MiB
    assert verdicts["small_seq put"].met is None  # not run

    text = report.render({"started": "now"}, rows, rss, list(verdicts.values()))
    assert "| many | total | objects/s | n/a (not available) | 20.0 |" in text
    assert "| up_text | upload | MB/s | 300 | 250 |" in text
    assert "**1.20**" in text
    assert "| up_text peak RSS | ours <= baseline + 64 MiB | +20 MiB | met |" in text
    assert "| dl_text peak RSS | ours <= baseline + 64 MiB | +100 MiB | **MISSED** |" in text


def test_inputs_are_deterministic_and_shaped(tmp_path: Path) -> None:
    text = data.log_lines(7, 64 * 1024)
    assert text == data.log_lines(7, 64 * 1024) and len(text) == 64 * 1024
    assert json.loads(text.splitlines()[0])["level"] in {"INFO", "DEBUG", "WARN", "ERROR"}
    ratio = len(text) / len(zstandard.ZstdCompressor(level=3).compress(text))
    assert 3 < ratio < 8  # log-like, not trivially compressible
    assert data.random_bytes(1, 1000) == data.random_bytes(1, 1000) != data.random_bytes(2, 1000)
    files = data.ensure(tmp_path, 100_000, 250_000)
    assert {name: p.stat().st_size for name, p in files.items()} == {
        "text": 100_000,
        "rand": 100_000,
        "huge": 250_000,
    }
    mtime = files["text"].stat().st_mtime_ns
    assert data.ensure(tmp_path, 100_000, None)["text"].stat().st_mtime_ns == mtime  # reused


def test_server_runs_the_sdk_cli(tmp_path: Path) -> None:
    env = dict(os.environ)
    with server.Server(Path(sys.executable), tmp_path, env, "memory") as url:
        host, port = url.removeprefix("http://").split("/")[0].rsplit(":", 1)
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.1 ")


@pytest.fixture(scope="module")
def bench_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """Small input files (256 KiB) as worker arguments, and a working directory."""
    tmp = tmp_path_factory.mktemp("bench")
    files = data.ensure(tmp / "data", 256 * 1024, None)
    args = [f"--file={name}={path}" for name, path in files.items()]
    return args, tmp


def run_worker(url: str, workload: str, extra: list[str], cwd: Path, *more: str) -> Any:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(SCRIPTS)
    kind = "raw" if workload.startswith("ceil_") else "ours"
    cmd = [sys.executable, "-m", "benchlib.worker", "--workload", workload, "--kind", kind]
    cmd += ["--url", url, "--ops", "5", "--round", "3", *extra, *more]
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_worker_records_for_our_client(bench_env: tuple[list[str], Path]) -> None:
    files, tmp = bench_env
    # like the benchmark's server: strict answers (a key deleted twice is a 500, as on the
    # real server) and real-wire sockets; the server's CPU is this process's
    strict = {"strict_filesystem": True, "real_wire": True}
    with LocalObjectstore(storage="memory", **strict) as objectstore:  # type: ignore[arg-type]
        url = objectstore.url
        files = [*files, "--server-pid", str(os.getpid())]
        small = run_worker(url, "small_seq", files, tmp)
        assert small["status"] == "ok", small
        assert small["client"] == "ours" and small["round"] == 3
        assert set(small["metrics"]) == set(spec.SMALL_OPS)
        assert all(v > 0 for v in small["metrics"].values())
        assert set(small["cpu_per_unit"]) == set(spec.SMALL_OPS)
        assert set(small["server_cpu_per_unit"]) == set(spec.SMALL_OPS)
        assert "rss_peak_mib" not in small

        profile = tmp / "small.prof"
        profiled = run_worker(url, "small_seq", files, tmp, "--profile", str(profile))
        assert profiled["status"] == "ok", profiled
        stats_ = pstats.Stats(str(profile))
        assert any(name == "small_seq" for _, _, name in stats_.stats)  # type: ignore[attr-defined]

        assert run_worker(url, "setup", files, tmp)["status"] == "ok"
        for workload, metric in (("up_text", "upload"), ("dl_text", "download")):
            big = run_worker(url, workload, files, tmp)
            assert big["status"] == "ok", big
            assert set(big["metrics"]) == {metric} and big["metrics"][metric] > 0
            assert big["rss_peak_mib"] >= big["rss_baseline_mib"] > 0

        many = run_worker(url, "many", files, tmp)
        assert many["status"] == "ok", many
        assert set(many["metrics"]) == {"write", "read", "total"}

        for name in ("ceil_http", "ceil_wire"):
            ceiling = run_worker(url, name, files, tmp)
            assert ceiling["status"] == "ok", ceiling
            assert set(ceiling["metrics"]) == set(spec.WORKLOADS_BY_NAME[name].metrics)


def test_raw_wire_client_finds_the_end_of_each_response() -> None:
    end = rawwire._response_end
    head = bytearray(b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n")
    assert end(head, "GET") is None
    assert end(head + b"abcHTTP/1.1", "GET") == (200, len(head) + 3)
    assert end(bytearray(b"HTTP/1.1 204 No Content\r\nx: y\r\n\r\n"), "HEAD") == (204, 33)
    chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
    body = b"3\r\nabc\r\n1000\r\n" + b"x" * 4096 + b"\r\n0\r\n\r\n"
    for cut in range(len(body)):
        assert end(bytearray(chunked + body[:cut]), "GET") is None
    assert end(bytearray(chunked + body + b"next"), "GET") == (200, len(chunked + body))


def test_worker_reports_failures_as_records(bench_env: tuple[list[str], Path]) -> None:
    files, tmp = bench_env
    # nothing listens there: the record says error instead of the worker crashing
    failed = run_worker("http://127.0.0.1:9", "small_seq", files, tmp)
    assert failed["status"] == "error" and failed["detail"]


def test_download_to_file_workloads_for_our_client(bench_env: tuple[list[str], Path]) -> None:
    files, tmp = bench_env
    inputs = data.ensure_file_inputs(tmp / "data", 256 * 1024)
    files = [*files, *(f"--file={name}={path}" for name, path in inputs.items())]
    with LocalObjectstore(storage="memory", real_wire=True) as objectstore:
        url = objectstore.url
        assert run_worker(url, "setup_files", files, tmp)["status"] == "ok"
        for workload in spec.FILE_WORKLOADS:
            record = run_worker(url, workload, files, tmp)
            assert record["status"] == "ok", record
            assert set(record["metrics"]) == {"download"} and record["metrics"]["download"] > 0


def test_decode_scaling_decodes_the_whole_object(capsys: pytest.CaptureFixture[str]) -> None:
    from scripts.benchlib import decode_scaling

    stored, size = decode_scaling.stored_text(3 << 20)
    assert size == 3 << 20 and len(stored) < size
    assert decode_scaling.decode_seconds(stored, 2) > 0
    assert decode_scaling.main(["--mib", "2", "--rounds", "1", "--threads", "1", "2"]) == 0
    assert "threads=2:" in capsys.readouterr().out


def test_compress_threads_reports_every_setting(capsys: pytest.CaptureFixture[str]) -> None:
    from scripts.benchlib import compress_threads

    assert compress_threads.main(["--mib", "1", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    for label in ("=1 ", "=2 ", "=auto"):
        assert out.count(f"compress_threads{label}") == 2  # text and random


def test_the_adaptive_corpus_is_what_it_claims() -> None:
    import gzip
    import io
    import zipfile

    from objectstore_client._core.adaptive import decide

    corpus = data.corpus(256 * 1024)
    assert tuple(corpus) == spec.CORPUS_ITEMS == tuple(data.CORPUS)
    assert corpus == data.corpus(256 * 1024)  # deterministic
    for item, payload in corpus.items():
        assert 0.8 < len(payload) / (256 * 1024) < 1.2, item
    assert json.loads(corpus["json"])[0]["name"] == "user-0"
    assert corpus["png"].startswith(b"\x89PNG\r\n\x1a\n") and corpus["png"][12:16] == b"IHDR"
    assert corpus["jpeg"].startswith(b"\xff\xd8\xff") and corpus["jpeg"].endswith(b"\xff\xd9")
    with zipfile.ZipFile(io.BytesIO(corpus["zip"])) as archive:
        assert archive.read("app.log").startswith(b'{"ts":')
    assert gzip.decompress(corpus["gzip"]).startswith(b'{"ts":')
    # what the SDK decides for each (the bench shows it against the server)
    compressed = {item for item, payload in corpus.items() if decide(payload).compress}
    assert compressed == {"text", "json"}


def test_corpus_and_cpu_floor_summaries() -> None:
    info = {
        "text": {"size": 1000, "stored": 200, "encoding": "zstd"},
        "random": {"size": 1000, "stored": 1000, "encoding": None},
    }
    upstream_info = {
        "text": {"size": 1000, "stored": 210, "encoding": "zstd"},
        "random": {"size": 1000, "stored": 1010, "encoding": "zstd"},
    }
    records = [
        {**rec("adaptive", spec.OURS, 0, put_text=50.0, put_random=900.0), "info": info},
        {**rec("adaptive", spec.UPSTREAM, 0, put_text=40.0, put_random=300.0)},
        rec("small_seq", spec.OURS, 0, put=2000.0, get=5000.0),
        rec("small_seq", spec.UPSTREAM, 0, put=1000.0, get=100.0),
        rec("ceil_wire", spec.RAW, 0, put=9000.0, get=9000.0),
    ]
    records[1]["info"] = upstream_info
    records[2]["cpu_per_unit"] = {"put": 200e-6, "get": 150e-6}
    records[3]["cpu_per_unit"] = {"put": 600e-6, "get": 400e-6}
    records[4]["cpu_per_unit"] = {"put": 50e-6, "get": 25e-6}
    corpus = stats.corpus_rows(records)
    assert [r.item for r in corpus] == ["text", "random"]  # corpus order, only what ran
    assert corpus[1].stored == {spec.OURS: 1000, spec.UPSTREAM: 1010}
    assert corpus[1].decision == {spec.OURS: "as is", spec.UPSTREAM: "zstd"}
    rows, rss = stats.summarize(records)
    floor = stats.cpu_floor_rows(rows)
    assert [r.op for r in floor] == ["put", "get"]  # head/delete not measured: no row
    assert floor[1].floor == 25e-6 and floor[1].times_floor(spec.OURS) == pytest.approx(6.0)
    assert floor[0].times_floor(spec.UPSTREAM_OLD) is None
    put_random = {(r.workload, r.metric): r for r in rows}["adaptive", "put_random"]
    assert put_random.ratios == {spec.UPSTREAM: 3.0}
    text = report.render({}, rows, rss, [], floor, corpus)
    assert "| get | 25 µs/op | 150 µs/op (6.0x) | 400 µs/op (16.0x) |" in text
    assert "| random | 1,000 B | 1,000 B (100 %, as is) | 1,010 B (101 %, zstd) |" in text


def test_adaptive_workload_reads_back_each_decision(bench_env: tuple[list[str], Path]) -> None:
    files, tmp = bench_env
    with LocalObjectstore(storage="memory", real_wire=True) as objectstore:
        record = run_worker(objectstore.url, "adaptive", files, tmp)
    assert record["status"] == "ok", record
    assert set(record["metrics"]) == {f"put_{item}" for item in spec.CORPUS_ITEMS}
    decisions = {item: facts["encoding"] for item, facts in record["info"].items()}
    assert decisions == {item: "zstd" if item in ("text", "json") else None for item in decisions}
    text = record["info"]["text"]
    assert text["stored"] < text["size"] / 3


def test_a_cpu_share_target_needs_the_rate_and_the_cpu() -> None:
    fast = {**rec("up_rand", spec.OURS, 0, upload=300.0), "cpu_per_unit": {"upload": 0.0006}}
    records = [fast, {**rec("up_rand", spec.UPSTREAM, 0, upload=250.0)}]
    records[1]["cpu_per_unit"] = {"upload": 0.001}
    rows, rss = stats.summarize(records)
    share = [v for v in stats.evaluate(rows, rss) if "<= 0.5x" in v.goal]
    assert [(v.name, v.measured, v.met) for v in share] == [
        ("up_rand upload", "1.20; CPU 0.60x", False)  # fast enough, but 0.6 > 0.5
    ]
    records[0]["cpu_per_unit"] = {"upload": 0.0005}
    rows, rss = stats.summarize(records)
    share = [v for v in stats.evaluate(rows, rss) if "<= 0.5x" in v.goal]
    assert share[0].met is True and share[0].measured == "1.20; CPU 0.50x"
