"""_core is sans-I/O: none of its modules may import sockets, threads, asyncio or sleep."""

from __future__ import annotations

import ast
from pathlib import Path

import objectstore_client._core as core

BANNED_MODULES = {"socket", "threading", "asyncio", "time", "selectors", "ssl", "subprocess"}
BANNED_NAMES = {"open", "sleep"}
BANNED_ATTRIBUTES = {"Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport", "stream"}


def test_core_does_no_io() -> None:
    problems: list[str] = []
    for path in Path(core.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [(node.module or "").split(".")[0]]
            else:
                names = []
            problems += [f"{path.name}: imports {n}" for n in names if n in BANNED_MODULES]
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Name) and func.id in BANNED_NAMES:
                problems.append(f"{path.name}: calls {func.id}()")
            if isinstance(node, ast.Attribute) and node.attr in BANNED_ATTRIBUTES:
                problems.append(f"{path.name}: uses .{node.attr}")
    assert problems == []
