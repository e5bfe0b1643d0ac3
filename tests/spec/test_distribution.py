"""The distribution `objectstore-sdk`: its metadata, the CLI script, and a clean sdist."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import objectstore_client

ROOT = Path(__file__).resolve().parents[2]


def _build(target: str, source: Path, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (built,) = out.glob("objectstore_sdk-*.tar.gz" if target == "sdist" else "*.whl")
    return built


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("sdist", ROOT, tmp_path_factory.mktemp("sdist"))


def test_sdist_holds_the_sources_and_no_tests(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for required in ["pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md",
                     "objectstore_client/__init__.py", "objectstore_client/cli/__init__.py",
                     "generated/objectstore_generated/__init__.py",
                     "spec/objectstore.openapi.yaml"]:  # fmt: skip
        assert required in names, required
    stray = {n for n in names if n.startswith(("tests/", "docs/", "scripts/", ".venv", "site/"))}
    assert stray == set()


def test_wheel_built_from_the_sdist_has_name_version_license_and_script(
    sdist: Path, tmp_path: Path
) -> None:
    with tarfile.open(sdist) as source:
        source.extractall(tmp_path, filter="data")
    (unpacked,) = tmp_path.glob("objectstore_sdk-*")
    wheel = _build("wheel", unpacked, tmp_path / "dist")
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    info = next(n.rsplit("/", 1)[0] for n in names if n.endswith(".dist-info/METADATA"))
    metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
    assert metadata["Name"] == "objectstore-sdk"
    assert metadata["Version"] == objectstore_client.__version__
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("Project-URL")
    assert f"{info}/licenses/LICENSE" in names
    entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "objectstore = objectstore_client.cli:main" in entry_points
    assert "objectstore_client/cli/_progress.py" in names
