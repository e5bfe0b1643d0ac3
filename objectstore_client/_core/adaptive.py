"""Adaptive compression: whether a payload is worth zstd, decided from its first bytes.

A put whose ``compress`` is not given (or ``"auto"``) on a usecase that compresses looks at
the start of its contents: data that already is compressed (PNG, JPEG, GIF, WebP, zip,
gzip, zstd, xz, bzip2, 7z, MP4, WebM, Ogg, FLAC, MP3) is stored as it is, and anything else
of at least ``ADAPTIVE_PROBE_MIN_BYTES`` is compressed once at zstd's fastest level over its
first ``ADAPTIVE_PROBE_BYTES``: when that saves less than ``ADAPTIVE_MIN_SAVING``, the
payload is stored as it is too. Such an object simply has no ``Content-Encoding``, as with
``compress="none"``: readers need nothing new. No I/O happens here.
"""

from __future__ import annotations

import attrs
import zstandard

from .._constants import (
    ADAPTIVE_MIN_SAVING,
    ADAPTIVE_PROBE_BYTES,
    ADAPTIVE_PROBE_MIN_BYTES,
)
from .._exceptions import InvalidInput
from .codec import CompressorPool

__all__ = ["AUTO", "Decision", "compressed_format", "decide", "split_auto"]

AUTO = "auto"

#: Leading bytes of formats that are compressed already (zstd gains ~nothing on them).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bzip2"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1a\x45\xdf\xa3", "WebM/Matroska"),
    (b"OggS", "Ogg"),
    (b"fLaC", "FLAC"),
    (b"ID3", "MP3"),
)
_PREFIXES = tuple(prefix for prefix, _ in _MAGIC)


@attrs.frozen
class Decision:
    """Whether to compress, and why (for logs and tests)."""

    compress: bool
    reason: str


def compressed_format(sample: bytes | memoryview) -> str | None:
    """The name of the compressed format ``sample`` starts with, or None."""
    head = bytes(sample[:16])
    if head.startswith(_PREFIXES):
        return next(name for prefix, name in _MAGIC if head.startswith(prefix))
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime"
    return None


#: Fast compressors for the probe (level 1, no checksum: only the size is used), reused.
_PROBE = CompressorPool(lambda: zstandard.ZstdCompressor(level=1, write_checksum=False), keep=8)


def _probe_saving(sample: bytes | memoryview) -> float:
    return 1 - len(_PROBE.compress(sample)) / len(sample)


def decide(sample: bytes | memoryview) -> Decision:
    """Whether a payload starting with ``sample`` (its first ``ADAPTIVE_PROBE_BYTES`` or
    all of it) is worth compressing."""
    found = compressed_format(sample)
    if found is not None:
        return Decision(False, f"{found} data is compressed already")
    probe = sample[:ADAPTIVE_PROBE_BYTES]
    if len(probe) < ADAPTIVE_PROBE_MIN_BYTES:
        return Decision(True, "too small to be worth a probe")
    saving = _probe_saving(probe)
    if saving < ADAPTIVE_MIN_SAVING:
        return Decision(False, f"the first {len(probe)} bytes compress by only {saving:.1%}")
    return Decision(True, f"the first {len(probe)} bytes compress by {saving:.1%}")


def split_auto(compress: object) -> tuple[object, bool]:
    """``compress`` for ``resolve_put_encoding`` (``"auto"`` removed: the usecase's default
    then applies) and whether the adaptive decision is wanted (``"auto"`` or not given)."""
    if compress == AUTO:
        return None, True
    if compress is not None and compress != "" and not isinstance(compress, str):
        raise InvalidInput(
            f"Invalid compression: {compress!r} (compress must be 'auto', 'zstd' or 'none')"
        )
    return compress, compress is None or compress == ""
