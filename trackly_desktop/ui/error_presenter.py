"""Turn any exception into one plain sentence and show it in a dialog.

The core and the API client already raise exceptions whose text is written for the
operator (`TracklyDesktopError`, `ApiError`); everything else is a bug or an OS problem,
and the operator gets a calm sentence while the details go to the log file.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from trackly_desktop.core.errors import TracklyDesktopError

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something unexpected went wrong. Nothing was lost; the details are in the log file "
    "(Help ▸ About shows where)."
)


def _is_api_error(exc: BaseException) -> bool:
    # Imported on demand: the window should not pay for the HTTP stack before it sends.
    try:
        from trackly_desktop.api.errors import ApiError  # noqa: PLC0415
    except ImportError:  # pragma: no cover - only while the API package is missing
        return False
    return isinstance(exc, ApiError)


def describe_error(exc: BaseException) -> str:
    """The sentence to show the operator for `exc` (never a traceback, never the key)."""
    if _is_api_error(exc):
        # The plain words, not "code: words": the code is for the log and support.
        text = str(getattr(exc, "explanation", "") or exc).strip()
        return (text[:1].upper() + text[1:]) if text else UNEXPECTED
    if isinstance(exc, TracklyDesktopError):
        text = str(exc).strip()
        return text or UNEXPECTED
    if isinstance(exc, PermissionError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"The app is not allowed to use that file{where}. Is it open in another program?"
    if isinstance(exc, FileNotFoundError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"The file{where} could not be found. It may have been moved or deleted."
    if isinstance(exc, OSError):
        reason = exc.strerror or "the system refused"
        return f"The file could not be used: {reason}."
    return UNEXPECTED


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> QMessageBox:
    """Show `exc` as a plain warning dialog (non-blocking) and log the unexpected ones."""
    text = describe_error(exc)
    if text == UNEXPECTED:
        log.error("unexpected error shown to the operator", exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.setAccessibleName(title)
    # open(), not exec(): a nested event loop inside a signal handler is a re-entrancy trap.
    box.open()
    return box
