"""Catch the unexpected: log it in full, show the operator one calm sentence.

`install()` routes `sys.excepthook` and `threading.excepthook` here. The traceback goes to
the rotating log file; the operator sees a dialog that says nothing was lost and where the
details are. An exception raised in a worker thread is carried to the GUI thread by a
queued signal, because only the GUI thread may show a dialog.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from trackly_desktop import paths

log = logging.getLogger("trackly_desktop.crash")

FRIENDLY_TEXT = (
    "Something unexpected went wrong. Nothing you have sent was lost: the app keeps a record "
    "of every message. You can carry on, or close the app and open it again."
)


class _DialogBridge(QObject):
    show_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.show_requested.connect(self._show)
        self.open_dialogs: list[QMessageBox] = []
        # Several failures in a row should not bury the operator under dialogs.
        self.max_open = 1

    def _show(self, detail: str) -> None:
        # A dialog goes with the window it was shown over: one deleted since is no longer
        # open (asking it would raise here, and that error would come back here for ever).
        self.open_dialogs = [box for box in self.open_dialogs if isValid(box) and box.isVisible()]
        if len(self.open_dialogs) >= self.max_open:
            return
        parent = QApplication.activeWindow()
        box = QMessageBox(QMessageBox.Icon.Warning, "Something went wrong", FRIENDLY_TEXT)
        box.setParent(parent, box.windowFlags())
        box.setObjectName("crashDialog")
        box.setAccessibleName("Something went wrong")
        box.setInformativeText(f"Details are in the log file in {paths.log_dir()}.")
        box.setDetailedText(detail)
        box.open()
        self.open_dialogs.append(box)


_bridge: _DialogBridge | None = None
_previous_hooks: tuple | None = None


def report_unexpected(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    where: str = "",
) -> None:
    """Log an unexpected exception and, when a window is up, tell the operator gently."""
    if issubclass(exc_type, KeyboardInterrupt):
        return
    log.error("unexpected error%s", f" in {where}" if where else "", exc_info=(exc_type, exc, tb))
    if _bridge is not None and QApplication.instance() is not None:
        # Only the type and message: a traceback means nothing to the operator.
        _bridge.show_requested.emit(f"{exc_type.__name__}: {exc}")


def _sys_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    report_unexpected(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "a background thread"
    report_unexpected(args.exc_type, args.exc_value, args.exc_traceback, where=name)


def install() -> None:
    """Route uncaught exceptions of every thread here (call once a QApplication exists)."""
    global _bridge, _previous_hooks  # noqa: PLW0603 - one process-wide hook
    if _bridge is None:
        _bridge = _DialogBridge()
    if _previous_hooks is None:
        _previous_hooks = (sys.excepthook, threading.excepthook)
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def uninstall() -> None:
    """Put the previous hooks back (tests, and the end of `main`)."""
    global _previous_hooks  # noqa: PLW0603
    if _previous_hooks is not None:
        sys.excepthook, threading.excepthook = _previous_hooks
        _previous_hooks = None


def open_crash_dialogs() -> list[QMessageBox]:
    if _bridge is None:
        return []
    return [b for b in _bridge.open_dialogs if isValid(b) and b.isVisible()]
