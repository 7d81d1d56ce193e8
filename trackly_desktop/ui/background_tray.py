"""Running in the background while messages wait for their texting hours (or a scheduled
start): a tray icon with the progress and Quit, instead of a window.

Closing the window while a send only waits asks whether to keep running in the background,
and says plainly that nothing is sent while the app is closed. Quit from the tray (or a
window closed with "Stop and close") stops the send; the held messages stay in the journal
and are offered at the next start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon, QWidget

from trackly_desktop.core.audience.wording import CLOSED_APP_NOTE

KEEP_RUNNING, STOP_AND_CLOSE, STAY = "keep", "stop", "stay"


def keep_running_question(parent: QWidget, waiting_words: str) -> QMessageBox:
    """The question asked when the window closes while messages wait (not yet shown)."""
    box = QMessageBox(parent)
    box.setObjectName("keepRunningQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Keep sending in the background?")
    box.setText(
        f"{waiting_words}\n\nKeep Trackly running in the background? It sends each "
        "message when its time comes, with an icon near the clock that shows the progress "
        f"and has Quit.\n\n{CLOSED_APP_NOTE} If you stop now, the messages not sent yet "
        "are kept and offered the next time you open the app."
    )
    box.keep_button = box.addButton(  # type: ignore[attr-defined]
        "Keep running in the background", QMessageBox.ButtonRole.AcceptRole
    )
    box.stop_button = box.addButton(  # type: ignore[attr-defined]
        "Stop and close", QMessageBox.ButtonRole.DestructiveRole
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(box.keep_button)  # type: ignore[attr-defined]
    return box


def answer_of(box: QMessageBox) -> str:
    clicked = box.clickedButton()
    if clicked is box.keep_button:  # type: ignore[attr-defined]
        return KEEP_RUNNING
    if clicked is box.stop_button:  # type: ignore[attr-defined]
        return STOP_AND_CLOSE
    return STAY


class BackgroundTray(QObject):
    """The tray icon while the window is hidden: progress in its tooltip and menu."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = QSystemTrayIcon(icon, self)
        self.tray.setObjectName("backgroundTray")
        menu = QMenu()
        self.status_action = QAction("Waiting…", menu)
        self.status_action.setEnabled(False)
        show = QAction("&Show Trackly", menu)
        show.triggered.connect(self.show_requested)
        quit_action = QAction("&Quit (stop sending)", menu)
        quit_action.setObjectName("trayQuit")
        quit_action.triggered.connect(self.quit_requested)
        menu.addAction(self.status_action)
        menu.addSeparator()
        menu.addAction(show)
        menu.addAction(quit_action)
        self.menu = menu
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(lambda _reason: self.show_requested.emit())
        self.text = ""

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def start(self) -> None:
        QApplication.setQuitOnLastWindowClosed(False)  # the hidden window is not the end
        self.tray.show()

    def stop(self) -> None:
        self.tray.hide()
        QApplication.setQuitOnLastWindowClosed(True)

    def show_status(self, text: str) -> None:
        self.text = text
        self.status_action.setText(text)
        self.tray.setToolTip(f"Trackly: {text}")

    def notify(self, title: str, text: str) -> None:
        if self.tray.isVisible() and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, text)


def status_words(state: Any) -> str:
    """The tray's one line for a `SendProgress`."""
    from trackly_desktop.ui.sending_page import waiting_sentence  # noqa: PLC0415

    waiting = waiting_sentence(state)
    if waiting is not None:
        return waiting[1].split(". ")[0] + "."
    return f"sending: {state.sent:,} sent, {state.remaining:,} left"
