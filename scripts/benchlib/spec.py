"""The benchmark catalogue: clients, workloads, their metrics, ceilings and targets (pure data)."""

from __future__ import annotations

from dataclasses import dataclass

OURS = "ours"
UPSTREAM = "up-0.2.10"
UPSTREAM_POOL = "up-0.2.10-pool16"
UPSTREAM_OLD = "up-0.1.6"
RAW = "raw"

#: The upstream every ratio target is checked against.
BASELINE = UPSTREAM
#: Upstream versions installed into their own virtualenvs: label -> pip requirement.
UPSTREAM_VERSIONS = {UPSTREAM: "0.2.10", UPSTREAM_OLD: "0.1.6"}

#: Peak RSS above the post-import baseline allowed for a 100 MiB transfer.
RSS_LIMIT_MIB = 64.0
MIB = 1024 * 1024


@dataclass(frozen=True)
class ClientSpec:
    """One measured client: which venv runs it, and how it is configured."""

    label: str
    kind: str  # "ours" | "upstream" | "raw"
    pool_size: int | None = None  # upstream only: connection_kwargs={"maxsize": N}


CLIENTS = {
    OURS: ClientSpec(OURS, "ours"),
    UPSTREAM: ClientSpec(UPSTREAM, "upstream"),
    UPSTREAM_POOL: ClientSpec(UPSTREAM_POOL, "upstream", pool_size=16),
    UPSTREAM_OLD: ClientSpec(UPSTREAM_OLD, "upstream"),
    RAW: ClientSpec(RAW, "raw"),
}


def venv_label(label: str) -> str:
    """The venv a client label runs in (the pool variant shares upstream's)."""
    return UPSTREAM if label == UPSTREAM_POOL else label


@dataclass(frozen=True)
class Workload:
    """One workload; every metric is a rate (higher is better) in ``unit``."""

    name: str
    title: str
    unit: str
    metrics: tuple[str, ...]
    clients: tuple[str, ...]
    #: Upstream has no equivalent: compare against this workload of the upstream clients.
    compare_to: str | None = None
    #: Reports the client's peak RSS above its baseline (large transfers).
    rss: bool = False
    #: Skipped by ``--quick``.
    full_only: bool = False


SMALL_OPS = ("put", "get", "head", "delete")
_ALL = (OURS, UPSTREAM, UPSTREAM_OLD)

WORKLOADS = (
    Workload("small_seq", "1 KiB, sequential, one connection", "ops/s", SMALL_OPS, _ALL),
    Workload(
        "small_threads16",
        "1 KiB, 16 threads, one client",
        "ops/s",
        SMALL_OPS,
        (OURS, UPSTREAM, UPSTREAM_POOL, UPSTREAM_OLD),
    ),
    Workload(
        "small_async16",
        "1 KiB, AsyncClient with 16 tasks (vs upstream's 16 threads)",
        "ops/s",
        SMALL_OPS,
        (OURS,),
        compare_to="small_threads16",
    ),
    Workload("up_text", "100 MiB upload, log-like text", "MB/s", ("upload",), _ALL, rss=True),
    Workload("up_rand", "100 MiB upload, random bytes", "MB/s", ("upload",), _ALL, rss=True),
    Workload("dl_text", "100 MiB download, log-like text", "MB/s", ("download",), _ALL, rss=True),
    Workload("dl_rand", "100 MiB download, random bytes", "MB/s", ("download",), _ALL, rss=True),
    # Session.download: ours' ranged parallel download() vs upstream's get + write, to a file
    # in tmpfs (/dev/shm); 512 MiB objects (100 MiB with --quick), stored by our put
    *(
        Workload(
            name,
            f"download to a file: {title} (ours: download(); upstream: get + write)",
            "MB/s",
            ("download",),
            (OURS, UPSTREAM),
            rss=True,
        )
        for name, title in (
            ("file_text", "log-like text, zstd frames of 8 MiB"),
            ("file_text1", "log-like text, one zstd frame"),
            ("file_rand", "random bytes, stored as is (adaptive compression)"),
            ("file_randz", "random bytes, forced zstd frames of 8 MiB"),
        )
    ),
    Workload(
        "many",
        "1,000 x 1 KiB written + read (ours: batch API; upstream: loop)",
        "objects/s",
        ("write", "read", "total"),
        (OURS, UPSTREAM),
    ),
    Workload(
        "part512",
        "512 MiB text upload (ours: part-parallel upload(); upstream: put)",
        "MB/s",
        ("upload",),
        (OURS, UPSTREAM),
        rss=True,
        full_only=True,
    ),
    Workload(
        "ceil_zstd",
        "Ceiling: zstd -3 on the 100 MiB data alone (no I/O)",
        "MB/s",
        (
            "compress_text_1t",
            "compress_text_mt",
            "compress_rand_1t",
            "compress_rand_mt",
            "decompress_text",
            "decompress_rand",
        ),
        (RAW,),
    ),
    Workload(
        "ceil_http",
        "Ceiling: raw urllib3 against the same server (no compression)",
        "ops/s | MB/s",
        ("put", "get", "head", "delete", "upload_100m", "download_100m"),
        (RAW,),
    ),
    Workload(
        "ceil_wire",
        "Ceiling: the server's, raw sockets (4 connections, one thread, no parsing library)",
        "ops/s",
        SMALL_OPS,
        (RAW,),
    ),
)

WORKLOADS_BY_NAME = {w.name: w for w in WORKLOADS}

#: (workload, metric) -> (ceiling workload, ceiling metric): what bounds the figure.
CEILINGS = {
    **{("small_seq", op): ("ceil_http", op) for op in SMALL_OPS},
    ("up_text", "upload"): ("ceil_zstd", "compress_text_mt"),
    ("up_rand", "upload"): ("ceil_http", "upload_100m"),
    ("dl_text", "download"): ("ceil_zstd", "decompress_text"),
    ("dl_rand", "download"): ("ceil_http", "download_100m"),
    ("part512", "upload"): ("ceil_zstd", "compress_text_mt"),
    ("file_text", "download"): ("ceil_zstd", "decompress_text"),
    ("file_text1", "download"): ("ceil_zstd", "decompress_text"),
    ("file_rand", "download"): ("ceil_http", "download_100m"),
    ("file_randz", "download"): ("ceil_http", "download_100m"),
}

#: The download-to-file workloads and the object each reads (stored by ``setup``).
FILE_WORKLOADS = {
    "file_text": "text",
    "file_text1": "text1",
    "file_rand": "rand",
    "file_randz": "randz",
}


@dataclass(frozen=True)
class Target:
    """A goal from the issue: ``ours / BASELINE >= min_ratio`` for one metric; with
    ``cpu_below``, our client CPU per unit must also be below the baseline's."""

    workload: str
    metric: str
    min_ratio: float
    cpu_below: bool = False


#: Issue 11's targets (ours / upstream 0.2.10, same run, local server in real-wire mode).
TARGETS = (
    *(Target("small_seq", op, 1.5) for op in ("put", "head", "delete")),
    Target("small_seq", "get", 10.0),
    *(Target("small_threads16", op, 2.0) for op in SMALL_OPS),
    *(Target("small_async16", op, 2.0) for op in SMALL_OPS),
    Target("dl_text", "download", 1.5, cpu_below=True),
    Target("dl_rand", "download", 1.2, cpu_below=True),
    Target("up_text", "upload", 1.5),
    Target("up_rand", "upload", 1.2),
    Target("many", "total", 5.0),
)

#: Issue 20's: a download to a file (512 MiB full, 100 MiB quick).
TARGETS_FILE = (
    Target("file_text", "download", 2.0),
    Target("file_rand", "download", 1.5),
)
TARGETS = (*TARGETS, *TARGETS_FILE)

#: Workloads whose peak RSS (ours) must stay within RSS_LIMIT_MIB of the baseline.
RSS_TARGETS = ("up_text", "up_rand", "dl_text", "dl_rand")
