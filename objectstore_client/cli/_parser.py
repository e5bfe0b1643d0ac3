"""The ``objectstore`` command line: arguments, environment variables and help texts."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from .._version import __version__

__all__ = ["ENV", "EXIT_CODES", "build_parser"]

#: Environment variables that provide defaults for the connection flags.
ENV = {
    "url": "OBJECTSTORE_URL",
    "usecase": "OBJECTSTORE_USECASE",
    "scopes": "OBJECTSTORE_SCOPES",
    "token": "OBJECTSTORE_TOKEN",
    "key_id": "OBJECTSTORE_KEY_ID",
    "key_file": "OBJECTSTORE_KEY_FILE",
}
DEFAULT_URL = "http://127.0.0.1:8888"
#: Retries of each request (the SDK's default, 10 within 10 s, is for services): on a
#: refused connection, 3 retries give up after about half a second.
DEFAULT_RETRIES = 3
#: Validity of a pre-signed URL when --expires is not given.
DEFAULT_EXPIRES = "1h"

#: Exit statuses, so that scripts can tell failures apart.
EXIT_CODES = {
    "ok": 0,
    "error": 1,  # the server answered with another error status
    "usage": 2,  # bad arguments, refused before any request (or binary data for a terminal)
    "not_found": 3,  # the object does not exist
    "auth": 4,  # missing, invalid or insufficient credentials (400 auth error, 401, 403)
    "transport": 5,  # no usable answer: connection refused, unreachable, timeout
    "interrupted": 130,
}

_EPILOG = f"""\
environment variables (flags win):
  {ENV["url"]:<22} server URL (default {DEFAULT_URL})
  {ENV["usecase"]:<22} usecase
  {ENV["scopes"]:<22} scopes, e.g. "org=42;project=1337" (";" or "," between them)
  {ENV["token"]:<22} a token (JWT) to send as is
  {ENV["key_id"]:<22} key id of the signing key
  {ENV["key_file"]:<22} Ed25519 private key (PEM file) that signs a token per request

exit statuses:
  0 ok, 1 server error (also: the URL does not lead to Objectstore), 2 bad arguments or a
  refused terminal, 3 not found, 4 authentication or permission, 5 transport (connection
  refused, unreachable host, timeout), 130 interrupted
"""


def _retries(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of retries (0 or more), got {text!r}")
    return value


def _connection_options() -> argparse.ArgumentParser:
    """The flags every object command takes (after the command name)."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument("--url", help=f"server base URL (${ENV['url']}; default {DEFAULT_URL})")
    group.add_argument("-u", "--usecase", help=f"usecase (${ENV['usecase']})")
    group.add_argument(
        "-s",
        "--scope",
        action="append",
        dest="scopes",
        metavar="NAME=VALUE",
        help=f"a scope, in order; repeatable (${ENV['scopes']}: org=42;project=1337)",
    )
    group.add_argument(
        "--retries",
        type=_retries,
        default=DEFAULT_RETRIES,
        metavar="N",
        help=f"retries of each request (default {DEFAULT_RETRIES}; 0: none); "
        "on a terminal, a notice says when one is made",
    )
    group.add_argument("--token", help=f"a token (JWT) sent as is (${ENV['token']})")
    group.add_argument("--key-id", help=f"key id of the signing key (${ENV['key_id']})")
    group.add_argument(
        "--key-file", help=f"Ed25519 private key PEM that signs tokens (${ENV['key_file']})"
    )
    output = common.add_argument_group("output")
    output.add_argument(
        "--json", action="store_true", help="print one JSON object on stdout (errors too)"
    )
    output.add_argument(
        "--no-progress",
        action="store_true",
        help="never draw the progress bar (drawn on a terminal for transfers over 4 MiB)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one sub-command per operation."""
    parser = argparse.ArgumentParser(
        prog="objectstore",
        description="Put, get, inspect and delete Objectstore objects; run a local server.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _connection_options()

    def add(name: str, help: str, aliases: tuple[str, ...] = ()) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            aliases=list(aliases),
            help=help,
            description=help,
            parents=[common],
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    put = add("put", "upload a file, or stdin, and print the object's key")
    put.add_argument(
        "source",
        nargs="?",
        help="a file, or - for stdin (default: stdin, unless it is a terminal)",
    )
    put.add_argument("-k", "--key", help="the object's key (default: the server picks one)")
    put.add_argument(
        "--content-type",
        help="MIME type stored with the object (default: guessed from the file name, "
        "else from the first bytes)",
    )
    put.add_argument("--compression", choices=["zstd", "none"], help="default: zstd")
    put.add_argument("--filename", help="file name stored with the object")
    put.add_argument(
        "--meta", action="append", default=[], metavar="NAME=VALUE", help="custom metadata"
    )
    expiry = put.add_mutually_exclusive_group()
    expiry.add_argument("--ttl", metavar="DURATION", help="expire this long after the upload")
    expiry.add_argument("--tti", metavar="DURATION", help="expire this long after the last read")

    get = add("get", "download an object to a file or stdout")
    get.add_argument("key")
    get.add_argument(
        "-o",
        "--output",
        help="a file, or - for stdout (default: stdout; binary data is written to a terminal "
        "only with -o -)",
    )
    get.add_argument(
        "--raw", action="store_true", help="write the stored bytes (zstd) without decompressing"
    )

    head = add("head", "print an object's metadata, content type and stored size")
    head.add_argument("key")

    rm = add("rm", "delete objects", aliases=("delete",))
    rm.add_argument("keys", nargs="+", metavar="key")

    url = add(
        "url",
        "print a pre-signed URL (needs a signing key): any HTTP client can then read the "
        "object without credentials. It serves the stored bytes, zstd-compressed unless the "
        "object was put with --compression none",
        aliases=("presign",),
    )
    url.add_argument("key")
    url.add_argument(
        "--expires",
        default=DEFAULT_EXPIRES,
        metavar="DURATION",
        help=f"validity, at most 7 days (default {DEFAULT_EXPIRES})",
    )
    url.add_argument("--method", choices=["GET", "HEAD"], default="GET")

    commands.add_parser(
        "serve",
        help="run the local Objectstore server (objectstore serve --help for its options)",
        add_help=False,
        prefix_chars="\0",  # every argument goes to the server's own parser
    ).add_argument("server_args", nargs=argparse.REMAINDER)
    return parser


def resolve(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> None:
    """Fill unset connection flags from the environment, in place."""
    env = os.environ if environ is None else environ
    for name, variable in ENV.items():
        if getattr(args, name, None) is None and env.get(variable):
            value = env[variable]
            if name == "scopes":
                separators = value.replace(",", ";")
                setattr(args, name, [s.strip() for s in separators.split(";") if s.strip()])
            else:
                setattr(args, name, value)
    if getattr(args, "url", None) is None:
        args.url = DEFAULT_URL
