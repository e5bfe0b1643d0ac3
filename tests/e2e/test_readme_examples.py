"""The upstream README's examples (for the 0.1.6/0.2.0 API) run unchanged against our package.

Each snippet is executed as written; only the server URL (``http://localhost:8888``) and the
``"<private key>"`` placeholder (by a generated PEM) are substituted. Snippets share one
namespace, in README order.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.keys import key_pair

QUICK_START = """
from objectstore_client import Client, Usecase

client = Client("http://localhost:8888")
session = client.session(Usecase("attachments"), org=42, project=1337)

# Upload
key = session.put(b"Hello, world!")

# Download
result = session.get(key)
content = result.payload.read()

# Delete
session.delete(key)
"""

SCOPES = """
# Scope with org and project (recommended first components)
session = client.session(Usecase("attachments"), org=42, project=1337)

# Additional components are appended after org/project
session = client.session(Usecase("attachments"), org=42, project=1337, app_slug="email_app")
"""

EXPIRATION = """
from datetime import timedelta
from objectstore_client import Usecase, TimeToIdle, TimeToLive

# Set default expiration on the Usecase
usecase = Usecase("attachments", expiration_policy=TimeToIdle(timedelta(days=30)))

# Override per-upload
session.put(b"payload", expiration_policy=TimeToLive(timedelta(hours=1)))
"""

ORIGIN = """
session.put(b"payload", origin="203.0.113.42")
"""

COMPRESSION = """
# upload as-is and record no encoding:
session.put(video_data, compression="none")
"""

METADATA = """
session.put(b"payload", metadata={"source": "upload-service"})
"""

AUTHENTICATION = """
from objectstore_client import Client, Usecase
from objectstore_client.auth import SecretKey

# Option 1: Internal service with a keypair
client = Client(
    "http://localhost:8888",
    token=SecretKey(kid="my-service", secret_key="<private key>"),
)

# Option 2: External service with a pre-signed JWT
# Use SecretKey.token_for_scope() to obtain a static token from an
# internal service, then pass it to the external consumer:
from objectstore_client.scope import Scope

token = SecretKey(
    kid="my-service", secret_key="<private key>",
).token_for_scope("my_app", Scope(org=42, project=1337))

client = Client("http://localhost:8888", token=token)
"""

LEGACY_AUTHENTICATION = """
from objectstore_client import Client, TokenGenerator
from objectstore_client.scope import Scope

generator = TokenGenerator("my-service", "<private key>", expiry_seconds=60)
token = generator.sign_for_scope("attachments", Scope(org=42))
client = Client("http://localhost:8888", token=generator)
session = client.session(Usecase("attachments"), org=42)
minted = session.mint_token()
"""

OBJECT_URLS = """
from datetime import timedelta

session = client.session(Usecase("attachments"), org=42)
url = session.object_url("my-key", token_validity=timedelta(hours=1))
"""

CONFIGURATION = """
from objectstore_client import Client, Usecase

client = Client(
    "http://localhost:8888",
    propagate_traces=False,  # default
    retries=3,               # default: 3 connect retries, no read retries
    timeout_ms=None,         # default: no read timeout (connect: 100ms)
    connection_kwargs={},    # default: empty (override urllib3.HTTPConnectionPool kwargs)
    # metrics_backend=...,   # default: no-op
    # token=...,             # see Authentication section
)

attachments = Usecase("attachments")
"""


def test_readme_examples_run_as_written(objectstore_url: str) -> None:
    private_pem, _ = key_pair()
    namespace: dict[str, Any] = {"video_data": b"\x00\x00\x00\x18ftypmp42"}
    for snippet in (
        QUICK_START, SCOPES, EXPIRATION, ORIGIN, COMPRESSION, METADATA,
        AUTHENTICATION, LEGACY_AUTHENTICATION, OBJECT_URLS, CONFIGURATION,
    ):  # fmt: skip
        code = snippet.replace("http://localhost:8888", objectstore_url)
        code = code.replace('"<private key>"', repr(private_pem))
        if snippet is COMPRESSION:  # upstream 0.2.10 deprecated compression= too
            with pytest.warns(DeprecationWarning, match="use `compress` instead"):
                exec(compile(code, "README.md", "exec"), namespace)
            continue
        exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["content"] == b"Hello, world!"
    assert "os_auth=" in namespace["url"]
    assert namespace["minted"].count(".") == 2
