"""The Windows build's rules, without a build: the lock, the bundle check, the installer.

The build itself is proven under Wine by tests/e2e/test_windows_installer.py.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
sys.path.insert(0, str(ROOT / "packaging" / "windows"))

import bundle_contents as contents  # noqa: E402
import wine  # noqa: E402

LOCK = ROOT / "packaging" / "windows" / "requirements-windows.txt"


def _locked() -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$", LOCK.read_text(), re.M))


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_lock_pins_every_runtime_dependency_for_windows():
    locked = _locked()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = _normal(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))
        assert name in locked, f"{name} is in pyproject.toml but not in the Windows lock"
    # Resolved for Windows, not for the Linux host that builds it.
    assert "pywin32-ctypes" in locked  # keyring's Credential Manager backend
    assert "tzdata" in locked  # Windows has no zone database of its own
    assert not {"secretstorage", "jeepney", "cryptography"} & set(locked)
    assert "pyinstaller" in locked


def test_lock_honours_the_pyside6_exclusion():
    locked = _locked()
    assert locked["pyside6-essentials"] != "6.12.0"
    assert locked["shiboken6"] == locked["pyside6-essentials"]


def test_every_locked_wheel_is_hash_pinned():
    text = LOCK.read_text()
    blocks = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2])
    assert len(blocks) == len(_locked())
    for block in blocks:
        assert "--hash=sha256:" in block, block.splitlines()[0]


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def test_bundle_check_passes_the_apps_own_libraries(tmp_path):
    bundle = _tree(
        tmp_path / "trackly-desktop",
        {
            "trackly-desktop.exe": b"MZ app",
            "_internal/python311.dll": b"MZ python",
            "_internal/VCRUNTIME140.dll": b"MZ vc",  # redistributable: may ship app-local
            "_internal/PySide6/MSVCP140_1.dll": b"MZ msvcp",
            "_internal/PySide6/Qt6Core.dll": b"MZ qt",
        },
    )
    system = {"kernel32.dll", "ucrtbase.dll", "vcruntime140.dll", "msvcp140_1.dll"}
    assert contents.windows_bundle_intruders(str(bundle), system, {}) == []


def test_bundle_check_finds_stand_ins_and_windows_own_dlls(tmp_path):
    standin = b"MZ the ProcessPrng stand-in"
    bundle = _tree(
        tmp_path / "trackly-desktop",
        {
            "_internal/ucrtbase.dll": b"MZ ucrt",
            "_internal/api-ms-win-crt-math-l1-1-0.dll": b"MZ api set",
            "_internal/numpy.libs/renamed.dll": standin,  # caught by content, not name
            "_internal/PySide6/Qt6Gui.dll": b"MZ qt",
        },
    )
    digests = {hashlib.sha256(standin).hexdigest(): "bcryptprimitives.dll"}
    found = contents.windows_bundle_intruders(str(bundle), {"ucrtbase.dll"}, digests)
    assert found == [
        "_internal/api-ms-win-crt-math-l1-1-0.dll: a DLL that Windows itself provides",
        "_internal/numpy.libs/renamed.dll: the Wine stand-in bcryptprimitives.dll",
        "_internal/ucrtbase.dll: a DLL that Windows itself provides",
    ]


@pytest.mark.parametrize(
    ("version", "numeric"),
    [("0.1.0", "0.1.0.0"), ("1.2", "1.2.0.0"), ("2.0.1rc1", "2.0.1.1"), ("1.2.3.4", "1.2.3.4")],
)
def test_installer_version_resource_takes_four_numbers(version, numeric):
    # packaging/build.py by path: "build" is also the name of PyPA's build package.
    spec = importlib.util.spec_from_file_location("packaging_build", ROOT / "packaging/build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.numeric_version(version) == numeric


def test_wine_paths_and_overrides():
    assert wine.windows_path(Path("/tmp/a b/é.csv")) == "Z:\\tmp\\a b\\é.csv"
    assert wine.DLL_OVERRIDES == "mscoree,mshtml=;ucrtbase=n,b;bcryptprimitives=n,b;icuuc=n,b"


def test_installer_script_is_per_user_and_keeps_the_users_data():
    script = (ROOT / "packaging" / "windows" / "trackly-desktop.nsi").read_text()
    assert "RequestExecutionLevel user" in script
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_NAME}"' in script
    uninstall = script.split('Section "Uninstall"', 1)[1]
    # Nothing under the data folder is deleted; the user is told where it stays.
    assert "DATA_DIR" not in "".join(
        line for line in uninstall.splitlines() if line.strip().startswith(("RMDir", "Delete"))
    )
    assert "are kept in ${DATA_DIR}" in uninstall
