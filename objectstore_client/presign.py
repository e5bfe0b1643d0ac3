"""Upstream-compatible module: pre-signing constants and the canonical form."""

from ._core.presign import (
    MAX_PRESIGN_DURATION,
    PARAM_DURATION,
    PARAM_KID,
    PARAM_SIG,
    PARAM_TIMESTAMP,
    SUPPORTED_METHODS,
    build_canonical_form,
)

__all__ = [
    "MAX_PRESIGN_DURATION",
    "PARAM_DURATION",
    "PARAM_KID",
    "PARAM_SIG",
    "PARAM_TIMESTAMP",
    "SUPPORTED_METHODS",
    "build_canonical_form",
]
