"""Upstream-compatible module: helpers."""

from ._utils import (
    decode_header_value,
    encode_header_value,
    encode_path,
    encode_query,
    guess_mime_type,
    parse_accept_encoding,
)

__all__ = [
    "decode_header_value",
    "encode_header_value",
    "encode_path",
    "encode_query",
    "guess_mime_type",
    "parse_accept_encoding",
]
