"""How a put sends its bytes, from upstream 0.2.x's arguments: ``compress=`` (compress while
sending, or not), ``precompressed=`` (the bytes already are zstd: send them verbatim, labelled),
and the deprecated ``compression=`` (an alias of ``compress=`` that warns). No I/O.
"""

from __future__ import annotations

import warnings
from typing import Literal

import attrs

from .._exceptions import InvalidInput
from .._fields import check_compression

__all__ = ["PutEncoding", "resolve_put_encoding"]


@attrs.frozen
class PutEncoding:
    """What to do with an upload's bytes."""

    #: the encoding the object is stored with (its ``Content-Encoding``, if zstd)
    compression: Literal["zstd", "none"]
    #: the contents already are in that encoding: send them verbatim
    precompressed: bool = False

    @property
    def compress(self) -> bool:
        """Whether the SDK compresses the contents while sending them."""
        return self.compression == "zstd" and not self.precompressed


def resolve_put_encoding(
    default: Literal["zstd", "none"],
    compress: object = None,
    compression: object = None,
    precompressed: object = None,
    *,
    stacklevel: int = 3,
) -> PutEncoding:
    """Resolve a put's encoding arguments; ``default`` is the usecase's compression.

    ``compression`` warns (DeprecationWarning, at ``stacklevel``: the caller of ``put`` by
    default) and acts as ``compress``. Passing ``compress`` together with ``compression`` or
    with ``precompressed``, or a value other than ``"zstd"``/``"none"`` (``"zstd"`` only for
    ``precompressed``), raises InvalidInput (a ValueError) with upstream's wording.
    """
    if compression is not None:
        warnings.warn(
            "`compression` is deprecated, use `compress` instead",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        if compress is not None:
            raise InvalidInput("Cannot pass both `compress` and `compression`")
        compress = compression
    if compress is not None and precompressed is not None:
        raise InvalidInput("Cannot pass both `compress` and `precompressed`")
    wanted = check_compression(compress, allow_none=True, name="compress")
    if check_compression(precompressed, allow_none=True, name="precompressed", allowed=("zstd",)):
        return PutEncoding("zstd", precompressed=True)
    return PutEncoding("zstd" if (wanted or default) == "zstd" else "none")
