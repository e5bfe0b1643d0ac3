"""The only client-specific code: build a client of whichever package this venv holds.

Ours and upstream share the import name ``objectstore_client`` and the public API used here
(``Client``, ``Usecase``, ``session.put/get/head/delete``), so this module types them ``Any``.
Features only ours has are feature-detected: a missing one raises :class:`NotAvailable`.
"""

from __future__ import annotations

import importlib.metadata
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class NotAvailable(Exception):
    """This client has no API for the workload (reported as n/a, not as a failure)."""


@dataclass(frozen=True)
class Target:
    """Where to connect and as whom."""

    url: str
    usecase: str = "bench"
    scopes: dict[str, str] = field(default_factory=lambda: {"org": "1", "project": "1"})
    token: str | None = None
    key_id: str | None = None
    key_file: str | None = None


def version() -> str:
    """The installed version in this venv: ours (``objectstore-sdk``) or upstream's."""
    try:
        return importlib.metadata.version("objectstore-sdk")
    except importlib.metadata.PackageNotFoundError:
        return importlib.metadata.version("objectstore-client")


def _module() -> Any:
    import objectstore_client

    # upstream's pool (maxsize=1) warns for every connection it drops under concurrency
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    return objectstore_client


def _token(mod: Any, target: Target) -> Any:
    if target.key_id and target.key_file:
        pem = Path(target.key_file).read_text(encoding="ascii")
        return mod.TokenGenerator(target.key_id, pem)
    return target.token


def make_client(target: Target, *, pool_size: int | None = None, asynchronous: bool = False) -> Any:
    """A ``Client`` (or ``AsyncClient``) for ``target`` with the library's defaults."""
    mod = _module()
    kwargs: dict[str, Any] = {}
    token = _token(mod, target)
    if token is not None:
        kwargs["token"] = token
    if pool_size is not None:
        kwargs["connection_kwargs"] = {"maxsize": pool_size}
    if asynchronous:
        if not hasattr(mod, "AsyncClient"):
            raise NotAvailable("no AsyncClient")
        return mod.AsyncClient(target.url, **kwargs)
    return mod.Client(target.url, **kwargs)


def session(client: Any, target: Target) -> Any:
    """A session for the target's usecase and scopes."""
    return client.session(_module().Usecase(target.usecase), **target.scopes)


def require(obj: Any, *names: str) -> None:
    """Raise NotAvailable unless ``obj`` has every attribute in ``names``."""
    missing = [n for n in names if not hasattr(obj, n)]
    if missing:
        raise NotAvailable(f"{type(obj).__name__} has no {', '.join(missing)}")


def close(client: Any) -> None:
    """Close the client's pool if it can be closed (upstream has no close)."""
    closer = getattr(client, "close", None)
    if closer is not None:
        closer()


def read_all(payload: Any, chunk: int = 1024 * 1024) -> int:
    """Drain a get() payload in ``chunk`` reads; returns the byte count."""
    total = 0
    while True:
        data = payload.read(chunk)
        if not data:
            return total
        total += len(data)


class Batch:
    """Many small objects: ``write([(key, bytes)])``, ``read(keys) -> [bytes]``, ``delete``.

    This base class loops over single requests (what upstream users do); subclasses adapt
    a real batch API.
    """

    def __init__(self, session: Any) -> None:
        self.session = session

    def write(self, items: list[tuple[str, bytes]]) -> None:
        for key, body in items:
            self.session.put(body, key=key)

    def read(self, keys: list[str]) -> list[bytes]:
        out = []
        for key in keys:
            got = self.session.get(key)
            out.append(b"" if got is None else got[1].read())
        return out

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            self.session.delete(key)


def _checked(results: Any) -> list[Any]:
    """Batch results, raising on the first per-operation error (an ``OperationError``)."""
    out = list(results)
    for result in out:
        if hasattr(result, "message") and hasattr(result, "status"):
            raise RuntimeError(f"batch operation failed: {result!r}")
    return out


class ManyBatch(Batch):
    """Ours: ``put_many({key: bytes})``, ``get_many(keys)`` (``.data``), ``delete_many``."""

    def write(self, items: list[tuple[str, bytes]]) -> None:
        _checked(self.session.put_many(dict(items)))

    def read(self, keys: list[str]) -> list[bytes]:
        return [r.data or b"" for r in _checked(self.session.get_many(keys))]

    def delete(self, keys: list[str]) -> None:
        _checked(self.session.delete_many(keys))


def batch_api(session: Any, kind: str) -> Batch:
    """Upstream: the loop. Ours: its batch API, or NotAvailable until it lands."""
    if kind != "ours":
        return Batch(session)
    require(session, "put_many", "get_many", "delete_many")
    return ManyBatch(session)
