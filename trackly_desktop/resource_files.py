"""Find the files of the top-level `resources/` folder wherever the app runs from.

A checkout (or editable install) has them beside the package; a wheel carries them as
`trackly_desktop/resources`; a PyInstaller bundle unpacks them under `sys._MEIPASS`.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    found = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found += [Path(bundle) / "resources", Path(bundle) / "trackly_desktop" / "resources"]
    found += [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    return found


def resources_dir() -> Path:
    """The folder holding the app's resources (raises if the installation is broken)."""
    for candidate in _candidates():
        if (candidate / "icons").is_dir() or (candidate / "sample_contacts.csv").is_file():
            return candidate
    searched = ", ".join(str(c) for c in _candidates())
    raise FileNotFoundError(f"The app's resources are missing (looked in {searched}).")


def resource_path(*parts: str) -> Path:
    """The path of one resource file, e.g. `resource_path("icons", "trackly.svg")`."""
    return resources_dir().joinpath(*parts)
