"""ARCHITECTURE.md: core, api, sandbox, commands and cli never import PySide6.

Each package is imported in a fresh interpreter where importing PySide6 raises, so a
stray import anywhere in their import graph fails this test.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import trackly_desktop

QT_FREE_PACKAGES = ["core", "api", "sandbox", "commands"]


def _modules() -> list[str]:
    names = ["trackly_desktop.cli", "trackly_desktop.paths"]
    for package in QT_FREE_PACKAGES:
        path = [f"{trackly_desktop.__path__[0]}/{package}"]
        names.append(f"trackly_desktop.{package}")
        names += [f"trackly_desktop.{package}.{m.name}" for m in pkgutil.iter_modules(path)]
    return names


BLOCKER = """
import sys
class _BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError("PySide6 is blocked in the Qt-free layers")
        return None
sys.meta_path.insert(0, _BlockQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
assert not any(m.startswith("PySide6") for m in sys.modules)
print("ok", len(sys.argv) - 1)
"""


def test_qt_free_layers_import_without_pyside6():
    modules = _modules()
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER, *modules],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(modules)}"
