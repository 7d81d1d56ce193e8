"""What the PyInstaller spec keeps and cuts (packaging/bundle_contents.py), without a build.

The full build is proven by tests/e2e/test_deb_package.py; these pin the rules by name on
the three systems' file layouts, so a rule change is seen in seconds.
"""

from __future__ import annotations

import re
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
        "libssl.so.3",
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
    for name in ("libxcb-cursor.so.0", "libX11.so.6", "libfontconfig.so.1", "libstdc++.so.6"):
        assert not contents.entry_is_kept(name, linux=True)
        assert contents.entry_is_kept(name, linux=False)
    # Python's own needs stay bundled: they are not display libraries.
    for name in ("libssl.so.3", "libcrypto.so.3", "libz.so.1", "libffi.so.8", "libsqlite3.so.0"):
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
