"""The main window: a step bar, the four steps in a stack, Back/Next, menu and toolbar.

Each step is a widget that takes the Session. MainWindow only moves between them; a step
may offer, duck-typed:
  `step_title: str`, `is_complete() -> bool`, `completion_changed = Signal(bool)`,
  `on_enter()` (called each time it is shown), `next_text: str` (the Next button's words).
The Send step also offers `is_sending()` and `stop_and_wait()`, which
`closeEvent` uses so a running send is stopped cleanly before the window goes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop import APP_NAME, __version__, paths
from trackly_desktop.ui import workers
from trackly_desktop.ui.background_tray import (
    KEEP_RUNNING,
    STOP_AND_CLOSE,
    BackgroundTray,
    answer_of,
    keep_running_question,
    status_words,
)
from trackly_desktop.ui.main_menus import build_menus, refresh_recent_menu
from trackly_desktop.ui.session import Session
from trackly_desktop.ui.step_bar import StepBar

log = logging.getLogger(__name__)

STEP_TITLES = ["Contacts", "Message", "Review", "Send"]
CONTACTS, MESSAGE, REVIEW, SEND = range(4)


class MainWindow(QMainWindow):
    """The one window of the app."""

    step_changed = Signal(int)
    # Made by ui.main_menus.build_menus.
    open_action: QAction
    sample_action: QAction
    do_not_text_action: QAction
    history_action: QAction
    settings_action: QAction
    about_action: QAction
    quit_action: QAction
    recent_menu: QMenu

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mainWindow")
        # The desktop adds the app's name after a title that is not the name itself
        # (QGuiApplication.applicationDisplayName), so the demo's title does not repeat it.
        self.setWindowTitle("Demo: nothing is really sent" if session.demo else APP_NAME)
        self.setMinimumSize(760, 520)

        self._build_steps()
        self._build_central()
        build_menus(self)
        self._restore_geometry()
        self.setAcceptDrops(True)  # a spreadsheet dropped on any step opens in Contacts
        self.session.settings_changed.connect(self._refresh_recent_menu)
        self.session.source_changed.connect(self._refresh_recent_menu)
        self.go_to(CONTACTS)

    # --- construction ---------------------------------------------------------------------
    def _build_steps(self) -> None:
        from trackly_desktop.ui.contacts_step import ContactsStep  # noqa: PLC0415
        from trackly_desktop.ui.message_step import MessageStep  # noqa: PLC0415
        from trackly_desktop.ui.review_step import ReviewStep  # noqa: PLC0415

        self.contacts_step = ContactsStep(self.session)
        self.message_step = MessageStep(self.session)
        self.review_step = ReviewStep(self.session)
        self.review_step.settings_requested.connect(self.open_settings)
        self.send_step = self._build_send_step()
        self.steps: list[QWidget] = [
            self.contacts_step,
            self.message_step,
            self.review_step,
            self.send_step,
        ]
        for step in self.steps:
            for name in ("completion_changed", "hint_changed"):
                signal = getattr(step, name, None)
                if signal is not None:
                    signal.connect(self._refresh_navigation)

    def _build_send_step(self) -> QWidget:
        # --- window engineer B: the Send step (ui/send_step.py) ---
        from trackly_desktop.ui.send_step import SendStep  # noqa: PLC0415

        step = SendStep(self.session)
        step.sending_changed.connect(lambda _sending: self._refresh_navigation())
        step.new_send_requested.connect(self.new_send)
        self.tray: BackgroundTray | None = None  # while running in the background
        self._quitting = False  # Quit from the tray: close without asking again
        # Once the window is up: offer to resume a send a crash, cancel or bad key left behind.
        QTimer.singleShot(0, self._offer_resume)
        return step

    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if self.session.demo:
            from trackly_desktop.ui.demo_banner import DemoBanner  # noqa: PLC0415

            self.demo_banner: QWidget | None = DemoBanner()
            layout.addWidget(self.demo_banner)
        else:
            self.demo_banner = None
        self.step_bar = StepBar(STEP_TITLES)
        self.step_bar.step_clicked.connect(self.go_to)
        layout.addWidget(self.step_bar)
        self.stack = QStackedWidget()
        for step in self.steps:
            self.stack.addWidget(step)
        layout.addWidget(self.stack, 1)

        footer = QWidget()
        footer.setObjectName("footer")
        row = QHBoxLayout(footer)
        row.setContentsMargins(12, 8, 12, 10)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("stepHint")
        self.hint_label.setWordWrap(True)
        row.addWidget(self.hint_label, 1)
        self.back_button = QPushButton("‹ &Back")
        self.back_button.setAccessibleName("Back to the previous step")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton("&Next ›")
        self.next_button.setDefault(True)
        self.next_button.setAccessibleName("Next step")
        self.next_button.clicked.connect(self.go_next)
        row.addWidget(self.back_button)
        row.addWidget(self.next_button)
        layout.addWidget(footer)
        self.setCentralWidget(central)

    def _refresh_recent_menu(self) -> None:
        refresh_recent_menu(self)

    # --- navigation -----------------------------------------------------------------------
    @property
    def current_step(self) -> int:
        return self.stack.currentIndex()

    def _is_complete(self, index: int) -> bool:
        check = getattr(self.steps[index], "is_complete", None)
        return bool(check()) if check is not None else True

    def _last_reachable(self) -> int:
        for index in range(len(self.steps) - 1):
            if not self._is_complete(index):
                return index
        return len(self.steps) - 1

    def go_to(self, index: int) -> None:
        index = max(0, min(index, self._last_reachable(), len(self.steps) - 1))
        self.stack.setCurrentIndex(index)
        self.step_bar.set_current(index)
        enter = getattr(self.steps[index], "on_enter", None)
        if enter is not None:
            enter()
        self._refresh_navigation()
        self.step_changed.emit(index)

    def go_next(self) -> None:
        if self.current_step < len(self.steps) - 1 and self._is_complete(self.current_step):
            self.go_to(self.current_step + 1)

    def go_back(self) -> None:
        if self.current_step > 0:
            self.go_to(self.current_step - 1)

    def _refresh_navigation(self, *_args: object) -> None:
        index = self.current_step
        step = self.steps[index]
        self.step_bar.set_reachable(self._last_reachable())
        self.back_button.setEnabled(index > 0)
        last = index == len(self.steps) - 1
        self.next_button.setVisible(not last)
        self.next_button.setEnabled(not last and self._is_complete(index))
        self.next_button.setText(getattr(step, "next_text", "&Next ›"))
        self.hint_label.setText(getattr(step, "hint_text", lambda: "")())

    # --- actions --------------------------------------------------------------------------
    def choose_file(self) -> None:
        self.go_to(CONTACTS)
        self.contacts_step.choose_file()

    def open_path(self, path: Path) -> None:
        self.go_to(CONTACTS)
        self.contacts_step.open_file(path)

    def open_sample(self) -> None:
        self.go_to(CONTACTS)
        self.contacts_step.open_sample()

    # --- window engineer B: History, Settings and results (ui/history_dialog.py, ...) ---
    def open_do_not_text(self) -> QDialog:
        from trackly_desktop.ui.do_not_text_dialog import DoNotTextDialog  # noqa: PLC0415

        dialog = DoNotTextDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_history(self) -> QDialog:
        from trackly_desktop.ui.history_dialog import HistoryDialog  # noqa: PLC0415

        dialog = HistoryDialog(self, demo=self.session.demo, cost_words=self.session.cost_words)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_results.connect(self.show_campaign_results)
        dialog.resume_requested.connect(self.resume_campaign)
        dialog.send_again_requested.connect(self.send_again_to_failed)
        dialog.open()
        return dialog

    def _show_send_page(self) -> None:
        # Results of a past campaign do not need today's contacts: skip the step checks.
        self.stack.setCurrentIndex(SEND)
        self.step_bar.set_current(SEND)
        self._refresh_navigation()
        self.step_changed.emit(SEND)

    def show_campaign_results(self, campaign_id: int) -> None:
        self.send_step.show_results(campaign_id)  # type: ignore[attr-defined]
        self._show_send_page()

    def send_again_to_failed(self, campaign_id: int) -> None:
        self.send_step.send_again_to_failed(campaign_id)  # type: ignore[attr-defined]
        self._show_send_page()

    def new_send(self) -> None:
        """After a send: start over with the same list and the message ready to edit."""
        self.session.set_campaign_id(None)
        self.send_step.show_ready()  # type: ignore[attr-defined]
        self.go_to(MESSAGE if self.session.table is not None else CONTACTS)

    def resume_campaign(self, campaign_id: int) -> None:
        self.send_step.resume_campaign(campaign_id)  # type: ignore[attr-defined]
        self._show_send_page()

    def _offer_resume(self) -> None:
        from trackly_desktop.ui.history_dialog import offer_resume  # noqa: PLC0415

        offer_resume(self, self.resume_campaign, demo=self.session.demo)
        from trackly_desktop.ui.schedule_actions import start_scheduled  # noqa: PLC0415

        start_scheduled(self, self.resume_campaign, demo=self.session.demo)

    def open_settings(self) -> QDialog:
        from trackly_desktop.ui.settings_dialog import SettingsDialog  # noqa: PLC0415

        session = self.session
        dialog = SettingsDialog(
            session.settings,
            session.key_store,
            demo=session.demo,
            fixed_list_number=session.list_number if session.demo else None,
            fixed_base_url=session.base_url if session.demo else None,
            key_source=session.api_key,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: session.update_settings(dialog.saved_settings()))
        dialog.open()
        return dialog

    # --- end of window engineer B's part ---

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br><br>"
            "Text your customers from a spreadsheet through Trackly.<br><br>"
            f"The app's log file is in:<br><code>{paths.log_dir()}</code>",
        )

    # --- a spreadsheet dropped anywhere ------------------------------------------------------
    @staticmethod
    def _dropped_spreadsheet(event: QDragEnterEvent | QDropEvent) -> Path | None:
        from trackly_desktop.ui.drop_zone import spreadsheet_in  # noqa: PLC0415

        mime = event.mimeData()
        urls = mime.urls() if mime.hasUrls() else []
        return spreadsheet_in([Path(u.toLocalFile()) for u in urls if u.isLocalFile()])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if self._dropped_spreadsheet(event) is not None and not self._sending():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        path = self._dropped_spreadsheet(event)
        if path is not None and not self._sending():
            event.acceptProposedAction()
            self.open_path(path)

    def _sending(self) -> bool:
        is_sending = getattr(self.send_step, "is_sending", None)
        return bool(is_sending is not None and is_sending())

    # --- geometry and closing -------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = self.session.settings
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode("ascii")))
        else:
            self.resize(1100, 720)
        if settings.window_state:
            self.restoreState(QByteArray.fromBase64(settings.window_state.encode("ascii")))

    def _save_geometry(self) -> None:
        settings = self.session.settings
        settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        settings.window_state = bytes(self.saveState().toBase64().data()).decode("ascii")
        try:
            self.session.save_settings()
        except OSError as exc:  # closing must not fail because the config folder is read-only
            log.warning("could not save the window position: %s", exc)

    def ask_keep_running(self, waiting_words: str) -> str:
        """Closing while messages wait: keep running in the background, stop, or stay
        (a separate method so tests can answer it)."""
        box = keep_running_question(self, f"{waiting_words}: messages are waiting to go.")
        box.exec()
        return answer_of(box)

    def go_to_background(self) -> None:
        """Hide the window; a tray icon shows the progress and has Quit."""
        if self.tray is None:
            icon = self.windowIcon()
            self.tray = BackgroundTray(icon, self)
            self.tray.show_requested.connect(self.come_back)
            self.tray.quit_requested.connect(self.quit_from_tray)
            self.send_step.progress_received.connect(  # type: ignore[attr-defined]
                lambda state: self.tray.show_status(status_words(state)) if self.tray else None
            )
            self.send_step.send_finished.connect(  # type: ignore[attr-defined]
                lambda _cid: self.tray.notify("Trackly", "Sending finished.") if self.tray else None
            )
        state = getattr(self.send_step.sending, "_last_state", None)  # type: ignore[attr-defined]
        if state is not None:
            self.tray.show_status(status_words(state))
        self.tray.start()
        self.hide()

    def come_back(self) -> None:
        if self.tray is not None:
            self.tray.stop()
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def quit_from_tray(self) -> None:
        """Quit: stop the send (held messages stay in the journal) and close."""
        self._quitting = True
        if self.tray is not None:
            self.tray.stop()
        self.close()

    def confirm_stop_sending(self) -> bool:
        """Ask before closing during a send; a separate method so tests can answer it."""
        answer = QMessageBox.question(
            self,
            "Stop sending?",
            "Messages are still being sent. Stop sending and close the app?\n\n"
            "Nothing is lost: the messages not sent yet are kept, and you can resume them "
            "from History the next time you open the app.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        is_sending = getattr(self.send_step, "is_sending", None)
        sending_page = getattr(self.send_step, "sending", None)
        waiting = sending_page is not None and getattr(sending_page, "waiting", False)
        if is_sending is not None and is_sending() and waiting and not self._quitting:
            # Messages wait for texting hours or a scheduled start: offer the background.
            answer = self.ask_keep_running(sending_page.title.text())
            if answer == KEEP_RUNNING:
                event.ignore()
                self.go_to_background()
                return
            if answer != STOP_AND_CLOSE:
                event.ignore()
                return
            self.send_step.stop_and_wait()  # type: ignore[attr-defined]
        elif is_sending is not None and is_sending() and self._quitting:
            self.send_step.stop_and_wait()  # type: ignore[attr-defined]  # Quit, asked already
        elif is_sending is not None and is_sending():
            if not self.confirm_stop_sending():
                event.ignore()
                return
            self.send_step.stop_and_wait()  # type: ignore[attr-defined]
        # Workers first: a settings save still running must not overwrite the geometry.
        if not workers.shutdown_all(timeout=15.0):
            log.warning("a background task did not stop within 15 s of closing")
        self._save_geometry()
        event.accept()
