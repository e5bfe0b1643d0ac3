"""The steps both default engines perform for one exchange (``_h1.exchange_steps``), stepped
by hand: the write, the reads of the head, and an answer sent before a write failed."""

from __future__ import annotations

import pytest

from objectstore_client._engines._errors import ReadError, ReadTimeout, WriteError
from objectstore_client._engines._h1 import READ, WRITE, Exchange, exchange_steps, next_step

HEAD = b"HTTP/1.1 413 Too Large\r\ncontent-length: 0\r\n\r\n"


def test_write_then_read_until_the_head_is_in() -> None:
    exchange = Exchange(no_body=False)
    steps = exchange_steps(exchange)
    assert next_step(steps) == WRITE
    assert next_step(steps) == READ
    exchange.feed(HEAD[:10])
    assert next_step(steps) == READ
    exchange.feed(HEAD[10:])
    assert next_step(steps) is None
    assert exchange.status == 413


def test_a_failed_write_reads_the_answer_sent_before_it() -> None:
    exchange = Exchange(no_body=False)
    steps = exchange_steps(exchange)
    assert next_step(steps) == WRITE
    assert next_step(steps, WriteError("broken pipe")) == READ
    exchange.feed(HEAD)
    assert next_step(steps) is None
    assert exchange.status == 413


def test_a_failed_write_without_an_answer_raises_the_write_error() -> None:
    exchange = Exchange(no_body=False)
    steps = exchange_steps(exchange)
    assert next_step(steps) == WRITE
    assert next_step(steps, WriteError("broken pipe")) == READ
    with pytest.raises(WriteError, match="broken pipe"):
        next_step(steps, ReadError("reset"))


def test_a_failed_read_after_a_good_write_is_raised_as_it_is() -> None:
    steps = exchange_steps(Exchange(no_body=False))
    assert next_step(steps) == WRITE
    assert next_step(steps) == READ
    with pytest.raises(ReadTimeout):
        next_step(steps, ReadTimeout("slow"))
