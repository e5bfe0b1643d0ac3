"""The import contracts (pyproject.toml ``[tool.importlinter]``) cover the whole package, and
``lint-imports`` really fails when a lower layer imports a higher one."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import objectstore_client

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - pytest depends on tomli below 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(objectstore_client.__file__).parent


def _contract(contract_id: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == contract_id]
    return dict(contract)


def _layered_modules() -> list[str]:
    layers = _contract("layers")["layers"]
    assert isinstance(layers, list)
    return [name.strip() for layer in layers for name in str(layer).split("|")]


def test_every_top_level_module_is_in_exactly_one_layer() -> None:
    top_level = sorted(
        info.name for info in pkgutil.iter_modules([str(PACKAGE)]) if info.name != "__main__"
    )
    layered = _layered_modules()
    assert sorted(layered) == top_level  # none missing, none stale, none twice
    assert layered[:2] == ["cli", "testing"]  # the top layers


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("import-linter is installed on Python 3.11+ only (dev extra)")
    return found


def test_a_core_module_importing_the_cli_breaks_the_layers(tmp_path: Path) -> None:
    """The check the contracts exist for: ``_core/validate.py`` importing ``cli._parser``
    (a bottom layer reaching the top one) must fail ``lint-imports``."""
    lint_imports = _lint_imports()
    copy = tmp_path / "objectstore_client"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}

    def lint() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [lint_imports, "--no-cache", "--contract", "layers"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=110,
            check=False,
        )

    assert lint().returncode == 0  # the copy as it is keeps the contract
    validate = copy / "_core" / "validate.py"
    validate.write_text(validate.read_text() + "\nfrom ..cli import _parser  # noqa: E402\n")
    result = lint()
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert "objectstore_client._core.validate -> objectstore_client.cli._parser" in result.stdout
