"""``import objectstore_client`` loads no HTTP library: httpx (and httpcore) only when the
httpx engine sends, or where a caller hands in an httpx object; the default engine's parser
(httptools) only when a client opens its engine; asyncio, PyJWT and cryptography only when
the asyncio client or a secret key is used. The CLI and every pytest run with the plugin pay
the import, so it stays light."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
import objectstore_client
import objectstore_client.errors, objectstore_client.utils, objectstore_client.metrics
heavy = ("httpx", "httpcore", "httptools", "h11", "asyncio", "jwt", "cryptography")
print(" ".join(m for m in heavy if m in sys.modules))
"""


def _loaded(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.split()


def test_importing_the_package_loads_no_http_library() -> None:
    assert _loaded(_PROBE) == []


def test_the_asyncio_client_loads_on_first_use() -> None:
    code = (
        "import sys\n"
        "from objectstore_client import AsyncClient, AsyncPayload\n"
        "import objectstore_client._async as a, objectstore_client._io_async as io\n"
        "assert AsyncClient is a.AsyncClient and AsyncPayload is io.AsyncPayload\n"
        "print(' '.join(m for m in ('asyncio',) if m in sys.modules))\n"
    )
    assert _loaded(code) == ["asyncio"]


def test_the_generated_request_builders_need_no_httpx() -> None:
    code = (
        "import sys\n"
        "from objectstore_generated.api.objects import get_object, put_object\n"
        "from objectstore_generated.api.batch import batch\n"
        "print(' '.join(m for m in ('httpx',) if m in sys.modules))\n"
    )
    assert _loaded(code) == []


def test_httpx_arrives_with_the_httpx_engine() -> None:
    code = (
        "import sys\n"
        "import objectstore_client\n"
        "client = objectstore_client.Client('http://127.0.0.1:1', engine='httpx')\n"
        "print(' '.join(m for m in ('httpx', 'httpcore') if m in sys.modules))\n"
    )
    assert _loaded(code) == ["httpx", "httpcore"]
