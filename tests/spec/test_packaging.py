"""The wheel ships the facade, the local server and the generated layer, each typed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_both_packages_with_markers(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("objectstore_sdk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in [
        "objectstore_client/__init__.py",
        "objectstore_client/py.typed",
        "objectstore_client/testing/__init__.py",
        "objectstore_generated/__init__.py",
        "objectstore_generated/py.typed",
        "objectstore_generated/api/objects/put_object.py",
        "objectstore_generated/models/error_body.py",
    ]:
        assert required in names, required
    assert not any(name.startswith(("tests/", "generated/", "spec/")) for name in names)
    metadata = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "objectstore = objectstore_client.testing.plugin" in entry_points
