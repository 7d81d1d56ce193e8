"""What goes into the frozen app, and what is cut from it.

The PyInstaller spec imports this module; the rules live here (not inline in the spec) so
the unit tests can check them without a multi-minute build. PyInstaller's Qt hooks collect
every plugin type a module *might* use and every translation; the app needs a handful, and
the rest is most of the bundle's size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

APP_ID = "trackly-desktop"
APP_NAME = "Trackly Desktop"
CLI_ID = "trackly"  # the command-line program beside the window's, in the same folder
MACOS_BUNDLE_ID = "com.tracklysms.desktop"
# The oldest macOS the .app starts on: PySide6 6.11 publishes macOS 13+ wheels (6.12.0 is
# excluded, and 6.12+ publishes only macOS 14+ wheels: the release's macOS job installs
# "PySide6-Essentials<6.12" to keep 13). Said in README.md and packaging/README.md.
MACOS_MINIMUM = "13.0"

# Python modules never needed at run time. Qt modules the app does not use are excluded
# by name so their hooks never run (and never pull their libraries and plugins in).
EXCLUDED_MODULES: tuple[str, ...] = (
    *(
        f"PySide6.{name}"
        for name in (
            "QtQml",
            "QtQuick",
            "QtQuickWidgets",
            "QtQuickControls2",
            "QtQuickTest",
            "QtNetwork",
            "QtPdf",
            "QtPdfWidgets",
            "QtWebEngineCore",
            "QtWebEngineWidgets",
            "QtWebChannel",
            "QtOpenGL",
            "QtOpenGLWidgets",
            "QtSql",
            "QtTest",
            "QtUiTools",
            "QtDesigner",
            "QtHelp",
            "QtXml",
            "QtConcurrent",
            "QtLabsStyleKit",
            "QtQmlFeatures",
            # The Python binding only: libQt6DBus itself stays (Qt's xcb and portal code
            # link it), but the app never calls D-Bus through Qt.
            "QtDBus",
        )
    ),
    # phonenumbers' place names and carrier names: ~43 MB of tables the app never uses.
    # Its time-zone tables (phonenumbers.timezone, .tzdata: 250 kB) stay: quiet hours
    # place a number by its prefix (core/audience/local_zones.py).
    "phonenumbers.geocoder",
    "phonenumbers.geodata",
    "phonenumbers.carrier",
    "phonenumbers.carrierdata",
    # Optional extras of pandas/numpy, and tools that only tests and builds use.
    "pandas.tests",
    "pandas.io.formats.style",
    "pandas.io.clipboard",
    "numpy.tests",
    "numpy.f2py",
    "numpy.distutils",
    # Neither pandas nor the app imports these (numpy loads them on first use only):
    # never loaded in the smoke test, `trackly check` on CSV/XLSX or the keyring round
    # trip (LD_DEBUG=files). tests/unit/test_bundle_contents.py re-checks pandas' imports.
    "numpy.fft",
    "numpy.polynomial",
    "numpy._core._multiarray_tests",
    # SAS files only (pandas.read_sas, which imports them when called).
    "pandas._libs.sas",
    "pandas._libs.byteswap",
    "matplotlib",
    "scipy",
    "pyarrow",
    "sqlalchemy",
    "tables",
    "jinja2",
    "IPython",
    "tkinter",
    "_tkinter",
    "readline",  # a terminal nicety; the windowed app has no terminal
    "pytest",
    "_pytest",
    "hypothesis",
    "pytestqt",
    "setuptools",
    "pip",
    "PyInstaller",
    "pydoc_data",
    # Syntax highlighting for httpx's own command line (1.8 MB of lexers); never imported.
    "pygments",
    "rich",
    "click",
)

# Imported only through strings or entry points, so PyInstaller's analysis cannot see them.
HIDDEN_IMPORTS: tuple[str, ...] = (
    # `trackly` imports each subcommand's module by name when it runs (trackly_desktop.cli).
    "trackly_desktop.commands.check",
    "trackly_desktop.commands.send",
    "trackly_desktop.commands.optouts",
    "trackly_desktop.commands.key",
    "trackly_desktop.commands.sandbox",
    "python_calamine",
    "openpyxl",
    "openpyxl.cell._writer",
    "keyring.backends.SecretService",
    "keyring.backends.kwallet",
    "keyring.backends.libsecret",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "secretstorage",
    "jeepney",
)

# The Secret Service backend's libraries: Linux only (not installed on Windows or macOS).
LINUX_ONLY_IMPORTS: frozenset[str] = frozenset({"secretstorage", "jeepney"})

# keyring discovers its backends through entry points, which live in the dist metadata.
METADATA_PACKAGES: tuple[str, ...] = ("keyring", "trackly-desktop")

# Plugin folders the app uses, and which plugins inside them it keeps (None: all of them).
# Names are stems without the platform's "lib"/"q" prefix and suffix, e.g. "xcb", "svg".
KEPT_PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset({"offscreen", "minimal", "xcb", "windows", "cocoa"}),
    "xcbglintegrations": None,
    "imageformats": frozenset({"svg", "ico", "icns"}),
    "iconengines": frozenset({"svgicon"}),
    "platformthemes": frozenset({"xdgdesktopportal"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "styles": None,
}

# Qt libraries that only the excluded modules and plugins use. Matched against the file's
# base name on all three systems (libQt6Qml.so.6, Qt6Qml.dll, QtQml.framework/...).
_DROPPED_QT_LIBRARY = re.compile(
    r"^(?:lib)?Qt6?(Qml|Quick|Pdf|WebEngine|WebChannel|Network|Designer|Help|Lottie|Labs|Wayland|Wl"
    r"|EglFs|EglFS|VirtualKeyboard|Sql|Test|UiTools|OpenGL|Concurrent|Xml|ShaderTools"
    r"|Multimedia|Positioning|SerialPort|StateMachine|SpatialAudio|TextToSpeech)",
)
_PLUGIN_NAME = re.compile(r"^(?:lib)?q?(?P<stem>.+?)(?:\.so|\.dll|\.dylib)$")


def plugin_is_kept(kind: str, filename: str) -> bool:
    """Whether the Qt plugin `filename` in plugin folder `kind` belongs in the bundle."""
    if kind not in KEPT_PLUGINS:
        return False
    allowed = KEPT_PLUGINS[kind]
    if allowed is None:
        return True
    match = _PLUGIN_NAME.match(filename)
    return bool(match) and match.group("stem") in allowed


# Linux libraries that must come from the user's system, not from the build machine: the
# display, input and font stack has to match the running X server, graphics driver and
# font configuration, and a bundled libstdc++ older than the system's breaks Mesa's drivers.
# Each maps to the Debian package (or alternatives) that the .deb then depends on.
SYSTEM_LIBRARIES: dict[str, str] = {
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    # What the bundled Python itself links (zlib, bz2, lzma, sqlite3, ssl, ctypes, uuid) and
    # Qt's zstd: every Debian and Ubuntu system has these (priority required or important),
    # under the same sonames since Debian 12 / Ubuntu 22.04. From the system, OpenSSL gets
    # the distribution's security updates, and the bundle is 8 MB smaller.
    "libz.so.1": "zlib1g",
    "libbz2.so.1.0": "libbz2-1.0",
    "liblzma.so.5": "liblzma5",
    "libzstd.so.1": "libzstd1",
    "libsqlite3.so.0": "libsqlite3-0",
    "libssl.so.3": "libssl3t64 | libssl3",
    "libcrypto.so.3": "libssl3t64 | libssl3",
    "libffi.so.8": "libffi8",
    "libuuid.so.1": "libuuid1",
}
# Needed only by the system libraries above (PyInstaller reads `ldd`, which lists
# dependencies of dependencies): they come with those packages.
_ONLY_FOR_SYSTEM_LIBRARIES = (
    "libXau.so.6",
    "libXdmcp.so.6",
    "libbsd.so.0",
    "libmd.so.0",
    "libsystemd.so.0",
    "libgcrypt.so.20",
    "libgpg-error.so.0",
    "liblz4.so.1",
    "libcap.so.2",
    "libpng16.so.16",
    "libbrotlicommon.so.1",
    "libbrotlidec.so.1",
    "libexpat.so.1",
    "libpcre2-8.so.0",
)
# PyInstaller's exclude list is a regex matched against base names.
SYSTEM_LIBRARY_PATTERNS: tuple[str, ...] = tuple(
    re.escape(soname[: soname.index(".so")]) + r"\.so(\..*)?"
    for soname in (*SYSTEM_LIBRARIES, *_ONLY_FOR_SYSTEM_LIBRARIES)
)
_SYSTEM_LIBRARY = re.compile("^(?:" + "|".join(SYSTEM_LIBRARY_PATTERNS) + ")$")


def entry_is_kept(dest_name: str, *, linux: bool = False) -> bool:
    """Whether a collected file (its path inside the bundle) stays in the bundle."""
    path = PurePosixPath(dest_name.replace("\\", "/"))
    parts = path.parts
    # By base name anywhere: PyInstaller also links Qt libraries at the bundle's top level.
    if _DROPPED_QT_LIBRARY.match(path.name) or any(
        part.endswith(".framework") and _DROPPED_QT_LIBRARY.match(part) for part in parts
    ):
        return False
    if linux and _SYSTEM_LIBRARY.match(path.name):
        return False
    if "PySide6" in parts:
        if "translations" in parts:
            return False
        if "plugins" in parts:
            index = parts.index("plugins")
            if len(parts) >= index + 3:
                return plugin_is_kept(parts[index + 1], parts[-1])
    # Screenshots for the README are not part of the app (the wheel leaves them out too).
    if parts[:1] == ("resources",) and "screenshots" in parts:
        return False
    # Qt's software OpenGL (Mesa llvmpipe, 20 MB): only Qt Quick and QOpenGLWidget fall back
    # to it; the app's widgets paint with the raster engine.
    if path.name.lower() == "opengl32sw.dll":
        return False
    # Packages' own test suites (numpy/_core/tests, pandas/tests, ...): never imported.
    if "tests" in parts[:-1]:
        return False
    # phonenumbers' data packages are data files too (their hook collects them).
    return not ("phonenumbers" in parts and {"geodata", "carrierdata"} & set(parts))


def prune(entries: Iterable[tuple[str, str, str]], *, linux: bool = False) -> list:
    """Drop the unwanted files from a PyInstaller TOC (a list of (dest, source, kind))."""
    return [entry for entry in entries if entry_is_kept(entry[0], linux=linux)]


def trimmed_qt_dependencies(hook_file: str) -> tuple[list, list, list]:
    """PyInstaller's collection for one Qt module, without the plugins the app does not use."""
    import os  # noqa: PLC0415 - only hooks (at build time) call this

    from PyInstaller.utils.hooks.qt import add_qt6_dependencies  # noqa: PLC0415

    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)

    def kept(pairs: list) -> list:
        return [
            (src, dest)
            for src, dest in pairs
            if entry_is_kept(os.path.join(dest, os.path.basename(src)))
        ]

    excluded = set(EXCLUDED_MODULES)
    return [name for name in hiddenimports if name not in excluded], kept(binaries), kept(datas)


def debian_depends() -> list[str]:
    """The .deb's Depends: the packages of the system libraries the bundle leaves out."""
    return sorted({"libc6", *SYSTEM_LIBRARIES.values()})


_PAGE_SIZE = 4096  # the smallest page of x86_64 and aarch64 Linux


def load_segments_aligned(header: bytes) -> bool:
    """Whether every loadable segment of an ELF file still maps at a page-aligned offset.

    `header` is the file's first bytes, up to the end of its program headers. The loader
    refuses a library whose segment's file offset and address differ by other than a
    multiple of the page size and of the segment's alignment; GNU strip produces exactly
    that from a library that auditwheel's patchelf has rewritten (numpy's OpenBLAS:
    "ELF load command address/offset not page-aligned"). Only 64-bit little-endian ELF
    (x86_64, aarch64) is read; anything else counts as not aligned, so it is left alone.
    """
    import struct  # noqa: PLC0415 - build time only

    if header[:4] != b"\x7fELF" or header[4:6] != b"\x02\x01":
        return False
    (phoff,) = struct.unpack_from("<Q", header, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
    if phoff + phentsize * phnum > len(header):
        return False
    for index in range(phnum):
        p_type, _, offset, vaddr, _, _, _, align = struct.unpack_from(
            "<IIQQQQQQ", header, phoff + index * phentsize
        )
        if p_type != 1:  # PT_LOAD
            continue
        for boundary in (_PAGE_SIZE, max(align, 1)):
            if (vaddr - offset) % boundary:
                return False
    return True


def strip_libraries(bundle_dir: str) -> tuple[list[str], list[str]]:
    """Strip symbol tables and debug data from the bundle's shared libraries.

    Half the wheels ship their libraries unstripped (cryptography's Rust module alone
    carries 2.8 MB of symbols), and a self-built Python (pyenv, the CI's) its libpython and
    lib-dynload with debug data. Each library is stripped into a copy first; the copy
    replaces it only if its segments still load (load_segments_aligned), so a library that
    patchelf rewrote keeps its symbols rather than breaking. The executables are left
    alone: PyInstaller appends the app's archive to them, which strip would cut off.
    Returns (stripped, kept as they were because stripping would break them).
    """
    import os  # noqa: PLC0415 - build time only
    import shutil  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    strip = shutil.which("strip")
    if strip is None:
        return [], []
    stripped, refused = [], []
    for path in sorted(Path(bundle_dir).rglob("*.so*")):
        if path.is_symlink() or not path.is_file() or not re.search(r"\.so(\.|$)", path.name):
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        copy = path.with_name(path.name + ".stripped")
        subprocess.run([strip, "--strip-unneeded", "-o", str(copy), str(path)], check=True)
        with copy.open("rb") as handle:
            header = handle.read(65536)
        if copy.stat().st_size >= path.stat().st_size:
            copy.unlink()  # already stripped
        elif load_segments_aligned(header):
            shutil.copymode(path, copy)
            os.replace(copy, path)
            stripped.append(str(path))
        else:
            copy.unlink()
            refused.append(str(path))
    return stripped, refused


def read_version(init_file: str) -> str:
    """The package version, read from its source so the build needs no import of the app."""
    with open(init_file, encoding="utf-8") as handle:
        match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', handle.read(), re.MULTILINE)
    if not match:
        raise ValueError(f"no __version__ in {init_file}")
    return match.group(1)


def windows_version_info(version: str, program: str = APP_ID) -> object:
    """The Windows file-properties resource (Details tab) for one of the executables."""
    from PyInstaller.utils.win32 import versioninfo as vi  # noqa: PLC0415 - build time only

    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:4])
    numbers = (*numbers, 0, 0, 0, 0)[:4]
    strings = {
        "CompanyName": "Trackly",
        "FileDescription": APP_NAME if program == APP_ID else f"{APP_NAME} command line",
        "FileVersion": version,
        "InternalName": program,
        "OriginalFilename": f"{program}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            vi.StringFileInfo(
                [vi.StringTable("040904B0", [vi.StringStruct(k, v) for k, v in strings.items()])]
            ),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )


# The Visual C++ runtime may ship app-local (Microsoft's redistributable terms allow it, and
# Windows does not always have it): every other DLL that Windows itself provides must come
# from the user's Windows, never from the bundle.
WINDOWS_REDISTRIBUTABLE = re.compile(r"^(?:vcruntime140(?:_\d)?|msvcp140(?:_\d)?)\.dll$", re.I)
# DLLs that are Windows' own on every supported version, whatever the build machine shows.
_WINDOWS_API_SET = re.compile(r"^(?:api-ms-win-|ext-ms-win-)", re.I)


def windows_bundle_intruders(
    bundle_dir: str, system_dll_names: set[str], standin_digests: dict[str, str]
) -> list[str]:
    """Files in a Windows bundle that must not be there, each with the reason.

    `system_dll_names`: lower-case names of the DLLs in the build machine's (or Wine
    prefix's) system32; `standin_digests`: sha256 -> name of the Wine stand-ins, caught
    by content whatever they are called.
    """
    import hashlib  # noqa: PLC0415 - build time only
    from pathlib import Path  # noqa: PLC0415

    found = []
    for path in sorted(Path(bundle_dir).rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".dll", ".pyd", ".exe"):
            continue
        name = path.name.lower()
        relative = path.relative_to(bundle_dir).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in standin_digests:
            found.append(f"{relative}: the Wine stand-in {standin_digests[digest]}")
        elif WINDOWS_REDISTRIBUTABLE.match(name):
            continue
        elif _WINDOWS_API_SET.match(name) or name in system_dll_names:
            found.append(f"{relative}: a DLL that Windows itself provides")
    return found


def macos_info_plist(version: str) -> dict:
    """The .app's Info.plist (PyInstaller's BUNDLE writes it; these keys win over its own)."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": MACOS_BUNDLE_ID,
        "CFBundleExecutable": APP_ID,
        "CFBundlePackageType": "APPL",
        "CFBundleIconFile": "trackly.icns",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSMinimumSystemVersion": MACOS_MINIMUM,
        "NSHighResolutionCapable": True,
        "NSPrincipalClass": "NSApplication",
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHumanReadableCopyright": "© Trackly",
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "Spreadsheet",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": [
                    "public.comma-separated-values-text",
                    "org.openxmlformats.spreadsheetml.sheet",
                ],
            }
        ],
    }
