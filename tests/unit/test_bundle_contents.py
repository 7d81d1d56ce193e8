"""What the PyInstaller spec keeps and cuts (packaging/bundle_contents.py), without a build.

The full build is proven by tests/e2e/test_deb_package.py; these pin the rules by name on
the three systems' file layouts, so a rule change is seen in seconds.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_contents as contents  # noqa: E402

from trackly_desktop import __version__  # noqa: E402


@pytest.mark.parametrize(
    "name",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libQt6DBus.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/imageformats/libqico.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
        "PySide6\\Qt6Widgets.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets",
        "phonenumbers/data/region_GB.py",
        "resources/icons/trackly.svg",
        "libpython3.11.so.1.0",
        "numpy.libs/libscipy_openblas64_-32a4b2a6.so",
    ],
)
def test_kept(name):
    assert contents.entry_is_kept(name, linux=True)


@pytest.mark.parametrize(
    "name",
    [
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "libQt6OpenGL.so.6",  # PyInstaller's top-level link to a Qt library
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so",
        "PySide6\\Qt6Quick.dll",
        "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml",
        "phonenumbers/geodata/data0.py",
        "phonenumbers/carrierdata/data1.py",
        "resources/screenshots/contacts.png",
    ],
)
def test_cut(name):
    assert not contents.entry_is_kept(name, linux=True)


def test_system_libraries_are_cut_on_linux_only():
    for name in (
        "libxcb-cursor.so.0",
        "libX11.so.6",
        "libfontconfig.so.1",
        "libstdc++.so.6",
        # Python's own (ssl, hashlib, sqlite3, zlib, ctypes) and Qt's zstd: on every system.
        "libssl.so.3",
        "libcrypto.so.3",
        "libz.so.1",
        "libzstd.so.1",
        "libffi.so.8",
        "libsqlite3.so.0",
    ):
        assert not contents.entry_is_kept(name, linux=True)
        assert contents.entry_is_kept(name, linux=False)
    # The libraries that come with the wheels stay, whatever they link.
    for name in ("libpython3.11.so.1.0", "libshiboken6.abi3.so.6.11", "libicuuc.so.73"):
        assert contents.entry_is_kept(name, linux=True)


def test_every_cut_system_library_has_a_package_to_depend_on():
    pattern = re.compile("^(?:" + "|".join(contents.SYSTEM_LIBRARY_PATTERNS) + ")$")
    for soname, package in contents.SYSTEM_LIBRARIES.items():
        assert pattern.match(soname)
        for alternative in package.split("|"):
            assert alternative.strip() in " ".join(contents.debian_depends())
    depends = contents.debian_depends()
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1"):
        assert package in depends
    assert "libssl3t64 | libssl3" in depends  # Debian 13 / Ubuntu 24.04 renamed it
    assert "zlib1g" in depends


def _elf_header(*segments: tuple[int, int, int]) -> bytes:
    """A 64-bit little-endian ELF header with one PT_LOAD per (offset, address, align)."""
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", header, 0x20, 64)  # program headers right after this header
    struct.pack_into("<HH", header, 0x36, 56, len(segments))
    for offset, address, align in segments:
        header += struct.pack("<IIQQQQQQ", 1, 5, offset, address, address, 16, 16, align)
    return bytes(header)


def test_load_segments_aligned_accepts_what_the_loader_maps():
    # A usual library: the data segment sits a page further in memory than in the file.
    assert contents.load_segments_aligned(_elf_header((0, 0, 0x1000), (0x2E8800, 0x2E9800, 0x1000)))
    # libgfortran's 2 MB alignment, kept.
    assert contents.load_segments_aligned(_elf_header((0x275310, 0x475310, 0x200000)))


def test_load_segments_aligned_refuses_what_strip_did_to_openblas():
    # Read from the stripped copy of numpy 2.4's OpenBLAS, which `import numpy` refused
    # with "ELF load command address/offset not page-aligned".
    assert not contents.load_segments_aligned(
        _elf_header((0, 0, 0x1000), (0x16D1600, 0x16E1000, 0x1000))
    )
    # Page-aligned, but not to the segment's own 2 MB alignment.
    assert not contents.load_segments_aligned(_elf_header((0x1000, 0x3000, 0x200000)))
    assert not contents.load_segments_aligned(b"MZ\x90\x00" + bytes(60))  # not ELF


def test_prune_keeps_the_toc_shape():
    toc = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Qml.so.6", "/src/libQt6Qml.so.6", "BINARY"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
    ]
    assert contents.prune(toc, linux=True) == toc[:1]
    assert contents.prune(toc, linux=False) == [toc[0], toc[2]]


def test_excluded_modules_leave_what_the_app_imports():
    excluded = set(contents.EXCLUDED_MODULES)
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"):
        assert needed not in excluded
    assert {"phonenumbers.geocoder", "phonenumbers.carrier", "pyarrow", "tkinter"} <= excluded
    # Quiet hours read a number's time zones from phonenumbers' prefix tables.
    assert not {"phonenumbers.timezone", "phonenumbers.tzdata"} & excluded
    assert contents.entry_is_kept("phonenumbers/tzdata/data0.py", linux=True)
    # pandas imports pandas.plotting at start-up: excluding it would break `import pandas`.
    assert "pandas.plotting" not in excluded


def test_app_does_not_use_what_the_bundle_leaves_out():
    """Nothing in the package imports an excluded module (checked on the source text)."""
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "trackly_desktop").rglob("*.py")
    )
    for module in contents.EXCLUDED_MODULES:
        leaf = module.rsplit(".", 1)
        pattern = (
            rf"^\s*(import {re.escape(module)}\b|from {re.escape(module)} import"
            + (
                rf"|from {re.escape(leaf[0])} import [^\n]*\b{re.escape(leaf[1])}\b"
                if len(leaf) == 2
                else ""
            )
            + ")"
        )
        assert not re.search(pattern, sources, re.MULTILINE), f"the app imports {module}"


def test_version_comes_from_the_package():
    assert contents.read_version(str(ROOT / "trackly_desktop" / "__init__.py")) == __version__


def test_every_cli_subcommand_is_bundled():
    """`trackly` imports its subcommands by name, which PyInstaller cannot follow."""
    from trackly_desktop.cli import SUBCOMMANDS

    for name in SUBCOMMANDS:
        assert f"trackly_desktop.commands.{name}" in contents.HIDDEN_IMPORTS, name


def test_the_app_and_its_libraries_import_nothing_the_bundle_leaves_out():
    """numpy, pandas and Qt parts left out are not imported by any module of the app or by
    the libraries themselves (a new pandas that imports numpy.fft at start-up fails here)."""
    program = (
        "import importlib, pkgutil, sys\n"
        "import numpy, pandas, openpyxl, python_calamine, keyring, phonenumbers\n"
        "import trackly_desktop\n"
        "for module in pkgutil.walk_packages(trackly_desktop.__path__, 'trackly_desktop.'):\n"
        "    if not module.name.endswith('__main__'):  # those would start the program\n"
        "        importlib.import_module(module.name)\n"
        "print('\\n'.join(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    imported = set(result.stdout.split())
    assert {"numpy", "pandas", "PySide6.QtWidgets", "trackly_desktop.cli"} <= imported
    # The ones leaving out a part of a library the app does import.
    left_out = [
        m for m in contents.EXCLUDED_MODULES if m.startswith(("numpy.", "pandas.", "PySide6."))
    ]
    assert {"numpy.fft", "pandas._libs.sas", "PySide6.QtDBus"} <= set(left_out)
    assert not [m for m in left_out if m in imported]
