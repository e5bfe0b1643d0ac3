"""Metrics over real HTTP: a backend receives every operation's records; the default backend
discards them, so the client does not build them at all."""

from __future__ import annotations

from objectstore_client import Usecase
from objectstore_client.metrics import NoOpMetricsBackend, Tags
from tests.e2e.adapter import ClientAdapter


class Recorder(NoOpMetricsBackend):
    """A subclass of the no-op backend that records: it must still be fed."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def distribution(
        self,
        name: str,
        value: int | float,
        tags: Tags | None = None,
        unit: str | None = None,
    ) -> None:
        self.names.append(name)


async def test_records_reach_a_backend_and_are_skipped_without_one(
    kind: str, objectstore_url: str
) -> None:
    recorder = Recorder()
    fed = ClientAdapter(kind, objectstore_url, metrics_backend=recorder)
    silent = ClientAdapter(kind, objectstore_url)
    try:
        for adapter in (fed, silent):
            session = adapter.session(Usecase("attachments"), org=1)
            await session.put(b"metrics " * 200, key="m")
            assert await session.head("m") is not None
            await session.delete("m")
        assert {"storage.put.latency", "storage.put.size", "storage.head.latency"} <= set(
            recorder.names
        )
        assert "storage.delete.latency" in recorder.names
        assert fed.raw._ctx.metrics is True
        assert silent.raw._ctx.metrics is False  # the default backend: nothing is built
    finally:
        await fed.close()
        await silent.close()
