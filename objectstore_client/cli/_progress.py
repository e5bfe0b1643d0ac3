"""A one-line progress bar for terminals: bytes, percentage, rate and ETA.

Drawn on a terminal only (never into a pipe or a file), and only once a transfer is known or
seen to exceed :data:`MIN_BYTES`, so small transfers stay quiet. Thread-safe: the SDK reports
multipart upload progress from worker threads.
"""

from __future__ import annotations

import shutil
import threading
import time
from typing import TextIO

__all__ = ["MIN_BYTES", "ProgressBar", "format_bytes", "format_duration"]

#: Transfers below this many bytes never show a bar.
MIN_BYTES = 4 << 20
_REDRAW_SECONDS = 0.1


def format_bytes(count: float) -> str:
    """``1536`` -> ``1.5 KiB``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(count) < 1024 or unit == "TiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def format_duration(seconds: float) -> str:
    """``75`` -> ``1:15``; ``3725`` -> ``1:02:05``."""
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """``label  42% [#####.....]  42.0/100.0 MiB  12.3 MiB/s  ETA 0:05`` on one line.

    Without a known ``total`` it shows the bytes so far and the rate. ``enabled=False`` makes
    every method a no-op, so callers need no branches.
    """

    def __init__(
        self, label: str, total: int | None, stream: TextIO, *, enabled: bool = True
    ) -> None:
        self._label = label
        self._total = total
        self._stream = stream
        self._enabled = enabled and (total is None or total >= MIN_BYTES)
        self._done = 0
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False
        self._lock = threading.Lock()

    def update(self, delta: int) -> None:
        """Count ``delta`` more bytes (negative when a part is sent again) and redraw."""
        if not self._enabled:
            return
        with self._lock:
            self._done += delta
            now = time.monotonic()
            if now - self._last_draw < _REDRAW_SECONDS:
                return
            if self._total is None and self._done < MIN_BYTES:
                return
            self._last_draw = now
            self._draw(now)

    def finish(self) -> None:
        """Draw the final state and end the line (if anything was drawn)."""
        if not self._enabled:
            return
        with self._lock:
            if self._drawn or (self._total is None and self._done >= MIN_BYTES):
                self._draw(time.monotonic(), final=True)
                self._stream.write("\n")
                self._stream.flush()

    def _draw(self, now: float, final: bool = False) -> None:
        elapsed = max(now - self._start, 1e-6)
        rate = self._done / elapsed
        parts = [self._label]
        if self._total:
            fraction = min(max(self._done / self._total, 0.0), 1.0)
            parts.append(f"{fraction:4.0%}")
            parts.append("{bar}")
            parts.append(f"{format_bytes(self._done)}/{format_bytes(self._total)}")
        else:
            parts.append(format_bytes(self._done))
        parts.append(f"{format_bytes(rate)}/s")
        if final:
            parts.append(f"in {format_duration(elapsed)}")
        elif self._total and rate > 0:
            parts.append(f"ETA {format_duration(max(self._total - self._done, 0) / rate)}")
        line = "  ".join(parts)
        if self._total:
            width = shutil.get_terminal_size((80, 24)).columns
            room = max(min(width - len(line) + len("{bar}") - 3, 40), 10)
            filled = int(room * min(max(self._done / self._total, 0.0), 1.0))
            line = line.replace("{bar}", "[" + "#" * filled + "." * (room - filled) + "]")
        self._stream.write("\r" + line + "\x1b[K")
        self._stream.flush()
        self._drawn = True
