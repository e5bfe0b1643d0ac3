"""The progress bar: what it draws, and when it stays quiet."""

from __future__ import annotations

import io
import time

import pytest

from objectstore_client.cli._progress import MIN_BYTES, ProgressBar, format_bytes, format_duration


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A controllable time.monotonic for the bar's rate, ETA and redraw throttle."""
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    return now


def test_known_total_shows_percentage_bar_rate_and_eta(clock: list[float]) -> None:
    screen = Terminal()
    bar = ProgressBar("put big.bin", 100 << 20, screen)
    clock[0] += 2
    bar.update(25 << 20)  # 25 MiB in 2 s: 12.5 MiB/s, 75 MiB to go: 6 s
    frame = screen.getvalue().split("\r")[-1]
    assert frame.startswith("put big.bin   25%  [")
    assert "25.0 MiB/100.0 MiB  12.5 MiB/s  ETA 0:06" in frame
    clock[0] += 6
    bar.update(75 << 20)
    bar.finish()
    final = screen.getvalue().split("\r")[-1]
    assert "100%" in final and "in 0:08\x1b[K\n" in final
    assert "." not in final.split("[")[1].split("]")[0]  # the bar is full


def test_unknown_total_shows_bytes_and_rate_once_past_the_threshold(clock: list[float]) -> None:
    screen = Terminal()
    bar = ProgressBar("get k", None, screen)
    clock[0] += 1
    bar.update(MIN_BYTES - 1)
    assert screen.getvalue() == ""
    clock[0] += 1
    bar.update(1 << 20)
    assert "get k  5.0 MiB  2.5 MiB/s" in screen.getvalue()
    bar.finish()
    assert screen.getvalue().endswith("\n")


def test_small_transfers_and_disabled_bars_draw_nothing(clock: list[float]) -> None:
    screen = Terminal()
    small = ProgressBar("put s", MIN_BYTES - 1, screen)
    off = ProgressBar("put b", 100 << 20, screen, enabled=False)
    for bar in (small, off):
        clock[0] += 1
        bar.update(1 << 20)
        bar.finish()
    assert screen.getvalue() == ""


def test_redraws_are_throttled_and_negative_deltas_count_back(clock: list[float]) -> None:
    screen = Terminal()
    bar = ProgressBar("put p", 64 << 20, screen)
    clock[0] += 1
    bar.update(32 << 20)
    bar.update(1 << 20)  # same instant: not redrawn
    assert screen.getvalue().count("\r") == 1
    clock[0] += 1
    bar.update(-(16 << 20))  # a part sent again
    assert "17.0 MiB/64.0 MiB" in screen.getvalue().split("\r")[-1]


def test_formatting() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(1536) == "1.5 KiB"
    assert format_bytes(3 << 30) == "3.0 GiB"
    assert format_duration(75) == "1:15"
    assert format_duration(3725) == "1:02:05"
