"""The Send step: confirm in one exact sentence, send in the background, then show results.

Three pages: ready (what will happen and the Send button), sending (progress with counts,
speed and time left; Pause/Resume and Cancel), and the results view. The engine runs in a
worker through `ui.workers`; the window stays responsive and `stop_and_wait()` lets the
main window stop a send cleanly before it closes.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core import collector
from trackly_desktop.core.errors import Cancelled
from trackly_desktop.core.results.wording import confirmation_sentence, ready_sentence, send_totals
from trackly_desktop.core.sending.job import (
    NO_NUMBER,
    SendJob,
    SendOutcome,
    SendPlan,
    new_campaign_plan,
    resume_plan,
)
from trackly_desktop.ui.error_presenter import show_error
from trackly_desktop.ui.results_view import ResultsView
from trackly_desktop.ui.send_later import QuietControls, schedule_words
from trackly_desktop.ui.sending_page import SendingPage
from trackly_desktop.ui.workers import BackgroundTask, run_in_background

log = logging.getLogger(__name__)

READY_PAGE, SENDING_PAGE, RESULTS_PAGE = range(3)


class SendStep(QWidget):
    """Send the reviewed campaign; `is_sending()` / `stop_and_wait()` for the window."""

    sending_changed = Signal(bool)
    send_finished = Signal(int)  # campaign id, after the results are on screen
    progress_received = Signal(object)  # SendProgress, emitted from the worker thread
    totals_ready = Signal(int, int)  # messages, parts: the Send button is ready
    new_send_requested = Signal()  # "New send" on the results: the window goes to Message

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendStep")
        self.session = session
        self._job: SendJob | None = None
        self._task: BackgroundTask | None = None
        self._totals: tuple[int, int] | None = None
        self.confirm_box: QMessageBox | None = None
        self.last_outcome: SendOutcome | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._ready_page())
        self.sending = SendingPage()
        self.sending.pause_toggled.connect(self._pause_toggled)
        self.sending.cancel_clicked.connect(self.cancel)
        self.pages.addWidget(self.sending)
        self.results = ResultsView(session)
        self.results.retry_requested.connect(self.resume_campaign)
        self.results.new_send_requested.connect(self.new_send_requested)
        self.pages.addWidget(self.results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        # Queued: the engine reports from its worker thread, widgets change on this one.
        self.progress_received.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        session.recipients_changed.connect(self._recipients_changed)
        # After a send, a changed message, list or switch is a new campaign: the last
        # results must never stand in for it.
        session.template_changed.connect(self._campaign_inputs_changed)
        session.source_changed.connect(self._campaign_inputs_changed)
        session.send_options_changed.connect(self._campaign_inputs_changed)
        session.settings_changed.connect(self.refresh)
        self.refresh()

    # ---- pages -------------------------------------------------------------------------
    def _ready_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("Send")
        title.setObjectName("stepTitle")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.ready_label = QLabel()
        self.ready_label.setObjectName("readySummary")
        self.ready_label.setWordWrap(True)
        self.ready_label.setStyleSheet("font-size: 13pt;")
        self.send_button = QPushButton("Send…")
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName("Send the messages")
        self.send_button.setDefault(True)
        self.send_button.setMinimumHeight(40)
        self.send_button.clicked.connect(self.ask_to_send)
        self.history_hint = QLabel(
            "Every message is recorded as it goes, so if the computer or the connection "
            "stops, you can pick up where you left off from History."
        )
        self.history_hint.setWordWrap(True)
        self.history_hint.setStyleSheet("color: palette(placeholder-text);")
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addStretch(1)
        self.quiet_controls = QuietControls(self.session)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(title)
        layout.addWidget(self.ready_label)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.quiet_controls)
        layout.addSpacing(12)
        layout.addWidget(self.history_hint)
        layout.addStretch(1)
        return page

    # ---- ready -------------------------------------------------------------------------
    step_title = "Send"

    def on_enter(self) -> None:
        """Called by the window each time the step is shown."""
        if self.pages.currentIndex() == READY_PAGE:
            self.refresh()

    def hint_text(self) -> str:
        if self.is_sending():
            return "You can keep working while it sends; closing the window asks first."
        return ""

    def _recipients_changed(self) -> None:
        if not self.is_sending():
            self.pages.setCurrentIndex(READY_PAGE)
            self.refresh()

    def _campaign_inputs_changed(self, *_args: object) -> None:
        # Counted again when the step is next shown (on_enter), not at every keystroke.
        if not self.is_sending():
            self.pages.setCurrentIndex(READY_PAGE)
            self._totals = None
            self.send_button.setEnabled(False)

    def refresh(self) -> None:
        """Re-count what would be sent, in the background (a million rows take a moment)."""
        if self.is_sending():
            return
        recipients = self.session.recipients
        self._totals = None
        self.send_button.setEnabled(False)
        if recipients is None:
            self._show_totals(recipients, (0, 0))
            return
        self.ready_label.setText("Counting the messages…")
        run_in_background(
            lambda _p, _c: send_totals(recipients),
            on_done=lambda totals: self._show_totals(recipients, totals),
            on_error=lambda exc: show_error(self, "Send", exc),
            parent=self,
            label="send-totals",
        )

    def _show_totals(self, recipients: Any, totals: tuple[int, int]) -> None:
        if recipients is not self.session.recipients:
            return  # the contacts changed meanwhile; a newer count is on its way
        self._totals = totals
        messages, parts = totals
        number = self.session.list_number
        cost = self.session.cost_words(parts)
        self.ready_label.setText(
            ready_sentence(messages, parts, number, demo=self.session.demo, cost=cost)
        )
        self.send_button.setEnabled(messages > 0 and bool(number) and not self.is_sending())
        self.totals_ready.emit(messages, parts)

    def show_ready(self) -> None:
        self.pages.setCurrentIndex(READY_PAGE)
        self.refresh()

    def ask_to_send(self) -> None:
        """Show the confirmation; sending starts only when the operator agrees."""
        if self._totals is None or self.is_sending():
            return
        messages, parts = self._totals
        if messages == 0:
            return
        if not self.session.list_number:
            show_error(self, "No sending number", Cancelled(NO_NUMBER))
            return
        box = QMessageBox(self)
        box.setObjectName("confirmSend")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Send messages")
        box.setText(
            confirmation_sentence(
                messages, parts, self.session.list_number, self.session.cost_words(parts)
            )
            + schedule_words(self.session)
        )
        box.setInformativeText(
            ("Demo: nobody receives these messages.\n" if self.session.demo else "")
            + "You can pause or cancel while it sends. Messages already handed to Trackly "
            "cannot be called back." + _shared_words(self.session)
        )
        verb = "Schedule" if self.session.scheduled_for is not None else "Send"
        self.confirm_send_button = box.addButton(
            f"{verb} {messages:,} message{'s' if messages != 1 else ''}",
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._confirmed(box))
        self.confirm_box = box
        box.open()

    def _confirmed(self, box: QMessageBox) -> None:
        self.confirm_box = None
        if box.clickedButton() is self.confirm_send_button:
            self.start_send()
        box.deleteLater()

    # ---- sending -----------------------------------------------------------------------
    def start_send(self) -> None:
        """Record a new campaign from the session's recipients and send it (or, scheduled,
        wait for its time)."""
        self._run(new_campaign_plan(self.session, self.results.journal_path))
        self.session.scheduled_for = None  # the campaign keeps it; the next send is "now"
        self.quiet_controls.refresh()

    def resume_campaign(self, campaign_id: int) -> None:
        """Send what is still pending in `campaign_id` (a resume, or a retry after marking)."""
        if not self.is_sending():
            self._run(resume_plan(self.session, self.results.journal_path, campaign_id))

    def _run(self, plan: SendPlan) -> None:
        # What the send reads stays alive for the whole send: keep collections off it.
        collector.hold_current_objects()
        self._job = SendJob(plan, self.progress_received.emit)
        self.sending.reset()
        self.pages.setCurrentIndex(SENDING_PAGE)
        self._task = run_in_background(
            self._job.run,
            on_done=self._finished,
            on_error=self._failed,
            on_cancelled=self._stopped_from_outside,
            # `shutdown_all`, or this widget going away, must reach even a paused engine.
            cancel_hook=self._job.shut_down,
            parent=self,
            label="send",
        )
        self.sending_changed.emit(True)

    def _show_progress(self, state: Any) -> None:
        if self._job is not None:
            self.sending.show_progress(state)

    def _pause_toggled(self, paused: bool) -> None:
        if self._job is None:
            return
        if paused:
            self._job.pause()
        else:
            self._job.resume()

    def cancel(self) -> None:
        """Stop after the batches already on their way; what is left stays pending."""
        if self._job is None:
            return
        self._job.cancel()
        self.sending.show_stopping()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # Shown on its own (not inside the main window): closing stops a running send.
        self.stop_and_wait()
        super().closeEvent(event)

    def is_sending(self) -> bool:
        return self._task is not None and (self._task.is_running() or self._job is not None)

    def stop_and_wait(self, timeout: float = 30.0) -> bool:
        """Cancel a running send and join its worker; True when it ended within `timeout`."""
        job, task = self._job, self._task
        if job is None or task is None:
            return True
        job.cancel()
        return task.wait(timeout)

    # ---- endings -----------------------------------------------------------------------
    def _end(self) -> None:
        self._job = None
        self._task = None
        self.sending.reset()
        self.sending_changed.emit(False)

    def _finished(self, outcome: SendOutcome) -> None:
        self._end()
        self.last_outcome = outcome
        self.session.set_campaign_id(outcome.campaign_id)
        self.show_results(outcome.campaign_id)
        self.send_finished.emit(outcome.campaign_id)

    def _failed(self, exc: BaseException) -> None:
        self._show_what_was_sent()
        show_error(self, "Sending stopped", exc)

    def _stopped_from_outside(self) -> None:
        # The app is shutting down its workers: the journal already holds every outcome.
        self._show_what_was_sent()

    def _show_what_was_sent(self) -> None:
        campaign_id = self._job.campaign_id if self._job is not None else None
        self._end()
        if campaign_id is not None:
            self.session.set_campaign_id(campaign_id)
            self.show_results(campaign_id)
        else:
            self.show_ready()

    def show_results(self, campaign_id: int) -> None:
        self.results.show_campaign(campaign_id)
        self.pages.setCurrentIndex(RESULTS_PAGE)

    def send_again_to_failed(self, campaign_id: int) -> None:
        """Show `campaign_id`'s results, then send again to the ones that failed (History)."""
        if self.is_sending():
            return

        def loaded(results: object) -> None:
            if getattr(results, "campaign_id", None) == campaign_id:
                self.results.loaded.disconnect(loaded)
                self.results.retry_failed()

        self.results.loaded.connect(loaded)
        self.show_results(campaign_id)


def _shared_words(session) -> str:
    """What the provider receives with each number (the rest of the file stays here)."""
    recipients = getattr(session, "recipients", None)
    describe = getattr(recipients, "shared_with_trackly", None)
    return "\n" + describe() if describe is not None else ""
