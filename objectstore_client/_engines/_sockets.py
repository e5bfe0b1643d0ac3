"""Socket options of the SDK's connections (no HTTP library here: the httpcore pool uses
them too, with or without httptools installed)."""

from __future__ import annotations

import socket
import sys

__all__ = ["arm_quickack", "tune_socket"]

#: Re-armed before each read on Linux: ends the delayed-ACK wait (see ``arm_quickack``).
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None) if sys.platform == "linux" else None


def tune_socket(sock: socket.socket) -> None:
    """Options for a new connection: no Nagle (the engines coalesce small writes themselves)."""
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    arm_quickack(sock)


def arm_quickack(sock: socket.socket) -> None:
    """Acknowledge the next segments at once instead of after the delayed-ACK timer.

    A server that writes a response in more than one segment without ``TCP_NODELAY`` (the
    real Objectstore does) holds the second segment back until the first is acknowledged;
    a client that delays that ACK waits 15-40 ms for every kept-alive GET. Linux leaves
    quick-ACK mode on its own, so it is re-armed before every read. No-op elsewhere.
    """
    if _QUICKACK is not None:
        try:  # noqa: SIM105 - hot path: try is cheaper than contextlib.suppress
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        except OSError:  # a closed or non-TCP socket: the read reports the real problem
            pass
