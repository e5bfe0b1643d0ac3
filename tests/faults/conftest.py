"""Fixtures of the fault suite: a FaultProxy in front of the shared local server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from objectstore_client.testing.faults import FaultProxy


@pytest.fixture
def proxy(objectstore_url: str) -> Iterator[FaultProxy]:
    """A fresh fault proxy (no rules) in front of the session's local server."""
    with FaultProxy(objectstore_url) as running:
        yield running
