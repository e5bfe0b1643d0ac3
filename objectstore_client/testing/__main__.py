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


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m objectstore_client.testing",
        description="Run a local Objectstore server (for demos and tests).",
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
        help="answer DELETE of a missing key with 500 like the real filesystem backend",
    )
    args = parser.parse_args(argv)
    server = LocalObjectstore(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        storage=args.storage,
        auth_keys=dict(args.auth_key),
        strict_filesystem=args.strict_filesystem,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.start()
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
