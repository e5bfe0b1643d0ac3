"""Socket options of the SDK's connections (no HTTP library here: the httpcore pool uses
them too, with or without httptools installed)."""

from __future__ import annotations

import socket
import sys

__all__ = ["GATHER_AFTER_BYTES", "arm_quickack", "recv_gathering", "tune_socket"]

#: Re-armed before each read on Linux: ends the delayed-ACK wait (see ``arm_quickack``).
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None) if sys.platform == "linux" else None


#: SO_RCVLOWAT, where waiting for it was measured to keep the ACKs flowing (Linux).
_RCVLOWAT: int | None = getattr(socket, "SO_RCVLOWAT", None) if sys.platform == "linux" else None
#: Deep in a large body (a response that has brought this many bytes already) ...
GATHER_AFTER_BYTES = 1024 * 1024
#: ... a read waits until this many bytes have arrived ...
GATHER_BYTES = 64 * 1024
#: ... or this long, then takes what is there.
GATHER_WAIT_SECONDS = 0.001


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


def recv_gathering(
    sock: socket.socket, buffer: bytearray, timeout: float | None, deep: bool
) -> int:
    """``sock.recv_into(buffer)``, but ``deep`` in a large body, fewer and larger reads.

    The real server writes its bodies in ~2.7 KiB chunks with Nagle on: a read then returns
    one ~10 KiB segment, each costing a wake-up and a parse. Deep in a body, the read asks
    the kernel (``SO_RCVLOWAT``) to wake it once ``GATHER_BYTES`` are queued, at most
    ``GATHER_WAIT_SECONDS`` later, then takes what has arrived. The kernel keeps acknowledging
    the segments meanwhile (it acknowledges at once while the queue is below the low-water
    mark), so the server's Nagle never waits for the wake-up; the end of a body costs one
    wait. Plain TCP on Linux only (a TLS socket may hold decrypted bytes the kernel does not
    see); the mark is back to 1 before the function returns.
    """
    if deep and _RCVLOWAT is not None and type(sock) is socket.socket:
        sock.setsockopt(socket.SOL_SOCKET, _RCVLOWAT, GATHER_BYTES)
        try:
            sock.settimeout(GATHER_WAIT_SECONDS)
            try:
                return sock.recv_into(buffer)
            except TimeoutError:
                pass  # fewer bytes than the mark: read them the ordinary way
        finally:
            sock.setsockopt(socket.SOL_SOCKET, _RCVLOWAT, 1)
            sock.settimeout(timeout)
    return sock.recv_into(buffer)
