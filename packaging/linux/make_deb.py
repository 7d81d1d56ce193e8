"""Turn the PyInstaller bundle into a .deb with dpkg-deb.

    /opt/trackly-desktop/...                         the bundle, as built
    /usr/bin/trackly-desktop                         a launcher script on the PATH
    /usr/bin/trackly                                 the command line's, beside it
    /usr/share/applications/trackly-desktop.desktop  the menu entry
    /usr/share/icons/hicolor/NxN/apps/trackly-desktop.png, scalable/apps/trackly-desktop.svg
    /usr/share/doc/trackly-desktop/copyright

No maintainer scripts: Debian's hicolor-icon-theme and desktop-file-utils refresh their
caches through dpkg triggers on those folders.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

import bundle_contents as contents  # noqa: E402

PACKAGE = contents.APP_ID
INSTALL_DIR = Path("opt") / PACKAGE
MAINTAINER = "Trackly Desktop team <desktop@tracklysms.com>"
SUMMARY = "Text your customers from a spreadsheet"
DESCRIPTION = """\
 Trackly Desktop sends text messages to the customers listed in a CSV or Excel
 file through the Trackly SMS API. It shows exactly what each person will
 receive, flags numbers that cannot be texted, and keeps a journal of what was
 sent so that nothing is sent twice."""
COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Trackly Desktop

Files: *
Copyright: Trackly
License: proprietary
 All rights reserved. The bundled third-party components (Python, Qt for Python,
 pandas, NumPy, phonenumbers, httpx, keyring and their dependencies) keep their
 own licences.
"""


def debian_architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()


def control_text(version: str, architecture: str, installed_kib: int) -> str:
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": architecture,
        "Maintainer": MAINTAINER,
        "Installed-Size": str(installed_kib),
        "Depends": ", ".join(contents.debian_depends()),
        "Section": "misc",
        "Priority": "optional",
        "Description": f"{SUMMARY}\n{DESCRIPTION}",
    }
    return "".join(f"{name}: {value}\n" for name, value in fields.items())


def _tree_kib(path: Path) -> int:
    total = sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())
    return (total + 1023) // 1024


def _normalise_modes(tree: Path) -> None:
    """0755 for folders and executables, 0644 for the rest (umask must not leak in)."""
    for path in tree.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def stage_tree(bundle: Path, tree: Path) -> None:
    """Lay out the package's files under `tree` (which must not exist yet)."""
    shutil.copytree(bundle, tree / INSTALL_DIR, symlinks=True)
    bin_dir = tree / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for program in (PACKAGE, contents.CLI_ID):
        launcher = bin_dir / program
        shutil.copy2(HERE / f"{program}.sh", launcher)
        launcher.chmod(0o755)
    applications = tree / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(ROOT / "resources" / f"{PACKAGE}.desktop", applications / f"{PACKAGE}.desktop")
    icons = ROOT / "resources" / "icons"
    hicolor = tree / "usr" / "share" / "icons" / "hicolor"
    for png in icons.glob("trackly-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        target = hicolor / f"{size}x{size}" / "apps" / f"{PACKAGE}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target)
    scalable = hicolor / "scalable" / "apps" / f"{PACKAGE}.svg"
    scalable.parent.mkdir(parents=True)
    shutil.copy2(icons / "trackly.svg", scalable)
    doc = tree / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")


def build_deb(bundle: Path, out_dir: Path, version: str) -> Path:
    """Build `<out_dir>/trackly-desktop_<version>_<arch>.deb` from the bundle folder."""
    if not (bundle / PACKAGE).is_file():
        raise SystemExit(f"no {PACKAGE} executable in {bundle}: build the bundle first")
    architecture = debian_architecture()
    tree = out_dir / "deb-tree"
    if tree.exists():
        shutil.rmtree(tree)
    stage_tree(bundle, tree)
    (tree / "DEBIAN").mkdir()
    control = control_text(version, architecture, _tree_kib(tree))
    (tree / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    _normalise_modes(tree)
    deb = out_dir / f"{PACKAGE}_{version}_{architecture}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(tree), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(tree)
    return deb
