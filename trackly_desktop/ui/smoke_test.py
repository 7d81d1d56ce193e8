"""`trackly-desktop --smoke-test`: prove an installed copy of the app works, then exit.

The installers' tests run this inside the bundle they just built, so every check goes
through what a frozen app can lose: Qt plugins, the bundled resources, pandas and the
spreadsheet readers, phonenumbers' metadata, keyring's entry points, sockets and the HTTP
client. It needs no display (Qt runs offscreen), no network (the sandbox listens on
loopback) and no keyring (it only asks which backend keyring picked).

It prints one line per check and exits 0, or 1 with the reason of the first failure.
`TRACKLY_SMOKE_TEST_REPORT=<file>` also writes the report to a file, for Windows, where a
windowed program has no console to print to.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

REPORT_ENV = "TRACKLY_SMOKE_TEST_REPORT"
SEND_COUNT = 3
# How long the window may take to be shown before the check fails (a frozen app that hangs
# on start-up must fail the installer's test, not stall it).
WINDOW_TIMEOUT_S = 60.0
SMOKE_BODY = "Trackly smoke test: your order is ready."

Check = Callable[["SmokeContext"], str]


@dataclass
class SmokeContext:
    """What the checks hand on to each other (the window, the sandbox, the numbers)."""

    launched: Any = None  # app.Launched
    phones: list[str] = field(default_factory=list)
    base_url: str = ""


def process_age_s() -> float | None:
    """Seconds since this process started (Linux), None where the OS does not tell."""
    # Only Linux: under Wine, "/proc/self/stat" is readable through drive Z: too.
    if not sys.platform.startswith("linux"):
        return None
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError):
        return None
    # Field 22 (start time in clock ticks since boot) follows the ")" that ends field 2.
    start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
    return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))


def check_window(ctx: SmokeContext) -> str:
    """The real start-up path (application, session, main window), shown offscreen."""
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from trackly_desktop.ui.application import create_application, launch  # noqa: PLC0415

    started = time.perf_counter()
    app = create_application([])
    ctx.launched = launch(demo=True)
    window = ctx.launched.window
    window.show()
    deadline = time.monotonic() + WINDOW_TIMEOUT_S
    while not window.isVisible() or window.windowHandle() is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the main window was not shown within {WINDOW_TIMEOUT_S:.0f} s")
        QApplication.processEvents()
    QApplication.processEvents()
    in_process = time.perf_counter() - started
    age = process_age_s()
    since_launch = f"{age:.2f} s after launch, " if age is not None else ""
    title = window.windowTitle()
    if not title:
        raise RuntimeError("the main window has no title")
    if app.windowIcon().isNull():
        raise RuntimeError("the app icon did not load (icons missing from the resources?)")
    return f"“{title}” shown {since_launch}{in_process:.2f} s to build ({app.platformName()})"


def check_qt_plugins(ctx: SmokeContext) -> str:
    """The image plugins the icon needs, and the platform plugins a desktop needs."""
    from PySide6.QtCore import QLibraryInfo  # noqa: PLC0415
    from PySide6.QtGui import QImageReader  # noqa: PLC0415

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"svg", "png", "ico"} - formats
    if missing:
        raise RuntimeError(f"Qt cannot read these image formats: {', '.join(sorted(missing))}")
    platforms_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    found = sorted(p.name for p in platforms_dir.glob("*") if p.is_file())
    wanted = {"linux": "xcb", "win32": "qwindows", "darwin": "cocoa"}.get(sys.platform)
    if wanted and not any(wanted in name for name in found):
        raise RuntimeError(f"the {wanted} platform plugin is missing from {platforms_dir}")
    return f"images {', '.join(sorted(formats & {'svg', 'png', 'ico', 'icns'}))}; " + (
        f"platforms {', '.join(found)}"
    )


def check_sorting(ctx: SmokeContext) -> str:
    """Qt's locale-aware sorting works (on Linux through ICU's collation data, which the
    bundle ships trimmed: packaging/icu_data.py). A plain code-point order would put "é"
    and "zoë" after "f", and "Eve" first."""
    from functools import cmp_to_key  # noqa: PLC0415

    from PySide6.QtCore import QCollator, QLocale  # noqa: PLC0415

    collator = QCollator(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    words = sorted(["zoë", "f", "é", "e", "Eve"], key=cmp_to_key(collator.compare))
    if words != ["e", "é", "Eve", "f", "zoë"]:
        raise RuntimeError(f"locale-aware sorting gave {', '.join(words)}")
    return "e, é, Eve, f, zoë (English collation)"


def _sample(name: str) -> Path:
    from trackly_desktop.resource_files import resource_path  # noqa: PLC0415

    path = resource_path(name)
    if not path.is_file():
        raise RuntimeError(f"{name} is missing from the app's resources ({path.parent})")
    return path


def check_spreadsheets(ctx: SmokeContext) -> str:
    """Both readers (text and workbook) on the sample contacts shipped with the app."""
    from trackly_desktop.core.contacts.mapping import suggest_mapping  # noqa: PLC0415
    from trackly_desktop.core.reading.spreadsheet import read_table  # noqa: PLC0415

    csv_table = read_table(_sample("sample_contacts.csv"))
    xlsx_table = read_table(_sample("sample_contacts.xlsx"))
    if len(csv_table) == 0 or len(xlsx_table) == 0:
        raise RuntimeError("a sample spreadsheet was read as empty")
    phone_column = suggest_mapping(csv_table).phone
    if phone_column is None:
        raise RuntimeError("no phone column was recognised in sample_contacts.csv")
    ctx.phones = csv_table.column_values(phone_column)
    return (
        f"sample_contacts.csv {len(csv_table)} rows, sample_contacts.xlsx {len(xlsx_table)} rows"
        f" (phone column “{phone_column}”)"
    )


def check_phone_numbers(ctx: SmokeContext) -> str:
    """phonenumbers' metadata is in the bundle: a good number passes, a bad one does not."""
    from trackly_desktop.core.phones.check import check_phone  # noqa: PLC0415
    from trackly_desktop.sandbox.demo_data import (  # noqa: PLC0415
        DEMO_CARRIER_TROUBLE_NUMBERS,
        DEMO_LOST_ANSWER_NUMBERS,
        DEMO_OPTED_OUT_NUMBERS,
        DEMO_VOIP_NUMBERS,
    )

    uk = check_phone("020 7946 0958", "GB")
    if uk.e164 != "+442079460958":
        raise RuntimeError(f"020 7946 0958 (GB) was read as {uk.e164 or uk.reason}")
    bad = check_phone("12345", "US")
    if bad.ok:
        raise RuntimeError("12345 was accepted as a US mobile number")
    # Numbers the sandbox turns down or answers oddly on purpose (for the demo) are skipped.
    refused = {
        *DEMO_VOIP_NUMBERS,
        *DEMO_OPTED_OUT_NUMBERS,
        *DEMO_LOST_ANSWER_NUMBERS,
        *DEMO_CARRIER_TROUBLE_NUMBERS,
    }
    sendable = [c.e164 for c in (check_phone(v, "US") for v in ctx.phones) if c.e164]
    ctx.phones = [n for n in dict.fromkeys(sendable) if n not in refused][:SEND_COUNT]
    if len(ctx.phones) < SEND_COUNT:
        raise RuntimeError(f"fewer than {SEND_COUNT} sendable numbers in sample_contacts.csv")
    return f"+442079460958 valid, 12345 refused ({bad.reason})"


def check_time_zones(ctx: SmokeContext) -> str:
    """Zone names resolve (Windows has no system zone database: the tzdata package must be
    bundled) and phonenumbers' time-zone tables, which quiet hours read, are there."""
    import importlib.util  # noqa: PLC0415
    import zoneinfo  # noqa: PLC0415
    from datetime import datetime, timedelta  # noqa: PLC0415

    import phonenumbers  # noqa: PLC0415
    from phonenumbers import timezone as number_zones  # noqa: PLC0415

    zones = tuple(number_zones.time_zones_for_number(phonenumbers.parse("+442079460958")))
    if zones != ("Europe/London",):
        raise RuntimeError(f"+442079460958 was placed in {zones or 'no time zone'}")
    try:
        winter = datetime(2026, 1, 15, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    except zoneinfo.ZoneInfoNotFoundError as exc:
        raise RuntimeError("the zone America/New_York is unknown (no zone data)") from exc
    if winter.utcoffset() != timedelta(hours=-5):
        raise RuntimeError(f"America/New_York is UTC{winter.utcoffset()} in January")
    bundled = importlib.util.find_spec("tzdata") is not None
    if sys.platform == "win32" and not bundled:
        raise RuntimeError("the tzdata package is missing: Windows has no zone database")
    source = "the tzdata package" if bundled else "the system's zone database"
    return f"+442079460958 in Europe/London; America/New_York UTC-05:00 in January ({source})"


def _credential_round_trip(backend: Any) -> str:
    """Store, read back and delete a throwaway secret (never the user's key)."""
    import secrets  # noqa: PLC0415

    service, account, secret = "Trackly Desktop smoke test", "smoke-test", secrets.token_hex(8)
    backend.set_password(service, account, secret)
    try:
        read_back = backend.get_password(service, account)
    finally:
        backend.delete_password(service, account)
    if read_back != secret:
        raise RuntimeError(f"{type(backend).__name__} gave back a different secret")
    if backend.get_password(service, account) is not None:
        raise RuntimeError(f"{type(backend).__name__} kept a deleted secret")
    return "stored, read back and deleted a test secret"


def check_keyring(ctx: SmokeContext) -> str:
    """keyring's backends are found through entry points: their metadata must be bundled.

    On Windows the key lives in the Credential Manager (WinVault), which every user has:
    a real round trip there, under a service name of its own."""
    from importlib.metadata import entry_points  # noqa: PLC0415

    from trackly_desktop.secrets import KeyStore  # noqa: PLC0415

    backends = entry_points(group="keyring.backends")
    if not backends:
        raise RuntimeError("keyring's backend entry points are missing (no package metadata)")
    detail = f"backend {KeyStore().backend_name} ({len(backends)} backends known)"
    if sys.platform == "win32":
        import keyring  # noqa: PLC0415

        backend = keyring.get_keyring()
        if type(backend).__name__ != "WinVaultKeyring":
            raise RuntimeError(f"keyring chose {type(backend).__name__}, not WinVaultKeyring")
        detail += f"; Credential Manager: {_credential_round_trip(backend)}"
    return detail


def check_sandbox_send(ctx: SmokeContext) -> str:
    """Three messages to the practice server over loopback HTTP, as the demo sends them."""
    from trackly_desktop.api.client import TracklyClient  # noqa: PLC0415
    from trackly_desktop.sandbox.demo_data import (  # noqa: PLC0415
        DEMO_API_KEY,
        DEMO_LIST_NUMBER,
    )

    sandbox = ctx.launched.sandbox if ctx.launched is not None else None
    if sandbox is None or not sandbox.running:
        raise RuntimeError("the demo's practice server is not running")
    ctx.base_url = sandbox.base_url
    messages = [{"to": phone, "body": SMOKE_BODY} for phone in ctx.phones]
    with TracklyClient(DEMO_API_KEY, ctx.base_url, timeout=20.0, max_attempts=2) as client:
        result = client.send_bulk(DEMO_LIST_NUMBER, messages)
    if result.queued_count != len(messages) or result.errors:
        reasons = "; ".join(f"{e.to}: {e.code}" for e in result.errors) or "no errors listed"
        raise RuntimeError(f"{result.queued_count} of {len(messages)} queued ({reasons})")
    return f"{result.queued_count} queued at {ctx.base_url}"


def check_ledger(ctx: SmokeContext) -> str:
    """The server's record agrees: each number once, with the body as sent."""
    entries = ctx.launched.sandbox.ledger.entries()
    got = sorted((e.to, e.body) for e in entries)
    want = sorted((phone, SMOKE_BODY) for phone in ctx.phones)
    if got != want:
        raise RuntimeError(f"the sandbox recorded {len(got)} messages, not the {len(want)} sent")
    return f"{len(entries)} messages recorded, one per number"


CHECKS: tuple[tuple[str, Check], ...] = (
    ("window", check_window),
    ("qt plugins", check_qt_plugins),
    ("sorting", check_sorting),
    ("spreadsheets", check_spreadsheets),
    ("phone numbers", check_phone_numbers),
    ("time zones", check_time_zones),
    ("keyring", check_keyring),
    ("sandbox send", check_sandbox_send),
    ("sandbox ledger", check_ledger),
)


def run_checks(checks: tuple[tuple[str, Check], ...], ctx: SmokeContext, out: TextIO) -> int:
    """Run the checks in order, stop at the first failure; 0 when all passed, else 1."""
    for name, check in checks:
        try:
            detail = check(ctx)
        except Exception as exc:  # any failure is the report's subject, not a crash
            reason = str(exc) or type(exc).__name__
            print(f"FAIL  {name}: {reason} [{type(exc).__name__}]", file=out, flush=True)
            print(f"smoke test FAILED at “{name}”", file=out, flush=True)
            return 1
        print(f"ok    {name}: {detail}", file=out, flush=True)
    print(f"smoke test passed: {len(checks)} checks", file=out, flush=True)
    return 0


class _Tee:
    """Writes to the console (when there is one) and to the report file (when asked)."""

    def __init__(self, *streams: TextIO | None) -> None:
        self._streams = [s for s in streams if s is not None]

    def write(self, text: str) -> int:
        for stream in self._streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self._streams:
            stream.flush()


def _shutdown(ctx: SmokeContext) -> None:
    if ctx.launched is None:
        return
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    window = ctx.launched.window
    ctx.launched.shutdown()
    window.close()
    window.deleteLater()
    QApplication.processEvents()


def run_smoke_test(out: TextIO | None = None) -> int:
    """Run every check and print the report; the process exit code (0 ok, 1 failed)."""
    # Before any Qt import: the test must run without a display, and must not touch the
    # user's saved key (the sandbox key lives in the demo session's memory only).
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The demo session keeps a journal and settings: in a throwaway folder, so checking an
    # installation leaves nothing in the user's own folders.
    scratch_home = None
    if not os.environ.get("TRACKLY_DESKTOP_HOME"):
        scratch_home = tempfile.mkdtemp(prefix="trackly-smoke-")
        os.environ["TRACKLY_DESKTOP_HOME"] = scratch_home
    report_path = os.environ.get(REPORT_ENV)
    report = open(report_path, "w", encoding="utf-8") if report_path else None  # noqa: SIM115
    stream = _Tee(out if out is not None else sys.stdout, report)
    ctx = SmokeContext()
    try:
        return run_checks(CHECKS, ctx, stream)  # type: ignore[arg-type]
    finally:
        _shutdown(ctx)
        if report is not None:
            report.close()
        if scratch_home is not None:
            del os.environ["TRACKLY_DESKTOP_HOME"]
            shutil.rmtree(scratch_home, ignore_errors=True)
