"""Compare this SDK with a recorded upstream API (``upstream_api/<version>.json``).

A difference is a string naming the place and the problem; the tests allow only the listed,
reasoned ones. Compatible means: code written against upstream runs here. So a name must
exist with the same kind; a positional parameter must sit at the same position under the same
name; a keyword parameter must be accepted by name; an upstream default must exist here with
the same value; parameters this SDK adds must be optional.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import pathlib
import re
from typing import Any

__all__ = ["VERSIONS", "differences", "load"]

DATA = pathlib.Path(__file__).parent / "upstream_api"
VERSIONS = ("0.1.6", "0.2.10")

Param = list[Any]  # [name, kind, default]: upstream's default is a repr or None (none)
_NONE = object()  # our parameter has no default
_KIND = {
    inspect.Parameter.POSITIONAL_ONLY: "po",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "pk",
    inspect.Parameter.VAR_POSITIONAL: "var",
    inspect.Parameter.KEYWORD_ONLY: "kw",
    inspect.Parameter.VAR_KEYWORD: "varkw",
}
_CLASS_REPR = re.compile(r"^<class '(?:[\w.]+\.)?(\w+)'>$")


def load(version: str) -> dict[str, Any]:
    """The recorded API of an upstream version."""
    data: dict[str, Any] = json.loads((DATA / f"{version}.json").read_text())
    return data


def _ours(obj: Any, drop_first: bool = False) -> list[Param] | None:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    items = list(signature.parameters.values())[1 if drop_first else 0 :]
    return [
        [p.name, _KIND[p.kind], _NONE if p.default is inspect.Parameter.empty else p.default]
        for p in items
    ]


def _same_default(theirs: str, ours: Any) -> bool:
    match = _CLASS_REPR.match(theirs)
    if match:  # a class default (error_type=RequestError): same class name
        return inspect.isclass(ours) and ours.__name__ == match.group(1)
    return repr(ours) == theirs


def _signature(where: str, theirs: list[Param] | None, ours: list[Param] | None) -> list[str]:
    if theirs is None:
        return []
    if ours is None:
        return [f"{where}: no inspectable signature"]
    problems: list[str] = []
    by_name = {p[0]: p for p in ours}
    kinds = {p[1] for p in ours}
    for index, (name, kind, default) in enumerate(theirs):
        if kind in ("var", "varkw"):
            if kind not in kinds:
                problems.append(f"{where}: accepts no {'*args' if kind == 'var' else '**kwargs'}")
            continue
        mine = by_name.get(name)
        if kind in ("po", "pk"):
            at = ours[index] if index < len(ours) else None
            if at is None or at[1] not in ("po", "pk") or (kind == "pk" and at[0] != name):
                problems.append(f"{where}: positional parameter {index} is not {name!r}")
                continue
            mine = at
        elif mine is None or mine[1] not in ("pk", "kw"):
            if "varkw" not in kinds:
                problems.append(f"{where}: keyword parameter {name!r} missing")
            continue
        if default is not None:
            if mine[2] is _NONE:
                problems.append(f"{where}: parameter {name!r} has no default")
            elif not _same_default(default, mine[2]):
                problems.append(f"{where}: default of {name!r} is {mine[2]!r}, not {default}")
    upstream_names = {p[0] for p in theirs}
    for name, kind, default in ours:
        if name not in upstream_names and kind in ("po", "pk", "kw") and default is _NONE:
            problems.append(f"{where}: extra parameter {name!r} is required")
    return problems


def _has_field(cls: type, name: str) -> bool:
    if hasattr(cls, name):
        return True
    init = _ours(cls)
    return init is not None and any(p[0] == name for p in init)


def _class(where: str, spec: dict[str, Any], cls: Any) -> list[str]:
    if not inspect.isclass(cls):
        return [f"{where}: not a class"]
    problems: list[str] = []
    mro = {base.__name__ for base in cls.__mro__}
    for base in set(spec["bases"]) & {"RequestError", "Exception", "ValueError", "str", "tuple"}:
        if base not in mro:
            problems.append(f"{where}: not a subclass of {base}")
    if "Enum" in spec["bases"]:
        ours = {m.name: m.value for m in cls} if issubclass(cls, enum.Enum) else {}
        if ours != spec["enum"]:
            problems.append(f"{where}: enum members {ours} != {spec['enum']}")
    # (*args, **kwargs) is object's or Protocol's constructor; an enum is called with a value
    generic = [p[1] for p in spec["init"] or []] == ["var", "varkw"]
    if not generic and "Enum" not in spec["bases"]:
        problems += _signature(f"{where}()", spec["init"], _ours(cls))
    for field in spec.get("fields", []):
        if not _has_field(cls, field):
            problems.append(f"{where}.{field}: field missing")
    for name, member in spec["members"].items():
        place = f"{where}.{name}"
        if not _has_field(cls, name):
            problems.append(f"{place}: missing")
            continue
        if member["kind"] in ("method", "classmethod", "staticmethod"):
            raw = inspect.getattr_static(cls, name)
            value = getattr(cls, name)
            if not callable(value):
                problems.append(f"{place}: not callable")
                continue
            bound = member["kind"] == "method" and not isinstance(raw, (classmethod, staticmethod))
            problems += _signature(f"{place}()", member["params"], _ours(value, bound))
    return problems


def _value(where: str, spec: dict[str, Any], value: Any) -> list[str]:
    kind = spec["kind"]
    if kind == "class":
        return _class(where, spec, value)
    if kind == "function":
        if not callable(value):
            return [f"{where}: not callable"]
        return _signature(f"{where}()", spec["params"], _ours(value))
    if kind == "set":
        ours = sorted(map(str, value)) if isinstance(value, (set, frozenset)) else value
        return [] if ours == spec["value"] else [f"{where}: {ours!r} != {spec['value']!r}"]
    if kind == "constant" and repr(value) != spec["repr"]:
        return [f"{where}: value {value!r} != {spec['repr']}"]
    return []


def differences(api: dict[str, Any]) -> list[str]:
    """Every way this SDK's API differs from the recorded one."""
    problems: list[str] = []
    for module_name, entry in api["modules"].items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            problems.append(f"{module_name}: module missing")
            continue
        for name, spec in entry["names"].items():
            where = f"{module_name}.{name}"
            if not hasattr(module, name):
                problems.append(f"{where}: missing")
                continue
            problems += _value(where, spec, getattr(module, name))
    return sorted(problems)
