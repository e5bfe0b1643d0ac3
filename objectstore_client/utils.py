"""Upstream-compatible module: helpers."""

from ._utils import guess_mime_type, parse_accept_encoding

__all__ = ["guess_mime_type", "parse_accept_encoding"]
