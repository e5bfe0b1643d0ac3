"""The ``objectstore`` commands, each a function of the parsed arguments, using the public SDK."""

from __future__ import annotations

import argparse
import json
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
    InvalidInput,
    Metadata,
    ObjectstoreError,
    ProgressEvent,
    RequestError,
    SecretKey,
    Session,
    TimeToIdle,
    TimeToLive,
    TransportError,
    Usecase,
)
from .._core.guidance import WrongBaseURL
from ..metadata import format_expiration, parse_timedelta
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
        # a bar only on a terminal: never into a pipe, a file or a CI log
        self.progress = progress and stderr.isatty()

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


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[Session]:
    if not args.usecase:
        raise CommandError("usage", f"a usecase is required: --usecase NAME or ${ENV['usecase']}")
    usecase = Usecase(args.usecase)
    scopes = _scopes(args.scopes)
    with Client(args.url, token=_credentials(args)) as client:
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
    if args.source == "-":
        label, opened = "put <stdin>", nullcontext(out.stdin)
    else:
        path = Path(args.source)
        if not path.is_file():
            raise CommandError("usage", f"no such file: {args.source}")
        # an open file, not the path: the SDK reads it in chunks either way
        label, opened = f"put {path.name}", path.open("rb")
    sent = 0

    def progress(event: ProgressEvent) -> None:
        nonlocal sent
        sent += event.delta
        bar.update(event.delta)

    with opened as source, _session(args) as session:
        bar = out.bar(label, _regular_file_size(source))
        key = session.upload(
            source,
            args.key,
            compress=args.compression,
            content_type=args.content_type,
            metadata=custom,
            expiration_policy=policy,
            filename=args.filename,
            progress=progress,
        )
    bar.finish()
    out.result({"key": key, "bytes": sent}, key)


def cmd_get(args: argparse.Namespace, out: Output) -> None:
    """Stream an object, read in chunks, to a file or stdout."""
    to_stdout = args.output == "-"
    if to_stdout and out.as_json:
        raise CommandError("usage", "--json needs --output FILE: stdout carries the object")
    with _session(args) as session:
        if not to_stdout:  # ranged, parallel and resumed per range (guides/downloads.md)
            _download(args, out, session)
            return
        response = session.get(args.key, decompress=not args.raw)
        if response is None:
            raise _not_found(args, args.key)
        metadata, payload = response
        # the stored size is the total only when nothing is decompressed on the way
        total = metadata.size if (args.raw or not metadata.compression) else None
        bar = out.bar(f"get {args.key}", total)
        received = 0
        with payload, _sink(args.output) as sink:
            while chunk := payload.read(_CHUNK):
                sink.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
        bar.finish()
    if not to_stdout:
        text = f"{args.key} -> {args.output} ({received} bytes)"
        out.result({"key": args.key, "bytes": received, "path": args.output}, text)


def _download(args: argparse.Namespace, out: Output, session: Session) -> None:
    """``get -o FILE``: Session.download (the file appears only once complete)."""
    bar = out.bar(f"get {args.key}", None)
    metadata = session.download(
        args.key, args.output, decompress=not args.raw, progress=lambda e: bar.update(e.delta)
    )
    bar.finish()
    if metadata is None:
        raise _not_found(args, args.key)
    received = Path(args.output).stat().st_size
    text = f"{args.key} -> {args.output} ({received} bytes)"
    out.result({"key": args.key, "bytes": received, "path": args.output}, text)


@contextmanager
def _sink(output: str) -> Iterator[BinaryIO]:
    """stdout, or a file that is removed again if the download fails."""
    if output == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(output)
    try:
        with path.open("wb") as file:
            yield file
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def cmd_head(args: argparse.Namespace, out: Output) -> None:
    """Print an object's metadata."""
    with _session(args) as session:
        metadata = session.head(args.key)
    if metadata is None:
        raise _not_found(args, args.key)
    data = _metadata_dict(metadata)
    lines = [f"{name}: {value}" for name, value in data.items() if name != "custom" and value]
    lines += [f"custom.{name}: {value}" for name, value in data["custom"].items()]
    out.result({"key": args.key, **data}, "\n".join(lines))


def cmd_rm(args: argparse.Namespace, out: Output) -> None:
    """Delete objects, one request each."""
    with _session(args) as session:
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
    duration = _duration(args.expires, "--expires")
    with _session(args) as session:
        url = session.presigned_object_url(args.method, args.key, duration)
    out.result({"url": url, "method": args.method, "expires_in": duration.total_seconds()}, url)


def _pair(item: str, flag: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name:
        raise CommandError("usage", f"{flag} must look like NAME=VALUE, got {item!r}")
    return name, value


def _duration(text: str, flag: str) -> timedelta:
    try:
        return parse_timedelta(text)
    except ValueError as exc:
        raise CommandError("usage", f"{flag}: {exc}") from exc


def _regular_file_size(stream: IO[bytes]) -> int | None:
    """The size of a regular file (stdin may be redirected from one), else None."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def classify(exc: ObjectstoreError) -> str:
    """The exit-status kind of an SDK error."""
    if isinstance(exc, (InvalidInput, WrongBaseURL)):  # a wrong --url is a bad argument
        return "usage"
    if isinstance(exc, TransportError):
        return "transport"
    if isinstance(exc, RequestError):
        # the server refuses a request without token with 400 "auth error: ...", and HEAD
        # answers carry no body at all: an empty 400 is an auth failure too
        auth_400 = exc.status == 400 and ("auth error" in exc.response or not exc.response)
        if exc.status in (401, 403) or auth_400:
            return "auth"
        if exc.status == 404:
            return "not_found"
    return "error"


def explain(kind: str, exc: ObjectstoreError, args: argparse.Namespace) -> str:
    """The error's message, with what to do about it when the CLI knows."""
    message = str(exc)
    if kind == "auth" and not (args.token or args.key_file):
        message += (
            f"\nhint: the server wants credentials: --token JWT (${ENV['token']}) or "
            f"--key-id KID --key-file PEM (${ENV['key_id']}, ${ENV['key_file']})"
        )
    return message


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], None]] = {
    "put": cmd_put,
    "get": cmd_get,
    "head": cmd_head,
    "rm": cmd_rm,
    "delete": cmd_rm,
    "url": cmd_url,
    "presign": cmd_url,
}
