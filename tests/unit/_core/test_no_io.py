"""The I/O-free modules do no I/O: no socket, thread, event loop or clock import, no open() or
sleep() call.

The modules and the banned imports are one list, the ``core-sans-io`` import contract in
pyproject.toml (which ``lint-imports`` enforces too); this test adds what an import contract
cannot see: calls and attributes that do I/O.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - pytest depends on tomli below 3.11
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
BANNED_NAMES = {"open", "sleep"}
BANNED_ATTRIBUTES = {"Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport", "stream"}


def sans_io_contract() -> dict[str, list[str]]:
    """The ``core-sans-io`` contract of pyproject.toml."""
    config = tomllib.loads(PYPROJECT.read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    [contract] = [c for c in contracts if c["id"] == "core-sans-io"]
    return {key: contract[key] for key in ("source_modules", "forbidden_modules")}


def module_files(name: str) -> list[Path]:
    """The source files of a module, or of a package and everything below it."""
    module = importlib.import_module(name)
    assert module.__file__ is not None
    path = Path(module.__file__)
    return sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]


def test_the_list_names_the_core_and_real_modules() -> None:
    contract = sans_io_contract()
    assert "objectstore_client._core" in contract["source_modules"]
    assert {"socket", "threading", "asyncio", "time", "httpx"} <= set(contract["forbidden_modules"])
    for name in contract["source_modules"]:
        assert module_files(name)


def test_sans_io_modules_do_no_io() -> None:
    contract = sans_io_contract()
    banned_modules = {name.split(".")[0] for name in contract["forbidden_modules"]}
    problems: list[str] = []
    for module in contract["source_modules"]:
        for path in module_files(module):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name.split(".")[0] for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [(node.module or "").split(".")[0]]
                else:
                    names = []
                problems += [f"{path.name}: imports {n}" for n in names if n in banned_modules]
                func = node.func if isinstance(node, ast.Call) else None
                if isinstance(func, ast.Name) and func.id in BANNED_NAMES:
                    problems.append(f"{path.name}: calls {func.id}()")
                if isinstance(node, ast.Attribute) and node.attr in BANNED_ATTRIBUTES:
                    problems.append(f"{path.name}: uses .{node.attr}")
    assert problems == []
