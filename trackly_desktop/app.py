"""Start the window: `trackly-desktop [--demo] [--smoke-test]`.

Start-up order matters for how fast the window appears: only Qt, the settings and the key
store are loaded before the window is shown; pandas, the spreadsheet readers and the HTTP
client are imported by the steps when first needed.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from collections.abc import Sequence

from trackly_desktop import APP_NAME, __version__, paths

log = logging.getLogger("trackly_desktop")

LOG_FILE_NAME = "trackly-desktop.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="trackly-desktop", description=f"{APP_NAME} window.")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="try the app with a built-in practice server: nobody receives the messages",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check that the installed app starts, then exit (used by the installers)",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser.parse_args(list(argv))


def configure_logging() -> logging.Handler:
    """Log to a rotating file in the user log folder (never to the operator's screen)."""
    handler = logging.handlers.RotatingFileHandler(
        paths.log_dir() / LOG_FILE_NAME,
        maxBytes=LOG_MAX_BYTES,
        backupCount=LOG_BACKUPS,
        encoding="utf-8",
        delay=True,
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke_test:
        from trackly_desktop.ui.smoke_test import run_smoke_test  # noqa: PLC0415

        return int(run_smoke_test())
    # The window's modules load after the arguments are read: `--help` needs no Qt.
    from trackly_desktop.ui.application import (  # noqa: PLC0415
        create_application,
        launch,
        route_qt_messages_to_log,
        show_start_failure,
    )

    configure_logging()
    route_qt_messages_to_log()
    log.info("%s %s starting%s", APP_NAME, __version__, " (demo)" if args.demo else "")
    app = create_application([])

    from trackly_desktop.ui import crash_handler  # noqa: PLC0415

    crash_handler.install()
    try:
        launched = launch(demo=args.demo)
    except Exception as exc:
        log.exception("the window could not start")
        crash_handler.uninstall()
        from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415

        qInstallMessageHandler(None)
        show_start_failure(exc)
        return 1
    try:
        launched.window.show()
        launched.window.session.warm_up_key_store()
        return int(app.exec())
    finally:
        launched.shutdown()
        crash_handler.uninstall()
        from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415

        qInstallMessageHandler(None)
        log.info("%s closed", APP_NAME)
