"""Upstream-compatible module: signing keys, permissions and token providers."""

from ._core.tokens import SecretKey, TokenGenerator, TokenProvider
from ._models import Permission

__all__ = ["Permission", "SecretKey", "TokenGenerator", "TokenProvider"]
