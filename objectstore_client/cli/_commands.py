"""The ``objectstore`` commands, each a function of the parsed arguments, using the public SDK."""

from __future__ import annotations

import argparse
import codecs
import json
import mimetypes
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from .. import (
    Client,
    ConnectError,
    GetResponse,
    InvalidInput,
    Metadata,
    ObjectstoreError,
    ProgressEvent,
    RangeNotSatisfiable,
    RequestError,
    RequestTimeout,
    RetryNotice,
    RetryPolicy,
    SecretKey,
    Session,
    TimeToIdle,
    TimeToLive,
    TransportError,
    Usecase,
    guess_mime_type,
)
from .._constants import MAX_PRESIGN_SECONDS
from .._core.guidance import WrongBaseURL
from ..metadata import format_expiration, format_timedelta, parse_timedelta
from ._parser import ENV
from ._progress import ProgressBar

__all__ = ["COMMANDS", "CommandError", "Output"]

_CHUNK = 1 << 20


class CommandError(Exception):
    """A failure to report with an exit status (a key of EXIT_CODES)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Output:
    """Where results, errors and progress go: stdout, stderr, JSON or text."""

    def __init__(
        self, as_json: bool, progress: bool, stdout: TextIO, stderr: TextIO, stdin: BinaryIO
    ) -> None:
        self.as_json = as_json
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        # a bar and retry notices only on a terminal: never into a pipe, a file or a CI log
        self.on_terminal = stderr.isatty()
        self.progress = progress and self.on_terminal

    def result(self, data: dict[str, Any], text: str) -> None:
        """Print a command's result: ``data`` as JSON with --json, else ``text``."""
        if self.as_json:
            print(json.dumps(data, default=str), file=self.stdout, flush=True)
        elif text:
            print(text, file=self.stdout, flush=True)

    def error(self, kind: str, message: str) -> None:
        """Report a failure: on stdout as JSON with --json, else on stderr."""
        if self.as_json:
            print(json.dumps({"error": kind, "message": message}), file=self.stdout, flush=True)
        else:
            print(f"objectstore: {message}", file=self.stderr, flush=True)

    def retrying(self, notice: RetryNotice) -> None:
        """Say on the terminal why nothing happens yet (the SDK is about to retry)."""
        print(
            f"objectstore: {notice.method} {notice.path}: {_reason(notice)}; "
            f"retry {notice.retry} of {notice.max_retries} in {notice.delay:.1f} s",
            file=self.stderr,
            flush=True,
        )

    def bar(self, label: str, total: int | None) -> ProgressBar:
        """A progress bar on stderr (inert unless on a terminal and over a few MiB)."""
        return ProgressBar(label, total, self.stderr, enabled=self.progress)


def _scopes(pairs: list[str] | None) -> dict[str, str]:
    scopes: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CommandError("usage", f"a scope must look like NAME=VALUE, got {pair!r}")
        scopes[name] = value
    return scopes


def _credentials(args: argparse.Namespace) -> SecretKey | str | None:
    if args.key_file or args.key_id:
        if not (args.key_file and args.key_id):
            raise CommandError(
                "usage",
                f"a signing key needs both --key-id and --key-file "
                f"(${ENV['key_id']}, ${ENV['key_file']})",
            )
        try:
            pem = Path(args.key_file).read_text(encoding="ascii")
        except OSError as exc:
            raise CommandError("usage", f"cannot read the key file: {exc}") from exc
        return SecretKey(args.key_id, pem)
    token: str | None = args.token
    return token


def _reason(notice: RetryNotice) -> str:
    """A retry's cause in a few words."""
    if notice.error is None:
        return f"the server answered {notice.reason.removeprefix('status ')}"
    cause = notice.error.__cause__ or notice.error
    if isinstance(notice.error, ConnectError):
        return f"cannot connect ({cause})"
    if isinstance(notice.error, RequestTimeout):
        return "timed out"
    return f"the connection failed ({cause})"


@contextmanager
def _session(args: argparse.Namespace, out: Output) -> Iterator[Session]:
    if not args.usecase:
        raise CommandError("usage", f"a usecase is required: --usecase NAME or ${ENV['usecase']}")
    usecase = Usecase(args.usecase)
    scopes = _scopes(args.scopes)
    policy = RetryPolicy(args.retries, on_retry=out.retrying if out.on_terminal else None)
    with Client(args.url, token=_credentials(args), retries=policy) as client:
        yield client.session(usecase, **scopes)


def _where(args: argparse.Namespace, key: str) -> str:
    scopes = ";".join(args.scopes or []) or "no scopes"
    return f"{key!r} (usecase {args.usecase}, {scopes})"


def _not_found(args: argparse.Namespace, key: str) -> CommandError:
    return CommandError("not_found", f"not found: {_where(args, key)}")


def _metadata_dict(metadata: Metadata) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    policy = metadata.expiration_policy
    return {
        "content_type": metadata.content_type,
        "compression": metadata.compression,
        "expiration_policy": format_expiration(policy) if policy else "manual",
        "time_created": when(metadata.time_created),
        "time_expires": when(metadata.time_expires),
        "origin": metadata.origin,
        "filename": metadata.filename,
        "size": metadata.size,
        "custom": dict(metadata.custom),
    }


def cmd_put(args: argparse.Namespace, out: Output) -> None:
    """Upload a file or stdin with ``Session.upload``; progress from its events."""
    custom = dict(_pair(item, "--meta") for item in args.meta)
    policy: TimeToLive | TimeToIdle | None = None
    if args.ttl:
        policy = TimeToLive(_duration(args.ttl, "--ttl"))
    elif args.tti:
        policy = TimeToIdle(_duration(args.tti, "--tti"))
    opened: AbstractContextManager[IO[bytes]]
    if args.source in (None, "-"):
        if args.source is None and out.stdin.isatty():
            raise CommandError(
                "usage",
                "no FILE given and stdin is a terminal: name a file, pipe the data in, "
                "or pass - to type it",
            )
        label, opened, name = "put <stdin>", nullcontext(out.stdin), args.filename
    else:
        path = Path(args.source)
        if not path.is_file():
            raise CommandError("usage", f"no such file: {args.source}")
        # an open file, not the path: the SDK reads it in chunks either way
        label, opened, name = f"put {path.name}", path.open("rb"), args.filename or path.name
    sent = 0

    def progress(event: ProgressEvent) -> None:
        nonlocal sent
        sent += event.delta
        bar.update(event.delta)

    with opened as source, _session(args, out) as session:
        bar = out.bar(label, _regular_file_size(source))
        key = session.upload(
            source,
            args.key,
            compress=args.compression,
            content_type=args.content_type or _guess_content_type(name, source),
            metadata=custom,
            expiration_policy=policy,
            filename=args.filename,
            progress=progress,
        )
    bar.finish()
    out.result({"key": key, "bytes": sent}, key)


#: ``mimetypes`` reports ``x.tar.gz`` as a tar archive with gzip encoding: the bytes are gzip.
_COMPRESSED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "br": "application/x-brotli",
    "compress": "application/x-compress",
}


def _guess_content_type(name: str | None, source: IO[bytes]) -> str | None:
    """From the file name's extension, else from the first bytes of a seekable source (the
    SDK's ``guess_mime_type``); None leaves it to the server (``application/octet-stream``)."""
    if name:
        guessed, encoding = mimetypes.guess_type(name, strict=False)
        if encoding:
            return _COMPRESSED_TYPES.get(encoding, "application/octet-stream")
        if guessed:
            return guessed
    return guess_mime_type(source)


def cmd_get(args: argparse.Namespace, out: Output) -> None:
    """Stream an object to a file or stdout."""
    if args.output not in (None, "-"):
        with _session(args, out) as session:
            received = _get_to_file(session, args, out)
        text = f"{args.key} -> {args.output} ({received} bytes)"
        out.result({"key": args.key, "bytes": received, "path": args.output}, text)
        return
    if out.as_json:
        raise CommandError("usage", "--json needs --output FILE: stdout carries the object")
    # like curl: binary data goes to a terminal only when asked for with -o -
    guard = args.output is None and sys.stdout.isatty()
    with _session(args, out) as session:
        response = _get(session, args)
        with response.payload, _stdout_sink(guard) as sink:
            _copy(response, sink, args, out)


def _get_to_file(session: Session, args: argparse.Namespace, out: Output) -> int:
    """Download ``args.key`` into the file ``args.output`` with ``Session.download`` (ranged,
    parallel, each range resumed on its own; the file appears only once complete); returns the
    bytes written."""
    bar = out.bar(f"get {args.key}", None)
    metadata = session.download(
        args.key, args.output, decompress=not args.raw, progress=lambda e: bar.update(e.delta)
    )
    bar.finish()
    if metadata is None:
        raise _not_found(args, args.key)
    return Path(args.output).stat().st_size


def _get(session: Session, args: argparse.Namespace) -> GetResponse:
    response = session.get(args.key, decompress=not args.raw)
    if response is None:
        raise _not_found(args, args.key)
    return response


def _copy(response: GetResponse, sink: Any, args: argparse.Namespace, out: Output) -> int:
    """Copy the payload to ``sink`` in chunks, with the progress bar; returns the bytes."""
    metadata = response.metadata
    # the stored size is the total only when nothing is decompressed on the way
    total = metadata.size if (args.raw or not metadata.compression) else None
    bar = out.bar(f"get {args.key}", total)
    received = 0
    while chunk := response.payload.read(_CHUNK):
        sink.write(chunk)
        received += len(chunk)
        bar.update(len(chunk))
    bar.finish()
    return received


class _TerminalGuard:
    """stdout on a terminal: the first chunk decides whether the data is text (written) or
    binary (refused, before a byte of it reaches the terminal)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._checked = False

    def write(self, chunk: bytes) -> int:
        if not self._checked:
            self._checked = True
            if _looks_binary(chunk):
                raise CommandError(
                    "usage",
                    "the object is binary and stdout is a terminal: pass -o FILE, "
                    "or -o - to write it to the terminal anyway",
                )
        return self._stream.write(chunk)


def _looks_binary(chunk: bytes) -> bool:
    """NUL bytes or invalid UTF-8 (a sequence cut at the chunk's end is fine)."""
    if b"\0" in chunk:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(chunk, final=False)
    except UnicodeDecodeError:
        return True
    return False


@contextmanager
def _stdout_sink(guard: bool) -> Iterator[Any]:
    stream = sys.stdout.buffer
    try:
        yield _TerminalGuard(stream) if guard else stream
    finally:
        stream.flush()


def cmd_head(args: argparse.Namespace, out: Output) -> None:
    """Print an object's metadata, with its stored size (from a one-byte range request: the
    server's HEAD answer carries no length)."""
    with _session(args, out) as session:
        metadata = session.head(args.key)
        if metadata is None:
            raise _not_found(args, args.key)
        size = _stored_size(session, args)
    data = _metadata_dict(metadata)
    data["size"] = size
    encoding = metadata.compression or "none"
    lines = [f"content_type: {metadata.content_type or 'unknown'}"]
    if size is not None:
        compressed = "" if encoding == "none" else f" stored, {encoding}-compressed"
        lines.append(f"size: {size} bytes{compressed}")
    skip = {"content_type", "size", "custom"}
    lines += [f"{name}: {value}" for name, value in data.items() if name not in skip and value]
    lines += [f"custom.{name}: {value}" for name, value in data["custom"].items()]
    out.result({"key": args.key, **data}, "\n".join(lines))


def _stored_size(session: Session, args: argparse.Namespace) -> int | None:
    """The stored size from ``Range: bytes=0-0`` (``Content-Range: bytes 0-0/SIZE``); an
    empty object answers 416 with ``bytes */0``."""
    try:
        first = session.get_range(args.key, 0, 0)
    except RangeNotSatisfiable as exc:
        return exc.size
    if first is None:  # deleted between the two requests
        raise _not_found(args, args.key)
    return first.size


def cmd_rm(args: argparse.Namespace, out: Output) -> None:
    """Delete objects, one request each."""
    with _session(args, out) as session:
        for key in args.keys:
            session.delete(key)
    out.result({"deleted": args.keys}, "")


def cmd_url(args: argparse.Namespace, out: Output) -> None:
    """Print a pre-signed URL."""
    if not args.key_file:
        raise CommandError(
            "usage",
            f"pre-signed URLs need a signing key: --key-id and --key-file "
            f"(${ENV['key_id']}, ${ENV['key_file']})",
        )
    duration = _duration(args.expires, "--expires", maximum=_MAX_PRESIGN)
    with _session(args, out) as session:
        url = session.presigned_object_url(args.method, args.key, duration)
    out.result({"url": url, "method": args.method, "expires_in": duration.total_seconds()}, url)


def _pair(item: str, flag: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name:
        raise CommandError("usage", f"{flag} must look like NAME=VALUE, got {item!r}")
    return name, value


#: What a duration looks like, for messages.
DURATION_FORMAT = "a number and a unit, e.g. 30s, 15m, 2h, 7d (combined: 1h 30m)"
_MAX_PRESIGN = timedelta(seconds=MAX_PRESIGN_SECONDS)


def _duration(text: str, flag: str, *, maximum: timedelta | None = None) -> timedelta:
    """``text`` as a positive duration (at most ``maximum``), or a usage error that shows the
    accepted format."""
    try:
        value = parse_timedelta(text)
    except ValueError:
        raise CommandError(
            "usage", f"{flag}: {text!r} is not a duration: write {DURATION_FORMAT}"
        ) from None
    if value <= timedelta(0):
        raise CommandError("usage", f"{flag}: {text} is not a positive duration")
    if maximum is not None and value > maximum:
        raise CommandError(
            "usage", f"{flag}: {text} is longer than the maximum of {format_timedelta(maximum)}"
        )
    return value


def _regular_file_size(stream: IO[bytes]) -> int | None:
    """The size of a regular file (stdin may be redirected from one), else None."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def classify(exc: ObjectstoreError) -> str:
    """The exit-status kind of an SDK error."""
    if isinstance(exc, InvalidInput):  # refused by the SDK before any request
        return "usage"
    if isinstance(exc, TransportError):
        return "transport"
    if isinstance(exc, WrongBaseURL):  # answered, but not by Objectstore: a server error
        return "error"
    if isinstance(exc, RequestError):
        # the server refuses a request without token with 400 "auth error: ...", and HEAD
        # answers carry no body at all: an empty 400 is an auth failure too
        auth_400 = exc.status == 400 and ("auth error" in exc.response or not exc.response)
        if exc.status in (401, 403) or auth_400:
            return "auth"
        if exc.status == 404:
            return "not_found"
    return "error"


_URL_FLAG = f"--url (or ${ENV['url']})"


def explain(kind: str, exc: ObjectstoreError, args: argparse.Namespace) -> str:
    """The error's message in the CLI's terms (flags, not SDK arguments), with what to do
    about it when the CLI knows."""
    if isinstance(exc, WrongBaseURL):
        return (
            f"{args.url} does not lead to an Objectstore server: {exc.method} {exc.path} and "
            f"GET {args.url.rstrip('/')}/health both answered 404\n"
            f"hint: set {_URL_FLAG} to the URL under which the server answers /health"
        )
    if isinstance(exc, ConnectError):
        return (
            f"cannot connect to {args.url} ({exc.__cause__ or exc}), "
            f"{_retries(args.retries)}\n"
            f"hint: is the server running there? Set {_URL_FLAG}, or wait longer with --retries N"
        )
    if kind == "auth" and not (args.token or args.key_file) and isinstance(exc, RequestError):
        # the SDK's own hint names token= of Client(...): say it with flags instead
        body = " ".join(exc.response.split())[:200]
        return (
            f"{exc.method} {exc.path} failed with status {exc.status}"
            + (f": {body}" if body else "")
            + f"\nhint: the server wants credentials: --token JWT (${ENV['token']}) or "
            f"--key-id KID --key-file PEM (${ENV['key_id']}, ${ENV['key_file']})"
        )
    return str(exc)


def _retries(count: int) -> str:
    return (
        "no retries" if count == 0 else f"gave up after {count} retr{'y' if count == 1 else 'ies'}"
    )


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], None]] = {
    "put": cmd_put,
    "get": cmd_get,
    "head": cmd_head,
    "rm": cmd_rm,
    "delete": cmd_rm,
    "url": cmd_url,
    "presign": cmd_url,
}
