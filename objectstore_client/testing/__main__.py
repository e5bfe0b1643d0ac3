"""``python -m objectstore_client.testing``: run the local Objectstore in the foreground."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence

from ._server import LocalObjectstore


def _auth_key(value: str) -> tuple[str, str]:
    kid, sep, pem = value.partition("=")
    if not sep or not kid or not pem:
        raise argparse.ArgumentTypeError("expected KID=PUBLIC_KEY_PEM (PEM text or @path)")
    if pem.startswith("@") or ("-----BEGIN" not in pem and os.path.isfile(pem)):
        with open(pem.removeprefix("@"), encoding="ascii") as fh:
            pem = fh.read()
    return kid, pem


#: Exit status when the server cannot start (port in use, the `testing` extra missing).
EXIT_CANNOT_START = 1


def main(
    argv: Sequence[str] | None = None, prog: str = "python -m objectstore_client.testing"
) -> int:
    """Parse arguments, serve until interrupted (SIGTERM, Ctrl-C): 0. A server that cannot
    start prints one line on stderr and returns :data:`EXIT_CANNOT_START`; bad arguments exit
    2 (argparse)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run a local Objectstore server (for demos and tests).",
        epilog=f"exit statuses: 0 stopped by SIGTERM or Ctrl-C, {EXIT_CANNOT_START} cannot start "
        "(address in use, the testing extra missing), 2 bad arguments",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8888, help="0 picks a free port")
    parser.add_argument("--data-dir", help="storage directory (default: a temporary one)")
    parser.add_argument("--storage", choices=["filesystem", "memory"], default="filesystem")
    parser.add_argument(
        "--auth-key",
        action="append",
        default=[],
        type=_auth_key,
        metavar="KID=PUBLIC_KEY_PEM",
        help="enable auth with this Ed25519 public key (PEM text, a file, or @file); repeatable",
    )
    parser.add_argument(
        "--strict-filesystem",
        action="store_true",
        help="answer like the real server's filesystem backend: DELETE of a missing key "
        "(also in a batch) and a write to a key ending in '/' are 500",
    )
    parser.add_argument(
        "--real-wire",
        action="store_true",
        help="write responses like the real server: no TCP_NODELAY, GET head and body chunks "
        "(4096/3967/129 bytes) as separate segments (kept-alive GETs stall on delayed ACKs)",
    )
    parser.add_argument(
        "--endless-batch-errors",
        action="store_true",
        help="answer an unparsable batch body with error parts that never end, like the real "
        "server",
    )
    parser.add_argument(
        "--like-real-server",
        action="store_true",
        help="all three above",
    )
    parser.add_argument(
        "--http-stack",
        choices=["httptools", "h11"],
        default="httptools",
        help="HTTP parser and loop: httptools on uvloop (default) or the slower pure-Python h11",
    )
    args = parser.parse_args(argv)
    real = args.like_real_server
    server = LocalObjectstore(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        storage=args.storage,
        auth_keys=dict(args.auth_key),
        strict_filesystem=args.strict_filesystem or real,
        real_wire=args.real_wire or real,
        endless_batch_errors=args.endless_batch_errors or real,
        http_stack=args.http_stack,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        server.start()
    except OSError as exc:  # EADDRINUSE, EADDRNOTAVAIL, EACCES: nothing was started
        reason = exc.strerror or str(exc)
        print(f"{prog}: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return EXIT_CANNOT_START
    except RuntimeError as exc:  # the testing extra is missing, or uvicorn did not come up
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_CANNOT_START
    print(server.url, flush=True)
    try:
        while not stop.wait(0.5):
            if not server.running:
                return 1
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
