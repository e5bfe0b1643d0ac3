"""The README demo: put/get/head/delete through the SDK against a local Objectstore server."""

from __future__ import annotations

import sys
from datetime import timedelta

from objectstore_client import Client, TimeToLive, Usecase
from objectstore_client.testing import LocalObjectstore


def main() -> int:
    """Start a server, talk to it through the SDK, say what happened, stop it."""
    with LocalObjectstore() as server:
        print(f"local Objectstore running at {server.url}")
        with Client(server.url) as client:
            usecase = Usecase("attachments", expiration_policy=TimeToLive(timedelta(days=1)))
            session = client.session(usecase, org=42, project=1337)

            payload = b"Hello, Objectstore! " * 64
            key = session.put(payload, content_type="text/plain", metadata={"origin": "demo"})
            print(f"put      {len(payload)} bytes -> key {key!r} (zstd-compressed on the wire)")

            named = session.put(b"a named object", key="reports/2026/summary.txt")
            print(f"put      14 bytes -> key {named!r}")

            result = session.get(key)
            assert result is not None
            body = result.payload.read()
            content_type = result.metadata.content_type
            print(f"get      {key!r}: {len(body)} bytes, content-type {content_type}")
            assert body == payload

            meta = session.head(key)
            assert meta is not None
            print(
                f"head     {key!r}: expiration {meta.expiration_policy}, "
                f"created {meta.time_created}, custom {meta.custom}"
            )

            for k in (key, named):
                session.delete(k)
                print(f"delete   {k!r}")
            print(f"get      {key!r} after delete -> {session.get(key)}")
    print("local Objectstore stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
