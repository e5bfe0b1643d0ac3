"""``import objectstore_client`` loads no HTTP library: httpx (and httpcore) only when the
httpx engine sends, or where a caller hands in an httpx object; the default engine's parser
(httptools) only when a client opens its engine; asyncio, PyJWT and cryptography only when
the asyncio client or a secret key is used. The CLI and every pytest run with the plugin pay
the import, so it stays light."""

from __future__ import annotations

import subprocess
import sys
import uuid

_PROBE = """
import sys
import objectstore_client
import objectstore_client.errors, objectstore_client.utils, objectstore_client.metrics
heavy = ("httpx", "httpcore", "httptools", "h11", "asyncio", "jwt", "cryptography")
print(" ".join(m for m in heavy if m in sys.modules))
"""


def _loaded(code: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, timeout=60
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


# The server runs in the test process (objectstore_url): the probe imports objectstore_client only.
_ROUND_TRIP = """
import asyncio, sys
from objectstore_client import AsyncClient, Client, Usecase
url, scope = sys.argv[1], sys.argv[2]
options = {"maxsize": 12, "timeout": 5.0, "verify": True, "headers": {"X-Probe": "1"}}
with Client(url, retries=2, timeout_ms=5000, connection_kwargs=options) as client:
    session = client.session(Usecase("attachments"), org=scope)
    key = session.put(b"plain", key="sync")
    found = session.get(key)
    assert found is not None and found[1].read() == b"plain"
    assert session.head(key) is not None
    session.delete(key)
    assert session.get(key) is None

async def main():
    async with AsyncClient(url, connection_kwargs=options) as client:
        session = client.session(Usecase("attachments"), org=scope)
        key = await session.put(b"plain", key="async")
        found = await session.get(key)
        assert found is not None and await found[1].read() == b"plain"
        assert await session.head(key) is not None
        await session.delete(key)
        assert await session.get(key) is None

asyncio.run(main())
print("done", " ".join(m for m in ("httpx", "httpcore", "h11") if m in sys.modules))
"""


def test_clients_on_the_default_engine_load_no_httpx(objectstore_url: str) -> None:
    """Configuring and using Client and AsyncClient with plain values (a str URL, numbers,
    a dict of headers) parses everything without httpx."""
    assert _loaded(_ROUND_TRIP, objectstore_url, uuid.uuid4().hex[:12]) == ["done"]
