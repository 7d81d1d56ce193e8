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


def strip_host_python(bundle_dir: str) -> list[str]:
    """Strip debug symbols from the build machine's Python (libpython, lib-dynload).

    Only those: PyInstaller's own `strip=True` also strips the wheels' libraries, and
    stripping a library that auditwheel patched (numpy's OpenBLAS) breaks it.
    """
    import shutil  # noqa: PLC0415 - build time only
    import subprocess  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    strip = shutil.which("strip")
    if strip is None:
        return []
    root = Path(bundle_dir)
    targets = [
        p
        for p in (*root.rglob("libpython3*.so*"), *root.rglob("python3*/lib-dynload/*.so"))
        if p.is_file() and not p.is_symlink()
    ]
    for target in targets:
        subprocess.run([strip, "--strip-debug", str(target)], check=True)
    return [str(t) for t in targets]


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

