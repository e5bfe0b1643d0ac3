"""Upstream-compatible module: signing keys, permissions and token providers."""

from ._core.tokens import SecretKey, TokenGenerator, TokenProvider
from ._models import Permission, Scope

__all__ = ["Permission", "Scope", "SecretKey", "TokenGenerator", "TokenProvider"]
