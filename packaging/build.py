"""Build the app bundle and the installer of this machine's system.

    python packaging/build.py bundle    # PyInstaller one-folder bundle only
    python packaging/build.py linux     # bundle + .deb                     (on Linux)
    python packaging/build.py windows   # bundle + NSIS per-user installer  (on Windows, or
                                        #   on Linux: PyInstaller under Wine, see windows/)
    python packaging/build.py macos     # bundle (.app) + signed .dmg       (on macOS)

Options: --dist DIR (default packaging/dist), --work DIR (default packaging/build),
--reuse-bundle (skip PyInstaller when DIST already holds a bundle). Each run ends with a
line per artefact and its size, so CI logs show them. packaging/README.md has the rest.
"""

from __future__ import annotations

import argparse
import os
import re
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


def check_windows_bundle(bundle: Path, system32: Path, standins: Path | None) -> None:
    """Fail the build if a Wine stand-in or a DLL Windows itself provides is in the bundle."""
    import hashlib  # noqa: PLC0415

    names = {p.name.lower() for p in system32.iterdir() if p.suffix.lower() == ".dll"}
    digests = {}
    if standins is not None:
        for dll in standins.glob("*.dll"):
            names.add(dll.name.lower())
            digests[hashlib.sha256(dll.read_bytes()).hexdigest()] = dll.name
    intruders = contents.windows_bundle_intruders(str(bundle), names, digests)
    if intruders:
        raise SystemExit("the Windows bundle holds what it must not:\n  " + "\n  ".join(intruders))
    print(f"bundle check: no Windows system DLL and no Wine stand-in in {bundle.name}")


def numeric_version(text: str) -> str:
    """x.y.z.w for the installer's version resource (which takes numbers only)."""
    numbers = [int(n) for n in re.findall(r"\d+", text)[:4]]
    return ".".join(str(n) for n in (*numbers, 0, 0, 0, 0)[:4])


def build_windows_installer(bundle: Path, dist: Path) -> Path:
    """Compile packaging/windows/trackly-desktop.nsi with NSIS 3 (Debian's nsis, or Windows')."""
    makensis = shutil.which("makensis")
    default = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    if makensis is None and (default / "NSIS" / "makensis.exe").is_file():
        makensis = str(default / "NSIS" / "makensis.exe")
    if makensis is None:
        raise SystemExit("NSIS is not installed: apt-get install nsis (or choco install nsis)")
    installer = dist / f"TracklyDesktop-{version()}-setup.exe"
    started = time.monotonic()
    subprocess.run(
        [
            makensis,
            "-V2",
            f"-DAPP_VERSION={version()}",
            f"-DAPP_VERSION_NUMERIC={numeric_version(version())}",
            f"-DBUNDLE_DIR={bundle}",
            f"-DOUT_FILE={installer}",
            f"-DREPO_ROOT={ROOT}",
            str(HERE / "windows" / "trackly-desktop.nsi"),
        ],
        check=True,
    )
    print(f"makensis: {time.monotonic() - started:.0f} s")
    return installer


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
    # The Windows app is also built on Linux, by a Windows CPython under Wine.
    cross = args.target == "windows" and sys.platform.startswith("linux")
    if native and not sys.platform.startswith(native) and not cross:
        raise SystemExit(f"the {args.target} installer is built on {args.target} only")
    dist, work = args.dist.resolve(), args.work.resolve()
    bundle = dist / contents.APP_ID
    executable = contents.APP_ID + (".exe" if args.target == "windows" else "")
    if cross:
        sys.path.insert(0, str(HERE / "windows"))
        import cross_build  # noqa: PLC0415
        import wine  # noqa: PLC0415

        cache = work / "windows"
        prefix = cache / "wine-prefix"
        if not (args.reuse_bundle and (bundle / executable).exists()):
            started = time.monotonic()
            bundle, prefix = cross_build.build_bundle(dist, work / "pyinstaller-windows", cache)
            took = time.monotonic() - started
            print(f"bundle: {bundle} ({mib(tree_bytes(bundle))}, {took:.0f} s)")
        system32 = prefix / "drive_c" / "windows" / "system32"
        check_windows_bundle(bundle, system32, cache / "wine-standins")
        wine.stop(prefix)
    elif not (args.reuse_bundle and (bundle / executable).exists()):
        bundle = build_bundle(dist, work)
    if args.target == "windows" and not cross:
        windir = Path(os.environ.get("SYSTEMROOT", r"C:\Windows"))
        check_windows_bundle(bundle, windir / "System32", None)
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
