"""Record the public API of the installed ``objectstore_client`` as JSON (names, signatures,
defaults), to regenerate ``upstream_api/<version>.json``.

Run it with the python of a virtualenv that holds the upstream package (never ours)::

    python -m venv /tmp/up && /tmp/up/bin/pip install objectstore-client==0.2.10
    /tmp/up/bin/python tests/compat/dump_upstream_api.py > tests/compat/upstream_api/0.2.10.json

Only facts are recorded (names, parameter kinds, default values' reprs), never code. A module's
public names are the non-underscore names it defines or imports from the package itself (those
are importable from it, and callers do import them from there).
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import importlib.metadata
import inspect
import json
import pathlib
import sys
from typing import Any

KIND = {
    inspect.Parameter.POSITIONAL_ONLY: "po",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "pk",
    inspect.Parameter.VAR_POSITIONAL: "var",
    inspect.Parameter.KEYWORD_ONLY: "kw",
    inspect.Parameter.VAR_KEYWORD: "varkw",
}
#: Constants whose value is recorded (and compared) by repr.
COMPARABLE = (str, int, float, bool, tuple, type(None))


def module_names(path: pathlib.Path) -> list[str]:
    """Non-underscore names a module defines at top level or imports from the package."""
    names: list[str] = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("objectstore_client")
        ):
            names += [alias.asname or alias.name for alias in node.names]
    return [name for name in names if not name.startswith("_")]


def params(obj: Any, drop_first: bool = False) -> list[list[str | None]] | None:
    """``[name, kind, repr(default) or None]`` per parameter."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    out: list[list[str | None]] = []
    for param in list(signature.parameters.values())[1 if drop_first else 0 :]:
        default = None if param.default is inspect.Parameter.empty else repr(param.default)
        out.append([param.name, KIND[param.kind], default])
    return out


def skip_member(cls: type, name: str) -> bool:
    """Members every enum, exception, str or tuple has: not part of the package's API."""
    inherited: list[type] = [BaseException, tuple, str]
    if any(issubclass(cls, base) and hasattr(base, name) for base in inherited):
        return True
    return issubclass(cls, enum.Enum) and (name in cls.__members__ or name in ("name", "value"))


def describe_class(cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "class",
        "bases": sorted({base.__name__ for base in cls.__mro__[1:]} - {"object", "Generic"}),
        "init": params(cls),
        "members": {},
    }
    if issubclass(cls, enum.Enum):
        out["enum"] = {member.name: member.value for member in cls}
    if dataclasses.is_dataclass(cls):
        out["fields"] = [field.name for field in dataclasses.fields(cls)]
    elif issubclass(cls, tuple) and hasattr(cls, "_fields"):
        out["fields"] = list(cls._fields)
    for name in dir(cls):
        if name.startswith("_") or skip_member(cls, name):
            continue
        raw = inspect.getattr_static(cls, name)
        member: dict[str, Any]
        if isinstance(raw, property):
            member = {"kind": "property", "settable": raw.fset is not None}
        elif isinstance(raw, (classmethod, staticmethod)):
            member = {"kind": type(raw).__name__, "params": params(getattr(cls, name))}
        elif inspect.isfunction(raw):
            member = {"kind": "method", "params": params(raw, drop_first=True)}
        elif name in out.get("fields", ()):
            continue
        else:
            member = {"kind": "attribute"}
        out["members"][name] = member
    return out


def describe(value: Any) -> dict[str, Any] | None:
    if inspect.ismodule(value):
        return None
    if inspect.isclass(value):
        return describe_class(value)
    if inspect.isfunction(value):
        return {"kind": "function", "params": params(value)}
    if isinstance(value, (set, frozenset)):
        return {"kind": "set", "value": sorted(map(str, value))}
    if isinstance(value, COMPARABLE) or type(value).__name__ == "timedelta":
        return {"kind": "constant", "repr": repr(value)}
    # type aliases, TypeVars, compiled patterns: their existence is the API
    return {"kind": "other", "type": type(value).__name__}


def main() -> None:
    package = importlib.import_module("objectstore_client")
    root = pathlib.Path(str(package.__file__)).parent
    modules = ["objectstore_client"] + [
        f"objectstore_client.{path.stem}"
        for path in sorted(root.glob("*.py"))
        if not path.stem.startswith("_")
    ]
    api: dict[str, Any] = {
        "version": importlib.metadata.version("objectstore-client"),
        "python": sys.version.split()[0],
        "modules": {},
    }
    for module_name in modules:
        module = importlib.import_module(module_name)
        exported = list(getattr(module, "__all__", []))
        names = set(module_names(pathlib.Path(str(module.__file__)))) | set(exported)
        entry: dict[str, Any] = {"all": sorted(exported), "names": {}}
        for name in sorted(names):
            if hasattr(module, name):
                described = describe(getattr(module, name))
                if described is not None:
                    entry["names"][name] = described
        api["modules"][module_name] = entry
    json.dump(api, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
