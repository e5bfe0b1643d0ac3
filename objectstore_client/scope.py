"""Upstream-compatible module: ``Scope`` and its character set."""

from ._constants import EMPTY_SCOPE as EMPTY_SCOPES
from ._fields import SCOPE_VALUE_ALLOWED_CHARS
from ._models import Scope

__all__ = ["EMPTY_SCOPES", "SCOPE_VALUE_ALLOWED_CHARS", "Scope"]
