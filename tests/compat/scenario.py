"""One scripted scenario written against upstream 0.2.10's API, run unchanged by whichever
``objectstore_client`` the running python has (upstream's in its own venv, or this SDK).

It imports only the standard library, ``zstandard`` and ``objectstore_client``, and prints JSON:
one record per step, its result or its error (normalised so that the two packages compare:
error categories, not classes; statuses; the documented text an error must contain).

    python scenario.py run CONFIG.json     # the scenario; CONFIG from the differential test
    python scenario.py read CONFIG.json    # read objects another client wrote (0.1.6 API too)
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import io
import json
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import zstandard

import objectstore_client as oc

Step = Callable[[], Any]
ERROR_NAMES = ("MultipartCompleteError", "ObjectNotFound", "ExpiryExtensionRejected")


def error_record(exc: BaseException, expect: str | None) -> dict[str, Any]:
    """An error as a category both packages share."""
    names = [cls.__name__ for cls in type(exc).__mro__]
    record: dict[str, Any]
    if type(exc).__module__.startswith("urllib3") or "TransportError" in names:
        record = {"error": "transport"}  # (urllib3 has a RequestError of its own)
    elif "RequestError" in names:
        kind = next((name for name in ERROR_NAMES if name in names), "RequestError")
        record = {"error": kind, "status": getattr(exc, "status", None)}
    else:
        kind = next(
            (n for n in ("NotImplementedError", "TypeError", "ValueError") if n in names), names[0]
        )
        record = {"error": kind}
    if expect is not None:
        record["text_matches"] = expect in str(exc)
    if record["error"] not in ("RequestError", "transport", *ERROR_NAMES, "ValueError"):
        record["detail"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return record


def blob(data: bytes) -> dict[str, Any]:
    return {"len": len(data), "sha256": hashlib.sha256(data).hexdigest()[:16]}


def policy(value: Any) -> Any:
    if value is None:
        return None
    return [type(value).__name__, value.delta.total_seconds()]


def meta(metadata: Any) -> Any:
    if metadata is None:
        return None
    return {
        "content_type": metadata.content_type,
        "compression": metadata.compression,
        "expiration": policy(metadata.expiration_policy),
        "origin": metadata.origin,
        "filename": getattr(metadata, "filename", "<absent>"),
        "custom": dict(metadata.custom),
        "size": getattr(metadata, "size", "<absent>"),
        "time_created": metadata.time_created is not None,
        "time_expires": metadata.time_expires is not None,
    }


def read_get(response: Any, raw: bytes | None = None) -> Any:
    """A GetResponse as its metadata and payload. A zstd payload is compared decoded (each
    client compresses its own way), and with ``raw`` also byte for byte."""
    if response is None:
        return None
    data = response.payload.read()
    out: dict[str, Any] = {"metadata": meta(response.metadata)}
    if response.metadata.compression == "zstd":
        decoder = zstandard.ZstdDecompressor()
        reader = decoder.stream_reader(io.BytesIO(data), read_across_frames=True)
        out["payload_decoded"] = blob(reader.read())
        if raw is not None:
            out["payload_is_verbatim"] = data == raw
    else:
        out["payload"] = blob(data)
    return out


def fetch(url: str, method: str = "GET") -> list[Any]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return [response.status, blob(response.read())]
    except urllib.error.HTTPError as exc:
        return [exc.code, None]


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    left = data.pop("exp") - time.time()
    data["exp_in"] = (
        "about 60 s" if 55 <= left <= 61 else ("about 10 s" if 5 <= left <= 11 else left)
    )
    return data


class Recorder:
    """A metrics backend recording what each step emitted: names, tags, units (not values)."""

    def __init__(self) -> None:
        self.seen: list[list[Any]] = []

    def increment(self, name: str, value: float = 1, tags: Any = None) -> None:
        self.seen.append(["increment", name, sorted((tags or {}).items()), None])

    def gauge(self, name: str, value: float, tags: Any = None) -> None:
        self.seen.append(["gauge", name, sorted((tags or {}).items()), None])

    def distribution(self, name: str, value: float, tags: Any = None, unit: Any = None) -> None:
        self.seen.append(["distribution", name, sorted((tags or {}).items()), unit])

    def take(self) -> list[list[Any]]:
        seen, self.seen = self.seen, []
        return sorted(seen, key=repr)


class Runner:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.records: dict[str, Any] = {}
        self.metrics = Recorder()

    def step(self, name: str, fn: Step, expect: str | None = None) -> Any:
        """Run one step; record its (normalised) result or error and DeprecationWarnings."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                value = fn()
                record: dict[str, Any] = {"result": value}
            except Exception as exc:
                value = None
                record = error_record(exc, expect)
        deprecations = [str(w.message) for w in caught if w.category is DeprecationWarning]
        if deprecations:
            record["deprecations"] = deprecations
        metrics = self.metrics.take()
        if metrics:
            record["metrics"] = metrics
        self.records[name] = self.normalise(record)
        return value

    def normalise(self, value: Any) -> Any:
        text = json.dumps(value, sort_keys=True, default=repr)
        for real, placeholder in self.config["placeholders"].items():
            text = text.replace(real, placeholder)
        return json.loads(text)


def scenario(config: dict[str, Any]) -> dict[str, Any]:
    from objectstore_client.multipart import CompletePart  # 0.2.x modules
    from objectstore_client.scope import Scope

    run = Runner(config)
    org = config["org"]
    usecase = oc.Usecase("attachments")
    key = oc.SecretKey(config["kid"], config["pem"])
    client = oc.Client(config["url"], token=key, metrics_backend=run.metrics)
    s: Any = client.session(usecase, org=org, project=7)
    text = b"hello objectstore " * 1000
    packed = zstandard.ZstdCompressor().compress(text)

    # put / get / head / delete with every option
    run.step("put_default", lambda: s.put(text, "plain"))
    run.step("get_default", lambda: read_get(s.get("plain")))
    run.step("get_no_decompress", lambda: read_get(s.get("plain", decompress=False)))
    run.step("get_accept_zstd", lambda: read_get(s.get("plain", accept_encoding=["zstd"])))
    run.step("get_accept_any", lambda: read_get(s.get("plain", accept_encoding=["*"])))
    run.step("head_default", lambda: meta(s.head("plain")))
    run.step("put_no_key", lambda: bool(s.put(b"generated")))
    run.step("put_empty_key", lambda: bool(s.put(b"generated", key="")))
    run.step(
        "put_all_options",
        lambda: s.put(
            b"all options",
            "opts/a b%.txt",
            compress="none",
            content_type="text/plain",
            metadata={"color": "blue", "n": "1"},
            expiration_policy=oc.TimeToLive(timedelta(days=1, hours=1)),
            origin="10.0.0.1",
            filename="a b.txt",
        ),
    )
    run.step("get_all_options", lambda: read_get(s.get("opts/a b%.txt")))
    run.step("head_all_options", lambda: meta(s.head("opts/a b%.txt")))
    tti = oc.TimeToIdle(timedelta(hours=2))
    run.step("put_tti", lambda: s.put(b"idle", "tti", expiration_policy=tti))
    run.step("head_tti", lambda: meta(s.head("tti")))
    run.step("put_precompressed", lambda: s.put(packed, "pre", precompressed="zstd"))
    run.step("get_precompressed", lambda: read_get(s.get("pre")))
    run.step("get_precompressed_raw", lambda: read_get(s.get("pre", decompress=False), packed))
    run.step("put_deprecated_compression", lambda: s.put(text, "dep", compression="none"))
    run.step("get_deprecated_compression", lambda: read_get(s.get("dep")))
    run.step("put_stream", lambda: s.put(io.BytesIO(text), "stream"))
    run.step("get_stream", lambda: read_get(s.get("stream")))

    def put_file() -> str:
        with tempfile.TemporaryFile() as handle:
            handle.write(text)
            handle.seek(0)
            return str(s.put(handle, "file", compress="none"))

    run.step("put_file", put_file)
    run.step("get_file", lambda: read_get(s.get("file")))
    run.step(
        "put_unicode_metadata",
        lambda: s.put(b"u", "uni", metadata={"k": "héllo %41"}, origin="100%", filename="ü.txt"),
    )
    run.step("head_unicode_metadata", lambda: meta(s.head("uni")))
    odd = "dir/with space/100%lit?#x"
    run.step("put_odd_key", lambda: s.put(b"odd", odd))
    run.step("get_odd_key", lambda: read_get(s.get(odd)))
    run.step("object_url_odd_key", lambda: s.object_url(odd))
    run.step("get_missing", lambda: read_get(s.get("missing")))
    run.step("head_missing", lambda: meta(s.head("missing")))
    run.step("delete", lambda: s.delete("plain"))
    run.step("get_deleted", lambda: read_get(s.get("plain")))
    run.step("delete_missing", lambda: s.delete("missing"))
    empty: Any = client.session(usecase)
    run.step("put_empty_scope", lambda: empty.put(b"e", "e"))
    run.step("object_url_empty_scope", lambda: empty.object_url("e"))

    # argument errors (no request)
    for name, kwargs, expect in [
        ("bad_compress", {"compress": "gzip"}, "Invalid compression: gzip"),
        ("bad_precompressed", {"precompressed": "none"}, "Invalid compression: none"),
        ("compress_and_compression", {"compress": "zstd", "compression": "zstd"},
         "Cannot pass both `compress` and `compression`"),
        ("compress_and_precompressed", {"compress": "none", "precompressed": "zstd"},
         "Cannot pass both `compress` and `precompressed`"),
    ]:  # fmt: skip
        run.step(name, functools.partial(s.put, b"x", "x", **kwargs), expect)
    scope_cases: list[tuple[str, Any, str]] = [
        ("scope_none", None, "Scope value cannot be empty"),
        ("scope_empty", "", "Scope value cannot be empty"),
        ("scope_bad_value", "a/b", "Invalid scope value"),
    ]
    for name, value, expect in scope_cases:
        run.step(name, functools.partial(client.session, usecase, org=value), expect)
    run.step("scope_bad_key", lambda: client.session(usecase, **{"o.rg": "1"}), "Invalid scope key")
    run.step("scope_zero_false", lambda: str(Scope(a=0, b=False)))
    run.step("scope_dict", lambda: Scope(org=42, p="x").dict())

    # multipart
    part1, part2 = b"a" * 70_000, b"b" * 30_000

    def multipart() -> dict[str, Any]:
        upload = s.initiate_multipart_upload(
            key="mp", compression="none", content_type="application/x-test"
        )
        first = upload.put_part(
            part1,
            part_number=1,
            content_length=len(part1),
            content_md5=hashlib.md5(part1).digest(),
        )
        second = upload.put_part(io.BytesIO(part2), part_number=2, content_length=len(part2))
        listed = s.resume_multipart_upload(upload.key, upload.upload_id).list_parts()
        etags = {first.part_number: first.etag, second.part_number: second.etag}
        return {
            "key": upload.key,
            "parts": [[p.part_number, p.size, p.etag == etags[p.part_number]] for p in listed],
            "completed": upload.complete([second, first]),
        }

    run.step("multipart", multipart)
    run.step("get_multipart", lambda: read_get(s.get("mp")))

    def multipart_zstd() -> str:
        upload = s.initiate_multipart_upload(key="mpz", compression="zstd")
        parts = []
        for number, chunk in enumerate((text, text[::-1]), start=1):
            frame = zstandard.ZstdCompressor().compress(chunk)
            parts.append(upload.put_part(frame, part_number=number, content_length=len(frame)))
        return str(upload.complete(parts))

    run.step("multipart_zstd", multipart_zstd)
    run.step("get_multipart_zstd", lambda: read_get(s.get("mpz")))

    def mislabelled() -> str:  # the usecase's zstd is recorded, the part is not compressed
        upload = s.initiate_multipart_upload(key="mislabelled")
        part = upload.put_part(b"plain text", part_number=1, content_length=10)
        return str(upload.complete([part]))

    run.step("multipart_mislabelled", mislabelled)
    run.step("get_multipart_mislabelled", lambda: read_get(s.get("mislabelled")))
    pending = s.initiate_multipart_upload(key="mpbad")
    run.step(
        "put_part_wrong_length",
        lambda: pending.put_part(b"abc", part_number=1, content_length=5),
        "content_length must match",
    )
    run.step(
        "put_part_bad_md5",
        lambda: pending.put_part(b"abc", part_number=1, content_length=3, content_md5=b"x"),
        "content_md5 must be exactly 16 bytes",
    )
    pending.put_part(b"abc", part_number=1, content_length=3)
    bogus = CompletePart(part_number=1, etag='"not-the-etag"')
    run.step("complete_bad_etag", lambda: pending.complete([bogus]))
    run.step("abort", lambda: pending.abort())
    run.step("list_parts_aborted", lambda: len(pending.list_parts()))

    # pre-signed URLs and tokens
    run.step("put_signed", lambda: s.put(text, "signed", compress="none"))
    url = s.presigned_object_url("GET", "signed")
    run.step("presigned_get", lambda: fetch(url))
    run.step("presigned_get_as_head", lambda: fetch(url, "HEAD")[0])
    head_url = s.presigned_object_url("HEAD", "signed", duration=timedelta(minutes=5))
    run.step("presigned_head", lambda: fetch(head_url, "HEAD")[0])
    run.step("presigned_tampered", lambda: fetch(url.replace("os_duration=", "os_duration=1")))
    run.step("presigned_delete", lambda: fetch(url, "DELETE")[0])
    run.step(
        "presign_bad_method",
        lambda: s.presigned_object_url("PUT", "k"),
        "unsupported pre-signed method",
    )
    run.step(
        "presign_too_long",
        lambda: s.presigned_object_url("GET", "k", duration=timedelta(days=8)),
        "exceeds the maximum",
    )
    run.step("object_url", lambda: s.object_url("signed"))
    token_url = s.object_url("signed", token_validity=timedelta(seconds=60))
    run.step("object_url_token", lambda: fetch(token_url))
    run.step("mint_token", lambda: claims(s.mint_token()))
    read = [oc.Permission.OBJECT_READ]
    run.step("mint_token_narrow", lambda: claims(s.mint_token(read, expiry_seconds=10)))
    run.step(
        "token_for_scope",
        lambda: claims(key.token_for_scope("attachments", Scope(org=org), read)),
    )
    static: Any = oc.Client(config["url"], token=s.mint_token()).session(
        usecase, org=org, project=7
    )
    run.step("static_token_get", lambda: read_get(static.get("signed")))
    run.step("static_token_mint", lambda: static.mint_token(), "no secret key configured")
    run.step("static_token_presign", lambda: static.presigned_object_url("GET", "k"))
    anonymous: Any = oc.Client(config["url"]).session(usecase, org=org)
    run.step("no_token_put", lambda: anonymous.put(b"x", "x"))
    reader_key = oc.SecretKey(config["kid"], config["pem"], permissions=read)
    reader: Any = oc.Client(config["url"], token=reader_key).session(usecase, org=org, project=7)
    run.step("read_only_put", lambda: reader.put(b"x", "x"))
    run.step("read_only_get", lambda: read_get(reader.get("signed")))
    run.step(
        "read_only_escalate",
        lambda: reader.mint_token([oc.Permission.OBJECT_WRITE]),
        "requested permissions not granted",
    )

    # upstream's connection_kwargs: urllib3 objects and spellings
    def tuned_client() -> Any:
        import urllib3

        tuned = oc.Client(
            config["url"],
            token=key,
            retries=0,
            timeout_ms=5000,
            connection_kwargs={
                "timeout": urllib3.Timeout(connect=5.0, read=30.0),
                "retries": urllib3.Retry(connect=2, read=0),
                "maxsize": 4,
                "headers": {"X-Test": "1"},
            },
        )
        session: Any = tuned.session(usecase, org=org)
        session.put(b"tuned", "tuned")
        return read_get(session.get("tuned"))

    run.step("connection_kwargs_urllib3", tuned_client)

    # transport errors
    refused = oc.Client(config["refused_url"], token=key).session(usecase, org=org)
    run.step("connection_refused_get", lambda: refused.get("k"))
    run.step("connection_refused_put", lambda: refused.put(b"x", "k"))
    return run.records


def read_objects(config: dict[str, Any]) -> dict[str, Any]:
    """Read the given keys (API common to 0.1.6 and 0.2.x): metadata and payload digest."""
    client = oc.Client(config["url"])
    session: Any = client.session(oc.Usecase("attachments"), org=config["org"])
    out: dict[str, Any] = {}
    for key in config["keys"]:
        try:
            out[key] = read_get(session.get(key))
        except Exception as exc:
            out[key] = error_record(exc, None)
    return out


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    with open(path) as handle:
        config = json.load(handle)
    result = scenario(config) if mode == "run" else read_objects(config)
    try:  # this SDK's distribution is objectstore-sdk; upstream's is objectstore-client
        version = importlib.metadata.version("objectstore-sdk")
    except importlib.metadata.PackageNotFoundError:
        version = importlib.metadata.version("objectstore-client")
    json.dump({"version": version, "records": result}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
