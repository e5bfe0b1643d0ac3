"""Pytest plugin (registered as the ``objectstore`` ``pytest11`` entry point).

Fixtures, all without configuration:

``objectstore_server``
    Session-scoped :class:`LocalObjectstore` (filesystem storage in a temp dir, auth off).
``objectstore_url``
    Session-scoped ``str``: the URL of ``objectstore_server``.
``objectstore_isolated_server``
    Function-scoped fresh server with its own temporary data dir.
``objectstore_fake_clock``
    Function-scoped :class:`FakeClock` starting at the current time.
``objectstore_server_factory``
    Function-scoped callable taking :class:`LocalObjectstore` keyword arguments and returning
    a started server; every server it made is stopped at teardown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ._clock import FakeClock
from ._server import LocalObjectstore

__all__ = [
    "objectstore_fake_clock",
    "objectstore_isolated_server",
    "objectstore_server",
    "objectstore_server_factory",
    "objectstore_url",
]

ServerFactory = Callable[..., LocalObjectstore]


@pytest.fixture(scope="session")
def objectstore_server() -> Iterator[LocalObjectstore]:
    """A local Objectstore shared by the whole test session (auth off)."""
    with LocalObjectstore() as server:
        yield server


@pytest.fixture(scope="session")
def objectstore_url(objectstore_server: LocalObjectstore) -> str:
    """Base URL of the session server, e.g. ``http://127.0.0.1:54321``."""
    return objectstore_server.url


@pytest.fixture
def objectstore_isolated_server() -> Iterator[LocalObjectstore]:
    """A fresh local Objectstore with its own temporary data dir, for one test."""
    with LocalObjectstore() as server:
        yield server


@pytest.fixture
def objectstore_fake_clock() -> FakeClock:
    """A :class:`FakeClock` at the current time; pass it as ``clock=`` to a server."""
    return FakeClock()


@pytest.fixture
def objectstore_server_factory() -> Iterator[ServerFactory]:
    """Start servers with custom options; all are stopped when the test ends."""
    servers: list[LocalObjectstore] = []

    def make(**kwargs: Any) -> LocalObjectstore:
        server = LocalObjectstore(**kwargs)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in reversed(servers):
        server.stop()
