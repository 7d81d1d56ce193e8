"""The wheel that `pip install .` builds must carry every subpackage and the resources."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _listed_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_subpackage_is_listed_in_pyproject():
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "trackly_desktop").rglob("__init__.py")
    }
    missing = on_disk - _listed_packages()
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_wheel_carries_the_resources(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("trackly_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "trackly_desktop/resources/sample_contacts.csv",
        "trackly_desktop/resources/sample_contacts.xlsx",
        "trackly_desktop/resources/icons/trackly.svg",
        "trackly_desktop/resource_files.py",
    }
    assert expected <= names, sorted(expected - names)
    assert not any(n.startswith("trackly_desktop/resources/screenshots/") for n in names)
