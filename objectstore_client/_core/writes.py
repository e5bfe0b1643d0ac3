"""The write arguments of an object (key, compression, content type, metadata, expiration,
origin, filename) as one value, validated once and turned into the generated request
builders' arguments in one place: put, insert, multipart initiate and batch inserts all
send the same write headers from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from objectstore_generated.types import UNSET, Unset

from .._exceptions import InvalidInput
from .._models import ExpirationPolicy, Usecase, format_expiration
from .validate import (
    check_compression,
    check_header_value,
    check_key,
    check_metadata,
    metadata_value,
)

__all__ = ["Write", "WriteOptions"]


def _opt(value: str | None) -> str | Unset:
    return UNSET if value is None else value


@attrs.frozen(kw_only=True)
class WriteOptions:
    """What the caller said about the object to write (``None``: the usecase's default or
    nothing). ``resolve`` checks it against a usecase before any request."""

    key: str | None = None
    compression: str | None = None
    content_type: str | None = None
    metadata: Mapping[str, str] | None = None
    expiration_policy: ExpirationPolicy | None = None
    origin: str | None = None
    filename: str | None = None

    def resolve(self, usecase: Usecase) -> Write:
        """Validate every field (InvalidInput) and apply the usecase's defaults."""
        chosen = check_compression(self.compression, allow_none=True) or usecase.compression
        compress = chosen == "zstd"
        custom = check_metadata(self.metadata)
        policy = self.expiration_policy or usecase.expiration_policy
        expiration = format_expiration(policy) if policy is not None else None
        args: dict[str, Any] = {
            "x_sn_expiration": _opt(expiration),
            # upstream sends origin only when truthy, filename whenever not None
            # metadata values go percent-encoded (upstream 0.2.1+), so any str is accepted
            "x_sn_origin": metadata_value("origin", self.origin) if self.origin else UNSET,
            "x_sn_filename": _opt(
                None if self.filename is None else metadata_value("filename", self.filename)
            ),
            "content_encoding": "zstd" if compress else UNSET,
            "content_type": None
            if self.content_type is None
            else check_header_value("content_type", self.content_type),
            "metadata": custom,
        }
        key = self.key
        if key is not None and not isinstance(key, str):
            raise InvalidInput(f"key must be a str, got {type(key).__name__}")
        return Write(key=check_key(key) if key else None, compress=compress, builder_args=args)


@attrs.frozen(kw_only=True)
class Write:
    """Validated write options: the key (None: the server picks one), whether the body is
    zstd-compressed, and the keyword arguments of the write request builders."""

    key: str | None
    compress: bool
    builder_args: dict[str, Any] = attrs.field(repr=False)
