"""The differential test: ``scenario.py`` (put/get/head/delete with every option, multipart,
pre-signed URLs, tokens, errors) run by upstream 0.2.10 and by this SDK against one local
server must record the same results, error categories, deprecation warnings and metrics
(names, tags, units), step by step.

And objects this SDK writes (single puts, compressed or not, and automatic multipart uploads
of several zstd frames) read back correctly with upstream 0.1.6 and 0.2.10.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from objectstore_client import Client, TransferConfig, Usecase
from objectstore_client.testing import LocalObjectstore
from tests.compat.upstream_venv import upstream_python
from tests.unit.keys import key_pair

SCENARIO = Path(__file__).with_name("scenario.py")
KID = "compat"
PRIVATE, PUBLIC = key_pair()

_STRICT_DURATIONS = (
    "upstream 0.2.10 parses x-sn-expiration strictly and raises ValueError on the server's "
    "humantime form (ttl:1day 1h); this SDK reads every form the server emits"
)
_COMPRESS_NAME = (
    "initiate_multipart_upload takes compress= like put and upload; upstream's compression= "
    "still works, with a DeprecationWarning"
)
#: Steps whose records differ on purpose, and why (docs/migration.md lists these for users).
DELIBERATE: dict[str, str] = {
    "multipart": _COMPRESS_NAME,
    "multipart_zstd": _COMPRESS_NAME,
    "get_all_options": _STRICT_DURATIONS,
    "head_all_options": _STRICT_DURATIONS,
    "get_multipart_mislabelled": (
        "bytes labelled zstd that do not decode: upstream leaks zstandard.ZstdError, this SDK "
        "raises DecodeError (a ValueError and an ObjectstoreError)"
    ),
}
ALLOWED = DELIBERATE


@pytest.fixture(scope="module")
def server() -> Iterator[LocalObjectstore]:
    with LocalObjectstore(storage="memory", auth_keys={KID: PUBLIC}) as running:
        yield running


def _refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_script(python: Path | str, mode: str, config: dict[str, Any], tmp: Path) -> Any:
    path = tmp / f"{uuid.uuid4().hex}.json"
    path.write_text(json.dumps(config))
    done = subprocess.run(
        [str(python), str(SCENARIO), mode, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        # the upstream venv must import its own package, never this checkout
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        cwd=tmp,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _config(server: LocalObjectstore, **extra: Any) -> dict[str, Any]:
    org = f"o{uuid.uuid4().hex[:10]}"
    return {
        "url": server.url,
        "refused_url": _refused_url(),
        "kid": KID,
        "pem": PRIVATE,
        "org": org,
        "placeholders": {server.url: "<url>", org: "<org>"},
        **extra,
    }


def test_scenario_matches_upstream_0_2_10(server: LocalObjectstore, tmp_path: Path) -> None:
    theirs = run_script(upstream_python("0.2.10"), "run", _config(server), tmp_path)
    ours = run_script(sys.executable, "run", _config(server), tmp_path)
    assert theirs["version"] == "0.2.10" and ours["version"] != "0.2.10"
    differ = {
        step: {"upstream": record, "ours": ours["records"].get(step)}
        for step, record in theirs["records"].items()
        if ours["records"].get(step) != record and step not in ALLOWED
    }
    report = json.dumps(differ, indent=1, sort_keys=True)
    if differ:
        (tmp_path / "differences.json").write_text(report)
    assert differ == {}, report
    same_anyway = sorted(s for s in ALLOWED if ours["records"][s] == theirs["records"][s])
    assert same_anyway == [], f"allowed differences that no longer differ: {same_anyway}"
    assert set(ours["records"]) == set(theirs["records"])


@pytest.mark.filterwarnings("ignore:part_size .* is below 5 MiB:UserWarning")
def test_objects_written_here_read_back_with_upstream(
    objectstore_server: LocalObjectstore, tmp_path: Path
) -> None:
    config = _config(objectstore_server)  # the shared server: auth off, as 0.1.6 readers need
    text = b"objectstore compat " * 50_000  # ~1 MB, compressible
    noise = os.urandom(300_000)
    expected = {"zstd": text, "none": noise, "multipart": text * 3, "multipart-raw": noise * 2}
    parts = TransferConfig(multipart_threshold=256 * 1024, part_size=256 * 1024)
    with Client(objectstore_server.url) as client:
        session = client.session(Usecase("attachments"), org=config["org"])
        session.put(text, "zstd", metadata={"note": "héllo 100%"}, origin="a%41", filename="ü")
        session.put(noise, "none", compress="none")
        session.upload(text * 3, "multipart", config=parts)  # one zstd frame per part
        session.upload(noise * 2, "multipart-raw", config=parts, compress="none")
    config["keys"] = sorted(expected)
    for version in ("0.1.6", "0.2.10"):
        read = run_script(upstream_python(version), "read", config, tmp_path)
        assert read["version"] == version
        for key, data in expected.items():
            record = read["records"][key]
            assert "error" not in record, (version, key, record)
            assert record.get("payload") == _blob(data), (version, key, record)
            assert record["metadata"]["compression"] is None  # decompressed on read
        # metadata values are percent-encoded on the wire like upstream 0.2.1+ does
        written = read["records"]["zstd"]["metadata"]
        if version == "0.2.10":
            assert (written["custom"], written["origin"], written["filename"]) == (
                {"note": "héllo 100%"}, "a%41", "ü",
            )  # fmt: skip
        else:  # 0.1.6 decodes nothing
            assert written["custom"] == {"note": "h%C3%A9llo 100%25"}


def _blob(data: bytes) -> dict[str, Any]:
    return {"len": len(data), "sha256": hashlib.sha256(data).hexdigest()[:16]}
