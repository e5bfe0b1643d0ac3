"""The ``objectstore`` command: put, get, head, rm, url and serve from a shell.

Installed with the package (``[project.scripts]``); also ``python -m objectstore_client.cli``.
Every command but ``serve`` goes through the public SDK API (``Client``, ``Session``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import BinaryIO, TextIO

from .. import ObjectstoreError
from ._commands import COMMANDS, CommandError, Output, classify, explain
from ._parser import EXIT_CODES, build_parser, resolve

__all__ = ["EXIT_CODES", "main"]


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: BinaryIO | None = None,
) -> int:
    """Run one command; returns its exit status (see ``EXIT_CODES``)."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from ..testing.__main__ import main as serve

        return serve(args.server_args, prog="objectstore serve")
    resolve(args)
    out = Output(
        args.json,
        not args.no_progress,
        stdout or sys.stdout,
        stderr or sys.stderr,
        stdin or sys.stdin.buffer,
    )
    try:
        COMMANDS[args.command](args, out)
    except CommandError as exc:
        out.error(exc.kind, str(exc))
        return EXIT_CODES[exc.kind]
    except ObjectstoreError as exc:
        kind = classify(exc)
        out.error(kind, explain(kind, exc, args))
        return EXIT_CODES[kind]
    except KeyboardInterrupt:
        out.error("interrupted", "interrupted")
        return EXIT_CODES["interrupted"]
    except BrokenPipeError:  # `objectstore get k | head -c 10`: the reader left, not an error
        return EXIT_CODES["ok"]
    return EXIT_CODES["ok"]
