"""scripts/regenerate is deterministic and its --check catches hand edits of generated/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# the generator needs Python 3.11+; scripts/check runs the drift check with the default python
pytest.importorskip("openapi_python_client", reason="openapi-python-client needs Python 3.11+")

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "spec" / "templates"
GENERATED = "generated/objectstore_generated"


def run_regenerate(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", "scripts/regenerate", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A scratch copy of what regeneration reads and writes."""
    for folder in ("spec", "scripts", GENERATED):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_committed_output_matches_the_spec(checkout: Path) -> None:
    result = run_regenerate(checkout, "--check")
    assert result.returncode == 0, result.stderr


def test_regenerating_twice_changes_nothing(checkout: Path) -> None:
    before = snapshot(checkout / GENERATED)
    for _ in range(2):
        assert run_regenerate(checkout).returncode == 0
        assert snapshot(checkout / GENERATED) == before


def test_check_fails_after_a_hand_edit(checkout: Path) -> None:
    target = checkout / GENERATED / "api" / "objects" / "put_object.py"
    target.write_text(target.read_text() + "\n# hand edit\n")
    result = run_regenerate(checkout, "--check")
    assert result.returncode == 1
    assert "put_object.py" in result.stderr


def test_check_fails_on_an_added_or_deleted_file(checkout: Path) -> None:
    extra = checkout / GENERATED / "api" / "objects" / "extra.py"
    extra.write_text("X = 1\n")
    assert run_regenerate(checkout, "--check").returncode == 1
    extra.unlink()
    (checkout / GENERATED / "models" / "error_body.py").unlink()
    assert run_regenerate(checkout, "--check").returncode == 1


def test_check_fails_when_the_spec_changes(checkout: Path) -> None:
    spec = checkout / "spec" / "objectstore.openapi.yaml"
    spec.write_text(spec.read_text().replace("operationId: ready", "operationId: readiness"))
    assert run_regenerate(checkout, "--check").returncode == 1


@pytest.mark.parametrize("template", ["endpoint_module.py.jinja", "client.py.jinja"])
def test_custom_templates_only_add_marked_blocks_to_the_pinned_upstream(template: str) -> None:
    """Each `objectstore: begin/end` block may record the upstream text it replaces; putting
    that text back must give the pinned upstream template, so a generator upgrade that changes
    the upstream file is noticed."""
    block = re.compile(
        r"\{# objectstore: begin #\}\n(?:\{# upstream:\n(?P<upstream>.*?)#\}\n)?.*?"
        r"\{# objectstore: end #\}\n",
        re.S,
    )
    ours = (TEMPLATES / template).read_text()
    restored = block.sub(lambda m: m.group("upstream") or "", ours)
    assert restored == (TEMPLATES / f"upstream-0.29.1-{template}.orig").read_text()
    assert ours != restored


def test_only_the_checked_templates_are_customised() -> None:
    custom = {p.name for p in TEMPLATES.glob("*.jinja")}
    assert custom == {"endpoint_module.py.jinja", "client.py.jinja"}


def test_generator_is_pinned_to_the_template_version() -> None:
    from importlib.metadata import version

    assert version("openapi-python-client") == "0.29.1"
    assert version("ruff") == "0.17.6"
