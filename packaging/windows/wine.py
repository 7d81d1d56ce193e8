"""Running the Windows build and the installed app under Wine (Debian's wine + wine64, 8.0).

Three things every Windows 10/11 has and Wine 8 lacks are stood in for, in the Wine
prefix's own C:\\windows\\system32 (where Windows keeps them, which PyInstaller never
collects from), never next to python.exe, on PATH or inside the bundle:

- ucrtbase.dll: numpy 2.x calls `crealf`, which Wine's ucrtbase only stubs (an abort).
  Microsoft's own signed ucrtbase.dll 10.0.14393, taken from the pynsist wheel (pinned).
- bcryptprimitives.dll: python-calamine (Rust >= 1.78) imports `ProcessPrng`.
  Built here from wine/bcryptprimitives.c with Debian's gcc-mingw-w64-x86-64.
- icuuc.dll: Qt >= 6.9's Qt6Core.dll links Windows' system ICU (converters only).
  Built here from wine/icuuc.c: it answers "no such converter".

The build needs them too (PyInstaller's hooks import numpy, pandas and Qt to find their
files). `bundle_contents.windows_bundle_intruders` fails the build if one, or any other
DLL that Windows itself provides, ends up in the bundle.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "wine"
STANDIN_NAMES = ("ucrtbase.dll", "bcryptprimitives.dll", "icuuc.dll")
# "n,b": the native (stand-in) DLL first, Wine's builtin otherwise. mscoree and mshtml off:
# no Mono or Gecko download prompts in a new prefix.
DLL_OVERRIDES = "mscoree,mshtml=;" + ";".join(
    f"{name.removesuffix('.dll')}=n,b" for name in STANDIN_NAMES
)
# pynsist 2.8's wheel carries Microsoft's redistributable Universal CRT for x64.
PYNSIST_WHEEL = "pynsist==2.8"
PYNSIST_SHA256 = "7d3e8343c10cdbfb262ab63201a62d38ed86f4f2d0cffc2677c9917793d800a6"
UCRTBASE_IN_WHEEL = "nsist/msvcrt/x64/ucrtbase.dll"
UCRTBASE_SHA256 = "a0b9e4ca04e89c311105d24bb8b9262ea3c00fa2967539eef94ccbdee5b4664c"


def windows_path(path: Path) -> str:
    """The path as Wine's programs see it (the Linux root is drive Z:)."""
    return "Z:" + str(Path(path).resolve()).replace("/", "\\")


def environment(prefix: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        WINEPREFIX=str(prefix),
        WINEARCH="win64",
        WINEDEBUG="-all",
        WINEDLLOVERRIDES=DLL_OVERRIDES,
        # Wine must not try to open a window for its own dialogs.
        DISPLAY="",
    )
    env.update(extra)
    return env


def require_tools() -> None:
    missing = [
        tool
        for tool in ("wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc")
        if shutil.which(tool) is None
    ]
    if missing:
        raise SystemExit(
            f"missing {', '.join(missing)}: apt-get install wine wine64 gcc-mingw-w64-x86-64"
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_standins(cache: Path, pip: list[str]) -> Path:
    """The three stand-in DLLs in `cache`/wine-standins (rebuilt when their sources change)."""
    folder = cache / "wine-standins"
    folder.mkdir(parents=True, exist_ok=True)
    ucrtbase = folder / "ucrtbase.dll"
    if not ucrtbase.is_file() or _sha256(ucrtbase) != UCRTBASE_SHA256:
        downloads = cache / "downloads"
        requirement = downloads / "pynsist.txt"
        downloads.mkdir(parents=True, exist_ok=True)
        requirement.write_text(f"{PYNSIST_WHEEL} --hash=sha256:{PYNSIST_SHA256}\n")
        subprocess.run(
            [*pip, "download", "-q", "--no-deps", "--only-binary=:all:", "--require-hashes",
             "-r", str(requirement), "-d", str(downloads)],
            check=True,
        )  # fmt: skip
        (wheel,) = downloads.glob("pynsist-2.8-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            ucrtbase.write_bytes(archive.read(UCRTBASE_IN_WHEEL))
        if _sha256(ucrtbase) != UCRTBASE_SHA256:
            raise SystemExit(f"{UCRTBASE_IN_WHEEL} in {wheel.name} is not the expected file")
    for source in sorted(SOURCES.glob("*.c")):
        dll = folder / f"{source.stem}.dll"
        if dll.is_file() and dll.stat().st_mtime >= source.stat().st_mtime:
            continue
        libraries = ["-ladvapi32"] if source.stem == "bcryptprimitives" else []
        subprocess.run(
            ["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-s", "-o", str(dll), str(source),
             *libraries],
            check=True,
        )  # fmt: skip
    return folder


def create_prefix(prefix: Path, standins: Path) -> None:
    """A new 64-bit Wine prefix with the stand-ins where Windows keeps its own DLLs."""
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = environment(prefix)
    subprocess.run(["wineboot", "--init"], env=env, check=True, capture_output=True)
    subprocess.run(["wineserver", "--wait"], env=env, check=True)
    system32 = prefix / "drive_c" / "windows" / "system32"
    for name in STANDIN_NAMES:
        shutil.copyfile(standins / name, system32 / name)


def system_dll_names(prefix: Path) -> set[str]:
    """Lower-case names of the DLLs in the prefix's C:\\windows\\system32 (Windows' own)."""
    system32 = prefix / "drive_c" / "windows" / "system32"
    return {p.name.lower() for p in system32.iterdir() if p.suffix.lower() == ".dll"}


def user_folder(prefix: Path) -> Path:
    """The Wine user's profile folder (C:\\users\\<name>)."""
    users = prefix / "drive_c" / "users"
    (folder,) = [p for p in users.iterdir() if p.is_dir() and p.name.lower() != "public"]
    return folder


def run(
    prefix: Path, args: list[str], *, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a Windows program and wait for every process it started in the prefix.

    Output is read through a pipe: Windows CPython started by Wine fails at start-up when
    its standard output is redirected to a file (init_sys_streams, WinError 6).
    """
    full_env = environment(prefix, **(env or {}))
    result = subprocess.run(
        ["wine", *args],
        env=full_env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    subprocess.run(["wineserver", "--wait"], env=full_env, check=False, timeout=timeout)
    return result


def stop(prefix: Path) -> None:
    """End the prefix's wineserver (and anything still running in that prefix only)."""
    subprocess.run(["wineserver", "--kill"], env=environment(prefix), check=False)
