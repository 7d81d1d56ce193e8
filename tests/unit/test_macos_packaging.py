"""The macOS .app's Info.plist and the .dmg's layout, as far as Linux can check them.

Nothing runnable for macOS can be built here: the release workflow's macos job builds,
signs and starts the real .app. These pin what goes into it.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_contents as contents  # noqa: E402


def test_info_plist_fields():
    written = plistlib.dumps(contents.macos_info_plist("1.4.2"), fmt=plistlib.FMT_XML)
    plist = plistlib.loads(written)
    assert plist["CFBundleIdentifier"] == "com.tracklysms.desktop"
    assert plist["CFBundleName"] == "Trackly Desktop"
    assert plist["CFBundleExecutable"] == "trackly-desktop"
    assert plist["CFBundlePackageType"] == "APPL"
    assert plist["CFBundleIconFile"] == "trackly.icns"
    assert plist["CFBundleShortVersionString"] == "1.4.2"
    assert plist["CFBundleVersion"] == "1.4.2"
    assert plist["LSMinimumSystemVersion"] == "13.0"
    assert plist["NSHighResolutionCapable"] is True
    (documents,) = plist["CFBundleDocumentTypes"]
    assert documents["CFBundleTypeRole"] == "Viewer"  # opens spreadsheets, never edits them
    assert set(documents["LSItemContentTypes"]) == {
        "public.comma-separated-values-text",
        "org.openxmlformats.spreadsheetml.sheet",
    }


def test_minimum_macos_is_stated_where_users_and_packagers_read():
    for readme in (ROOT / "README.md", ROOT / "packaging" / "README.md"):
        assert "macOS 13 (Ventura) or later" in readme.read_text(encoding="utf-8"), readme
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    macos_job = workflow.split("\n  macos:", 1)[1].split("\n  publish:", 1)[0]
    assert '"PySide6-Essentials<6.12"' in macos_job  # 6.12+ wheels need macOS 14


def _fake_app(folder: Path) -> Path:
    """An .app laid out as PyInstaller's BUNDLE lays it out (a shell script as executable)."""
    app = folder / "Trackly Desktop.app"
    macos = app / "Contents" / "MacOS"
    resources = app / "Contents" / "Resources"
    macos.mkdir(parents=True)
    resources.mkdir()
    executable = macos / "trackly-desktop"
    executable.write_text("#!/bin/sh\necho trackly\n")
    executable.chmod(0o755)
    shutil.copyfile(ROOT / "resources" / "icons" / "trackly.icns", resources / "trackly.icns")
    with (app / "Contents" / "Info.plist").open("wb") as handle:
        plistlib.dump(contents.macos_info_plist("0.1.0"), handle)
    return app


def test_dmg_volume_layout(tmp_path):
    app = _fake_app(tmp_path / "dist")
    staging = tmp_path / "volume"
    staging.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MACOS_", "APPLE_"))}
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "macos" / "make_dmg.sh"), str(app),
         str(tmp_path / "TracklyDesktop-0.1.0.dmg")],
        env={**env, "DMG_STAGING_DIR": str(staging)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "unsigned" in result.stderr  # no identity: said, not silently skipped
    assert sorted(p.name for p in staging.iterdir()) == ["Applications", "Trackly Desktop.app"]
    assert os.readlink(staging / "Applications") == "/Applications"  # drag to install
    contents_dir = staging / "Trackly Desktop.app" / "Contents"
    plist = plistlib.loads((contents_dir / "Info.plist").read_bytes())
    executable = contents_dir / "MacOS" / plist["CFBundleExecutable"]
    assert executable.stat().st_mode & stat.S_IXUSR
    icon = contents_dir / "Resources" / plist["CFBundleIconFile"]
    assert icon.read_bytes()[:4] == b"icns"
