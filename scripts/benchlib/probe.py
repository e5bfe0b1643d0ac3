"""Process measurements for workers: RSS from /proc, peak-RSS reset, client CPU time."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass

MIB = 1024 * 1024


def _status_kib(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def rss_mib() -> float:
    """Current resident set size (MiB)."""
    kib = _status_kib("VmRSS")
    return (kib or 0.0) / 1024


def peak_rss_mib() -> float:
    """Peak resident set size since start or the last :func:`reset_peak` (MiB)."""
    kib = _status_kib("VmHWM")
    if kib is None:  # not Linux: the lifetime peak
        kib = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return kib / 1024


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def cpu_s() -> float:
    """User + system CPU seconds of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


#: The server process whose CPU each Timer also measures (``--server-pid``), if any.
SERVER_PID: int | None = None
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of another process (Linux ``/proc``); None if unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


@dataclass
class Span:
    """Wall and CPU seconds of one timed phase (``server_cpu``: the server's, if known)."""

    wall: float = 0.0
    cpu: float = 0.0
    server_cpu: float | None = None


class Timer:
    """``with Timer() as t: ...`` then ``t.span``."""

    def __enter__(self) -> Timer:
        self._server = None if SERVER_PID is None else process_cpu_s(SERVER_PID)
        self._wall, self._cpu = time.perf_counter(), cpu_s()
        return self

    def __exit__(self, *exc: object) -> None:
        wall, cpu = time.perf_counter() - self._wall, cpu_s() - self._cpu
        server = None
        if self._server is not None and SERVER_PID is not None:
            end = process_cpu_s(SERVER_PID)
            server = None if end is None else end - self._server
        self.span = Span(wall, cpu, server)
