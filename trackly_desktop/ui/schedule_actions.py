"""Scheduled campaigns in the window: change or cancel them from History, and at start-up
start the ones waiting (asking first when their time passed while the app was closed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QWidget

from trackly_desktop.core.audience.clock import default_clock
from trackly_desktop.core.audience.schedule import describe_with_zone
from trackly_desktop.core.journal.location import journal_path_for
from trackly_desktop.core.journal.schema import SCHEDULED, CampaignSummary
from trackly_desktop.ui.error_presenter import show_error
from trackly_desktop.ui.send_later import SendLaterDialog
from trackly_desktop.ui.workers import run_in_background


def _journal(demo: bool) -> Any:
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415

    return Journal(journal_path_for(demo))


class ScheduleButtons(QObject):
    """ "Change time…" and "Cancel schedule" for the campaign selected in History."""

    changed = Signal()

    def __init__(self, parent: QWidget, demo: bool) -> None:
        super().__init__(parent)
        self._parent = parent
        self._demo = demo
        self._summary: CampaignSummary | None = None
        self.change_button = QPushButton("Change &time…")
        self.change_button.setObjectName("changeScheduleButton")
        self.change_button.setToolTip("Choose another date and time for this send to start")
        self.change_button.clicked.connect(self.change_time)
        self.cancel_button = QPushButton("Cancel sc&hedule")
        self.cancel_button.setObjectName("cancelScheduleButton")
        self.cancel_button.setToolTip("This send will not start; nothing of it is sent")
        self.cancel_button.clicked.connect(self.cancel_schedule)
        self.dialog: SendLaterDialog | None = None
        self.set_campaign(None)

    def buttons(self) -> list[QPushButton]:
        return [self.change_button, self.cancel_button]

    def set_campaign(self, summary: CampaignSummary | None) -> None:
        self._summary = summary
        scheduled = summary is not None and summary.state == SCHEDULED
        for button in self.buttons():
            button.setVisible(scheduled)
            button.setEnabled(scheduled)

    def change_time(self) -> None:
        summary = self._summary
        if summary is None or not summary.scheduled_for:
            return
        current = datetime.fromisoformat(summary.scheduled_for)
        dialog = SendLaterDialog(default_clock().now(), current, self._parent)
        dialog.finished.connect(lambda result: self._chosen(dialog, summary.id, result))
        self.dialog = dialog
        dialog.open()

    def _chosen(self, dialog: SendLaterDialog, campaign_id: int, result: int) -> None:
        self.dialog = None
        if result == QDialog.DialogCode.Accepted:
            self._apply(lambda journal: journal.reschedule(campaign_id, dialog.chosen()))
        dialog.deleteLater()

    def cancel_schedule(self) -> None:
        summary = self._summary
        if summary is not None:
            self._apply(lambda journal: journal.cancel_schedule(summary.id))

    def _apply(self, change: Callable[[Any], None]) -> None:
        try:
            with _journal(self._demo) as journal:
                change(journal)
        except Exception as exc:  # a plain message, never a traceback
            show_error(self._parent, "History", exc)
            return
        self.changed.emit()


def late_question(summary: CampaignSummary, now: datetime) -> str:
    due = datetime.fromisoformat(summary.scheduled_for or "")
    return (
        f"A send was scheduled for {describe_with_zone(due, now)}, while the app was closed: "
        f"{summary.counts.pending:,} messages did not go. Send them now, late?"
    )


def start_scheduled(
    parent: QWidget, on_start: Callable[[int], None], *, demo: bool = False
) -> None:
    """At start-up: start the soonest scheduled campaign (it waits for its time while the
    app runs); if its time has passed, ask before sending late."""

    def start(campaigns: list[CampaignSummary]) -> None:
        if not campaigns:
            return
        summary = campaigns[0]
        now = default_clock().now()
        due = datetime.fromisoformat(summary.scheduled_for or now.isoformat())
        if due > now:
            on_start(summary.id)
            return
        box = QMessageBox(parent)
        box.setObjectName("lateScheduleQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Scheduled send")
        box.setText(late_question(summary, now))
        box.setInformativeText("Quiet hours still apply to each person. You can also cancel "
                               "it or choose another time in History.")  # fmt: skip
        late = box.addButton("Send now", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)

        def answered(_result: int) -> None:
            if box.clickedButton() is late:
                with _journal(demo) as journal:
                    journal.reschedule(summary.id, None)
                on_start(summary.id)

        box.finished.connect(answered)
        parent.late_box = box  # type: ignore[attr-defined]  # tests answer it
        box.open()

    def load() -> list[CampaignSummary]:
        with _journal(demo) as journal:
            return journal.scheduled_campaigns()

    run_in_background(
        lambda _p, _c: load(),
        on_done=start,
        on_error=lambda exc: show_error(parent, "History", exc),
        parent=parent,
        label="scheduled-start",
    )
