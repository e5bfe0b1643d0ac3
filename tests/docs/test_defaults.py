"""Every default a page states is the code's: each statement below is rendered from the
constants and must appear, word for word, on its page. Changing a default without the docs (or
the docs without the code) fails here.

Pages are compared with their whitespace collapsed, so a statement may wrap across lines. A
new default stated in the docs belongs in ``CLAIMS``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import objectstore_client
from objectstore_client import _constants as c
from objectstore_client._models import DEFAULT_RESUMABLE_THRESHOLD_BYTES
from objectstore_client.cli import _parser as cli_parser
from objectstore_client.cli import _progress as cli_progress
from objectstore_client.testing.__main__ import EXIT_CANNOT_START

ROOT = Path(__file__).resolve().parents[2]


def size(n: int) -> str:
    """``64 MiB``, ``256 KiB``: the largest binary unit that divides ``n``."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"


def seconds(value: float | None) -> str:
    """``10 s``, ``0.1 s``."""
    assert value is not None
    return f"{value:g} s"


def millis(value: float) -> str:
    """``100 ms``."""
    return f"{value * 1000:g} ms"


def count(value: float) -> str:
    return f"{value:g}"


def statuses(values: frozenset[int]) -> str:
    """``429, 502, 503 and 504``."""
    ordered = [str(v) for v in sorted(values)]
    return ", ".join(ordered[:-1]) + " and " + ordered[-1]


def days(value: int) -> str:
    assert value % 86400 == 0
    return f"{value // 86400} days"


RETRIES = count(c.DEFAULT_MAX_RETRIES)
DEADLINE = count(c.DEFAULT_RETRY_DEADLINE_S)

#: (page, statement) pairs; every statement is built from the code's values.
CLAIMS: list[tuple[str, str]] = [
    # README
    ("README.md", f"Retries stop after {RETRIES} retries or {DEADLINE} seconds"),
    ("README.md", f"`Retry-After` is honoured up to {seconds(c.MAX_RETRY_AFTER_S)}"),
    ("README.md", f"multipart above {size(c.DEFAULT_MULTIPART_THRESHOLD_BYTES)}"),
    ("README.md", f"429/{'/'.join(str(s) for s in sorted(c.RETRYABLE_STATUSES)[1:])}"),
    # client options
    (
        "docs/guides/client-options.md",
        f"(default {RETRIES}, within {seconds(c.DEFAULT_RETRY_DEADLINE_S)})",
    ),
    (
        "docs/guides/client-options.md",
        f"read timeout (default {seconds(c.DEFAULT_READ_TIMEOUT_S)}); "
        f"the connect timeout stays {millis(c.DEFAULT_CONNECT_TIMEOUT_S)}",
    ),
    (
        "docs/guides/client-options.md",
        f"| connect | {millis(c.DEFAULT_CONNECT_TIMEOUT_S)} (upstream's) |",
    ),
    ("docs/guides/client-options.md", f"| read | {seconds(c.DEFAULT_READ_TIMEOUT_S)};"),
    ("docs/guides/client-options.md", f"| write | {seconds(c.DEFAULT_WRITE_TIMEOUT_S)} |"),
    ("docs/guides/client-options.md", f"| pool | {seconds(c.DEFAULT_POOL_TIMEOUT_S)} |"),
    ("docs/guides/client-options.md", f"(default {RETRIES}; `0` disables)"),
    (
        "docs/guides/client-options.md",
        f"more than {seconds(c.DEFAULT_RETRY_DEADLINE_S)} after the first one",
    ),
    ("docs/guides/client-options.md", f"on {statuses(c.RETRYABLE_STATUSES)}"),
    (
        "docs/guides/client-options.md",
        f"from {seconds(c.INITIAL_RETRY_DELAY_S)} to at most {seconds(c.MAX_RETRY_DELAY_S)}",
    ),
    ("docs/guides/client-options.md", f"honoured up to {seconds(c.MAX_RETRY_AFTER_S)}"),
    (
        "docs/guides/client-options.md",
        f"after about {seconds(c.DEFAULT_RETRY_DEADLINE_S)} by default",
    ),
    (
        "docs/guides/client-options.md",
        f"Default: {c.DEFAULT_MAX_KEEPALIVE_CONNECTIONS} connections kept alive",
    ),
    ("docs/guides/client-options.md", f"is capped at {c.ASYNC_MAX_CONNECTIONS},"),
    ("docs/guides/client-options.md", f"`User-Agent: {c.USER_AGENT_PREFIX}/<version>`"),
    # failure semantics
    ("docs/failure-semantics.md", f"(default {RETRIES}; the `retries=` argument"),
    ("docs/failure-semantics.md", f"`deadline` seconds (default {DEADLINE})"),
    (
        "docs/failure-semantics.md",
        f"starts at {seconds(c.INITIAL_RETRY_DELAY_S)} "
        f"and doubles up to {seconds(c.MAX_RETRY_DELAY_S)}",
    ),
    ("docs/failure-semantics.md", f"`max_retry_after` (default {seconds(c.MAX_RETRY_AFTER_S)})"),
    (
        "docs/failure-semantics.md",
        f"| connect | {seconds(c.DEFAULT_CONNECT_TIMEOUT_S)} (upstream's)",
    ),
    ("docs/failure-semantics.md", f"| read | {seconds(c.DEFAULT_READ_TIMEOUT_S)}, or `timeout_ms`"),
    ("docs/failure-semantics.md", f"| write | {seconds(c.DEFAULT_WRITE_TIMEOUT_S)} |"),
    ("docs/failure-semantics.md", f"| pool | {seconds(c.DEFAULT_POOL_TIMEOUT_S)} |"),
    ("docs/failure-semantics.md", f"keeps {c.DEFAULT_MAX_KEEPALIVE_CONNECTIONS} connections alive"),
    ("docs/failure-semantics.md", f"(capped at {c.ASYNC_MAX_CONNECTIONS}:"),
    # sessions: what happens on the wire
    ("docs/guides/sessions.md", f"read in {size(c.UPLOAD_CHUNK_BYTES)} chunks"),
    ("docs/guides/sessions.md", f"(level {c.ZSTD_LEVEL})"),
    (
        "docs/guides/sessions.md",
        f"of a known size of {size(c.MULTITHREAD_COMPRESSION_MIN_BYTES)} or more",
    ),
    ("docs/guides/sessions.md", f"their first {size(c.COMPRESSION_PROBE_BYTES)}"),
    (
        "docs/guides/sessions.md",
        f"Bytes under {size(c.ONE_SHOT_MAX_BYTES)} are compressed in one go",
    ),
    ("docs/guides/sessions.md", f"in pieces of at most {size(c.DECODE_PIECE_BYTES)}"),
    # large uploads
    (
        "docs/guides/large-uploads.md",
        f"defaults: {size(c.DEFAULT_MULTIPART_THRESHOLD_BYTES)} threshold, "
        f"{size(c.DEFAULT_PART_SIZE_BYTES)} parts, concurrency = CPU cores clamped to 2..4",
    ),
    (
        "docs/guides/large-uploads.md",
        f"({size(2 * c.DEFAULT_PART_SIZE_BYTES).split()[0]}-"
        f"{size(4 * c.DEFAULT_PART_SIZE_BYTES)} with the defaults)",
    ),
    ("docs/guides/large-uploads.md", f"one call per {size(c.PROGRESS_AGGREGATION_BYTES)} at most"),
    ("docs/guides/large-uploads.md", f"`part_size` must be at least {size(c.MIN_PART_SIZE_BYTES)}"),
    ("docs/guides/large-uploads.md", f"below {size(c.RECOMMENDED_MIN_PART_SIZE_BYTES)} a"),
    # batches
    (
        "docs/guides/batch.md",
        f"batches of at most {c.BATCH_MAX_OPERATIONS} and about {size(c.BATCH_MAX_BYTES)}",
    ),
    ("docs/guides/batch.md", f"inserts over {size(c.BATCH_MAX_INSERT_BYTES)} after compression"),
    (
        "docs/guides/batch.md",
        f"BatchConfig(batch_concurrency={c.DEFAULT_BATCH_CONCURRENCY}, "
        f"individual_concurrency={c.DEFAULT_INDIVIDUAL_CONCURRENCY})",
    ),
    ("docs/guides/testing.md", f"prints one line on stderr and exits {EXIT_CANNOT_START},"),
    # pre-signed URLs and auth
    ("docs/guides/presigned-urls.md", f"over {days(c.MAX_PRESIGN_SECONDS)}"),
    (
        "docs/guides/auth.md",
        "until a quarter of its validity "
        f"(at most {seconds(c.TOKEN_REFRESH_MAX_MARGIN_S)}) is left",
    ),
    # the command line
    ("docs/cli.md", f"multipart above {size(c.DEFAULT_MULTIPART_THRESHOLD_BYTES)}"),
    ("docs/cli.md", f"retries of each request (default {cli_parser.DEFAULT_RETRIES};"),
    (
        "docs/cli.md",
        f"retried up to {cli_parser.DEFAULT_RETRIES} times (`--retries N`; the SDK's default of "
        f"{RETRIES} within {DEADLINE} seconds",
    ),
    ("docs/cli.md", f"retry 1 of {cli_parser.DEFAULT_RETRIES} in"),
    ("docs/cli.md", f"exits 0 when stopped, {EXIT_CANNOT_START} when it cannot start"),
    ("docs/cli.md", f"transfers over {size(cli_progress.MIN_BYTES)} draw a progress bar"),
    ("docs/cli.md", f"(default `{cli_parser.DEFAULT_URL}`)"),
    (
        "docs/cli.md",
        f"--expires DURATION` (default {cli_parser.DEFAULT_EXPIRES}, "
        f"at most {days(c.MAX_PRESIGN_SECONDS)})",
    ),
]


#: Docstrings are pages too: the API reference is made of them.
DOCSTRINGS = {
    "Client": objectstore_client.Client,
    "RetryPolicy": objectstore_client.RetryPolicy,
    "TransferConfig": objectstore_client.TransferConfig,
    "BatchConfig": objectstore_client.BatchConfig,
    "Usecase": objectstore_client.Usecase,
}
CLAIMS += [
    ("Client", f"a number (default {RETRIES}, within {seconds(c.DEFAULT_RETRY_DEADLINE_S)};"),
    ("Client", f"(default {seconds(c.DEFAULT_READ_TIMEOUT_S)}; 0 waits forever)"),
    ("Client", f"connect ({millis(c.DEFAULT_CONNECT_TIMEOUT_S)})"),
    ("Client", f"write ({seconds(c.DEFAULT_WRITE_TIMEOUT_S)})"),
    ("Client", f"pool ({seconds(c.DEFAULT_POOL_TIMEOUT_S)})"),
    ("Client", f"keeps {c.DEFAULT_MAX_KEEPALIVE_CONNECTIONS} connections alive"),
    ("Client", f"holds at most {c.ASYNC_MAX_CONNECTIONS}"),
    ("RetryPolicy", f"(default {RETRIES}; 0 disables"),
    ("RetryPolicy", f"started (default {DEADLINE})"),
    ("RetryPolicy", f"before the first retry (default {count(c.INITIAL_RETRY_DELAY_S)})"),
    ("RetryPolicy", f"up to ``max_delay`` (default {count(c.MAX_RETRY_DELAY_S)})"),
    ("RetryPolicy", f"this many seconds (default {count(c.MAX_RETRY_AFTER_S)})"),
    ("RetryPolicy", f"(default {statuses(c.RETRYABLE_STATUSES)})"),
    ("TransferConfig", f"(default {size(c.DEFAULT_MULTIPART_THRESHOLD_BYTES)})"),
    ("TransferConfig", f"(default {size(c.DEFAULT_PART_SIZE_BYTES)}; at least"),
    ("TransferConfig", f"at least {size(c.MIN_PART_SIZE_BYTES)}; below"),
    ("TransferConfig", f"below {size(c.RECOMMENDED_MIN_PART_SIZE_BYTES)} a warning"),
    ("BatchConfig", f"at the same time (default {c.DEFAULT_BATCH_CONCURRENCY})"),
    ("BatchConfig", f"flight at the same time (default {c.DEFAULT_INDIVIDUAL_CONCURRENCY})"),
    ("Usecase", f"(default {size(DEFAULT_RESUMABLE_THRESHOLD_BYTES)})"),
]


def _page(name: str) -> str:
    if name in DOCSTRINGS:
        return re.sub(r"\s+", " ", DOCSTRINGS[name].__doc__ or "")
    return re.sub(r"\s+", " ", (ROOT / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("page", "statement"), CLAIMS, ids=[f"{p}: {s}" for p, s in CLAIMS])
def test_page_states_the_codes_default(page: str, statement: str) -> None:
    assert statement in _page(page), f"{page} should say {statement!r} (from the code)"


def test_words_that_stand_for_values() -> None:
    """Defaults the pages put in words rather than digits."""
    assert c.TOKEN_REFRESH_FRACTION == 0.25  # "a quarter of its validity"
    # "concurrency = CPU cores clamped to 2..4"
    assert max(2, min(4, os.cpu_count() or 1)) == c.DEFAULT_UPLOAD_CONCURRENCY


def test_the_cli_exit_status_table_is_the_codes() -> None:
    from objectstore_client.cli import EXIT_CODES

    rows = re.findall(r"^\| (\d+) \| `(\w+)` \|", (ROOT / "docs/cli.md").read_text(), re.M)
    assert {kind: int(status) for status, kind in rows} == {
        kind: status for kind, status in EXIT_CODES.items() if kind != "ok"
    }


def test_install_commands_name_this_distribution() -> None:
    """``objectstore-client`` is upstream's distribution: its extras do not exist."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    wrong = [p.name for p in pages if 'install "objectstore-client[' in p.read_text()]
    assert wrong == []
