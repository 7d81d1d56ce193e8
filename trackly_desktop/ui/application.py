"""The QApplication and the main window built, shut down in order (demo or real).

`app.main` reads the arguments and sets up logging; everything Qt starts here.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trackly_desktop import APP_NAME, __version__, paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from trackly_desktop.ui.main_window import MainWindow

log = logging.getLogger("trackly_desktop")


def route_qt_messages_to_log() -> None:
    """Qt's own warnings ("QThread: Destroyed while…") go to the log file, not a console."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: PLC0415

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger("trackly_desktop.qt")

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def create_application(argv: Sequence[str]) -> QApplication:
    """The QApplication, set up for high-DPI screens, the app icon and the system scheme."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from trackly_desktop.ui.responsiveness import GUI_SWITCH_INTERVAL_S  # noqa: PLC0415
    from trackly_desktop.ui.theme import follow_system_scheme  # noqa: PLC0415

    # Reading, checking, rendering and sending run in worker threads; a GUI thread waiting
    # for the GIL asks for it after 1 ms instead of 5. bench_gui_stall.py at 1,048,576 rows,
    # worst stall 5 ms -> 1 ms: read 99 -> 78, review 173 -> 54, record 114 -> 25, send
    # 184 -> 134 ms. A forced hand-over happens only while another thread wants the GIL.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    # Fractional scaling (125 %, 150 %) stays sharp instead of being rounded to 100 / 200 %.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication([sys.argv[0] if sys.argv else "trackly-desktop", *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Trackly")
    app.setDesktopFileName("trackly-desktop")
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    follow_system_scheme(app)
    return app


def app_icon() -> Any:
    """The Trackly icon in every size drawn for it, or None when the icon files are missing.

    The PNG sizes are used rather than the SVG: they need no image plugin (a trimmed
    installer may lack Qt's SVG plugin) and stay sharp at every common scale.
    """
    from PySide6.QtGui import QIcon  # noqa: PLC0415

    from trackly_desktop.resource_files import resource_path  # noqa: PLC0415

    try:
        folder = resource_path("icons")
    except FileNotFoundError:
        return None
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = folder / f"trackly-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    if icon.isNull() and (folder / "trackly.svg").is_file():
        icon = QIcon(str(folder / "trackly.svg"))
    return None if icon.isNull() else icon


@dataclass
class Launched:
    """What `launch` built, so `main` and the tests can shut it down in order."""

    window: MainWindow
    sandbox: Any = None  # sandbox.server.SandboxServer in demo mode
    extras: dict[str, Any] = field(default_factory=dict)

    def shutdown(self) -> None:
        from trackly_desktop.ui import workers  # noqa: PLC0415

        workers.shutdown_all(timeout=15.0)
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


def start_demo_sandbox() -> tuple[Any, str]:
    """The practice server, inside this process, on a free loopback port.

    It freezes the collector's view after each request (`freeze_gc`): its duplicate memory
    grows by one entry per message and every collection walked it while holding the GIL,
    60-85 ms each by the end of a million-message demo send (bench_gui_stall.py: worst
    stall 159 -> 58 ms). The price: cyclic garbage alive at a freeze is never reclaimed
    (3,341 objects over a whole million-message send), acceptable for the demo.
    """
    from trackly_desktop.sandbox.demo_data import (  # noqa: PLC0415
        DEMO_CARRIER_TROUBLE_NUMBERS,
        DEMO_LATENCY_JITTER_MS,
        DEMO_LATENCY_MS,
        DEMO_LOST_ANSWER_NUMBERS,
    )
    from trackly_desktop.sandbox.faults import FaultConfig  # noqa: PLC0415
    from trackly_desktop.sandbox.server import SandboxServer  # noqa: PLC0415

    # A network's delay on every answer; with the demo's small batches (core.sending.job)
    # the sample's send takes a few seconds, so progress and Pause are seen at work, and
    # the sample's opted-out and VOIP people fill the failures table. One batch's answer
    # is lost (the app checks again under the duplicate check) and one person's carrier
    # is briefly unavailable (a failure that "Send again" fixes): see demo_data.
    faults = FaultConfig(latency_ms=DEMO_LATENCY_MS, latency_jitter_ms=DEMO_LATENCY_JITTER_MS)
    server = SandboxServer(freeze_gc=True, faults=faults)
    server.answer_lost_once.update(DEMO_LOST_ANSWER_NUMBERS)
    server.carrier_trouble_once.update(DEMO_CARRIER_TROUBLE_NUMBERS)
    base_url = server.start()
    return server, base_url


def launch(*, demo: bool) -> Launched:
    """Build the session and the main window (the QApplication must exist)."""
    from trackly_desktop.settings import load_settings  # noqa: PLC0415
    from trackly_desktop.ui.main_window import MainWindow  # noqa: PLC0415
    from trackly_desktop.ui.session import Session  # noqa: PLC0415

    settings = load_settings()
    server = None
    if demo:
        from trackly_desktop.sandbox.demo_data import (  # noqa: PLC0415
            DEMO_API_KEY,
            DEMO_LIST_NUMBER,
        )

        server, base_url = start_demo_sandbox()
        # The demo key stays in this session's memory: it is never written to the keyring.
        session = Session(
            settings,
            None,  # made in the background once the window is up
            demo=True,
            demo_api_key=DEMO_API_KEY,
            base_url_override=base_url,
            list_number_override=DEMO_LIST_NUMBER,
            demo_pacing=True,
        )
        log.info("demo mode: practice server at %s", base_url)
    else:
        session = Session(settings, None)
    try:
        window = MainWindow(session)
    except BaseException:
        if server is not None:
            server.stop()
        raise
    return Launched(window=window, sandbox=server)


def show_start_failure(exc: BaseException) -> None:
    """Tell the operator, in a dialog, that the window could not open (details in the log)."""
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    from trackly_desktop.core.errors import TracklyDesktopError  # noqa: PLC0415

    reason = f" {exc}" if isinstance(exc, TracklyDesktopError) else ""
    QMessageBox.critical(
        None,
        APP_NAME,
        f"{APP_NAME} could not start.{reason}\n\nThe details are in the log file in "
        f"{paths.log_dir()}.",
    )
