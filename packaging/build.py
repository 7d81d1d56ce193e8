"""Build the app bundle and the installer of this machine's system.

    python packaging/build.py bundle    # PyInstaller one-folder bundle only
    python packaging/build.py linux     # bundle + .deb                     (on Linux)
    python packaging/build.py windows   # bundle + Inno Setup installer     (on Windows)
    python packaging/build.py macos     # bundle (.app) + signed .dmg       (on macOS)

Options: --dist DIR (default packaging/dist), --work DIR (default packaging/build),
--reuse-bundle (skip PyInstaller when DIST already holds a bundle). Each run ends with a
line per artefact and its size, so CI logs show them. packaging/README.md has the rest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bundle_contents as contents  # noqa: E402

SPEC = HERE / "trackly_desktop.spec"
TARGETS = ("bundle", "linux", "windows", "macos")
NATIVE = {"linux": "linux", "windows": "win32", "macos": "darwin"}


def version() -> str:
    return contents.read_version(str(ROOT / "trackly_desktop" / "__init__.py"))


def tree_bytes(path: Path) -> int:
    """Bytes of the files under `path` as unpacked (symlinks count as links)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def mib(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB"


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; the bundle folder (dist/trackly-desktop)."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT)
    bundle = dist / contents.APP_ID
    print(f"bundle: {bundle} ({mib(tree_bytes(bundle))}, {time.monotonic() - started:.0f} s)")
    return bundle


def build_windows_installer(bundle: Path, dist: Path) -> Path:
    """Compile packaging/windows/trackly-desktop.iss with Inno Setup's ISCC."""
    iscc = shutil.which("iscc") or shutil.which("ISCC.exe")
    default = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    if iscc is None and (default / "Inno Setup 6" / "ISCC.exe").is_file():
        iscc = str(default / "Inno Setup 6" / "ISCC.exe")
    if iscc is None:
        raise SystemExit("Inno Setup 6 (ISCC.exe) is not installed: choco install innosetup")
    subprocess.run(
        [
            iscc,
            f"/DAppVersion={version()}",
            f"/DBundleDir={bundle}",
            f"/DOutputDir={dist}",
            f"/DRepoRoot={ROOT}",
            str(HERE / "windows" / "trackly-desktop.iss"),
        ],
        check=True,
    )
    return dist / f"TracklyDesktop-{version()}-setup.exe"


def build_macos_dmg(dist: Path) -> Path:
    """Sign (when the identity is set), package and notarize the .app as a .dmg."""
    app = dist / f"{contents.APP_NAME}.app"
    dmg = dist / f"TracklyDesktop-{version()}.dmg"
    subprocess.run(["bash", str(HERE / "macos" / "make_dmg.sh"), str(app), str(dmg)], check=True)
    return dmg


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("target", choices=TARGETS)
    parser.add_argument("--dist", type=Path, default=HERE / "dist")
    parser.add_argument("--work", type=Path, default=HERE / "build")
    parser.add_argument("--reuse-bundle", action="store_true")
    args = parser.parse_args(argv)
    native = NATIVE.get(args.target)
    if native and not sys.platform.startswith(native):
        raise SystemExit(f"the {args.target} installer is built on {args.target} only")
    dist, work = args.dist.resolve(), args.work.resolve()
    bundle = dist / contents.APP_ID
    if not (args.reuse_bundle and (bundle / contents.APP_ID).exists()):
        bundle = build_bundle(dist, work)
    if args.target == "linux":
        sys.path.insert(0, str(HERE / "linux"))
        from make_deb import build_deb  # noqa: PLC0415

        started = time.monotonic()
        artefact = build_deb(bundle, dist, version())
        print(f"deb: {artefact} ({mib(tree_bytes(artefact))}, {time.monotonic() - started:.0f} s)")
    elif args.target == "windows":
        artefact = build_windows_installer(bundle, dist)
        print(f"installer: {artefact} ({mib(tree_bytes(artefact))})")
    elif args.target == "macos":
        artefact = build_macos_dmg(dist)
        print(f"dmg: {artefact} ({mib(tree_bytes(artefact))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
