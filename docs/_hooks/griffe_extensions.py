"""Griffe extensions for the API reference (mkdocs.yml loads them).

``DoctestBlocks``: a ``>>>`` example in a docstring is Markdown to mkdocstrings, where ``>``
starts a quote and ``<port>`` is an HTML tag; wrapped in a ``pycon`` fence it renders as code,
while the docstring stays a plain doctest for ``help()`` and IDEs.

``AttrsExtension``: attrs classes get the ``__init__`` that attrs generates. Griffe reads the
source, where an ``@attrs.frozen`` class has no ``__init__``, so the reference showed such
classes without a signature, fields, types or defaults. This extension imports each
attrs class and rebuilds the signature from ``attrs.fields``: every ``init`` field under its
``alias``, the annotation and the default as written in the source (a factory shows as a
call), keyword-only where attrs makes it so. The ``:param`` lines of the class docstring then
describe the parameters (``merge_init_into_class``).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import attrs
import griffe

__all__ = ["AttrsExtension", "DoctestBlocks", "fence_doctests"]

_PROMPT = re.compile(r"^(\s*)(>>>|\.\.\.)( |$)")


def fence_doctests(text: str) -> str:
    """Wrap each run of ``>>>``/``...`` lines (and the output lines after them, up to a blank
    line) in a ``pycon`` code fence; text that is already fenced stays as it is."""
    out: list[str] = []
    in_example = in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        prompt = None if in_fence else _PROMPT.match(line)
        if prompt and not in_example:
            out.append(f"{prompt[1]}```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append(out[-1][: len(out[-1]) - len(out[-1].lstrip())] + "```")
            in_example = False
        out.append(line)
    if in_example:
        out.append("```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Render ``>>>`` examples of every docstring as code."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        seen: set[str] = set()
        stack: list[Any] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.is_alias or obj.path in seen:
                continue
            seen.add(obj.path)
            if obj.docstring is not None and ">>>" in obj.docstring.value:
                obj.docstring.value = fence_doctests(obj.docstring.value)
            stack.extend(obj.members.values())


def _runtime_class(cls: griffe.Class) -> type | None:
    """The class object behind ``cls`` (None if it cannot be imported)."""
    try:
        target: Any = importlib.import_module(cls.module.path)
    except ImportError:
        return None
    for name in cls.path.removeprefix(cls.module.path + ".").split("."):
        target = getattr(target, name, None)
    return target if isinstance(target, type) else None


def _source_default(member: Any) -> str | griffe.Expr | None:
    """The default as written: ``attrs.field(default=X)`` gives ``X``, ``x: int = 5`` gives
    ``5`` (a constant's name stays a name: values such as the upload concurrency depend on
    the machine that builds the docs)."""
    value = getattr(member, "value", None)
    if isinstance(value, griffe.ExprCall):
        if value.canonical_path in ("attrs.field", "attr.ib", "attr.attrib", "attrs.Factory"):
            for argument in value.arguments:
                if isinstance(argument, griffe.ExprKeyword) and argument.name == "default":
                    return argument.value  # type: ignore[no-any-return]
        return None
    return value  # type: ignore[no-any-return]


def _default(field: attrs.Attribute[Any], member: Any) -> str | griffe.Expr | None:
    """The default to show: None when the field is required."""
    default = field.default
    if default is attrs.NOTHING:
        return None
    written = _source_default(member)
    if written is not None:
        return written
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        factory = default.factory  # type: ignore[attr-defined]
        return f"{getattr(factory, '__name__', 'factory')}()"
    return repr(default)


def _init(cls: griffe.Class, runtime: type) -> griffe.Function:
    parameters = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
    for field in attrs.fields(runtime):
        if not field.init:
            continue
        member = cls.all_members.get(field.name)
        annotation = getattr(member, "annotation", None) or field.type
        kind = (
            griffe.ParameterKind.keyword_only
            if field.kw_only
            else griffe.ParameterKind.positional_or_keyword
        )
        parameters.append(
            griffe.Parameter(
                field.alias, annotation=annotation, kind=kind, default=_default(field, member)
            )
        )
    return griffe.Function(
        "__init__",
        lineno=cls.lineno,
        endlineno=cls.lineno,
        parent=cls,
        parameters=griffe.Parameters(*parameters),
        returns="None",
    )


class AttrsExtension(griffe.Extension):
    """Give every attrs class of a loaded package its generated ``__init__``."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        self._visit(pkg, set())

    def _visit(self, obj: griffe.Module | griffe.Class, seen: set[str]) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if isinstance(obj, griffe.Class) and "__init__" not in obj.members:
            runtime = _runtime_class(obj)
            if runtime is not None and attrs.has(runtime):
                obj.set_member("__init__", _init(obj, runtime))
        for member in list(obj.members.values()):
            if not member.is_alias and (member.is_module or member.is_class):
                self._visit(member, seen)  # type: ignore[arg-type]
