"""Stepping a flow generator by hand: the test plays the driver, sends each answer in and
asserts the effect the flow yields next (no network, no event loop, no clock)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
import httpx

from objectstore_client._core.flows import Effect, Flow, OpContext
from objectstore_client._core.plan import SessionInfo
from objectstore_client._core.retry import RetryPolicy
from objectstore_client._core.tokens import TokenCache
from objectstore_client._core.urls import BaseUrl
from objectstore_client._models import Scope, Usecase

T = TypeVar("T")
E = TypeVar("E")

#: every error message names the path as sent, with this base URL's prefix
BASE = BaseUrl("http", "objectstore.test", 80, "/pre", "http://objectstore.test/pre")


class Clock:
    """A clock the test moves: every read advances it by ``tick`` seconds."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now = 0.0
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def context(*, retries: int = 2, clock: Clock | None = None, deadline: float = 10.0) -> OpContext:
    """An OpContext with a fixed jitter (delays are half the backoff) and the BASE URL."""
    policy = RetryPolicy(retries, deadline=deadline, initial_delay=0.1)
    return OpContext(policy, clock or Clock(), lambda: 0.0, BASE)


def session(compression: str = "none") -> SessionInfo:
    usecase = Usecase("u", compression=compression)  # type: ignore[arg-type]
    return SessionInfo(usecase, Scope(org=1), None, TokenCache(lambda: 0.0))


@attrs.frozen(eq=False)
class Answer:
    """A response as flows see it: a status and case-insensitive headers."""

    status_code: int
    headers: httpx.Headers

    @classmethod
    def of(cls, status: int, headers: Mapping[str, str] | None = None) -> Answer:
        return cls(status, httpx.Headers(dict(headers or {})))


class Step:
    """A flow in progress: ``effect`` is what it yields now; ``result`` once it returned."""

    def __init__(self, flow: Flow[Any]) -> None:
        self.flow = flow
        self.result: Any = None
        self.done = False
        self.effect: Effect | None = next(flow)

    def expect(self, kind: type[E]) -> E:
        """The current effect, which must be a ``kind``."""
        assert isinstance(self.effect, kind), f"expected {kind.__name__}, got {self.effect!r}"
        return self.effect

    def answer(self, value: object = None) -> Step:
        """Send the driver's answer to the current effect in; step to the next effect."""
        return self._advance(lambda: self.flow.send(value))

    def fail(self, error: BaseException) -> Step:
        """Throw an error (a TransportError of the engine) in at the current effect."""
        return self._advance(lambda: self.flow.throw(error))

    def _advance(self, step: Any) -> Step:
        assert not self.done, "the flow already returned"
        try:
            self.effect = step()
        except StopIteration as stop:
            self.effect, self.result, self.done = None, stop.value, True
        return self

    def returned(self) -> Any:
        """What the flow returned (it must have)."""
        assert self.done, f"the flow still yields {self.effect!r}"
        return self.result
