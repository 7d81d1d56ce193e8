"""The Send step's quiet-hours controls: "Send later…" and the switch that ignores quiet
hours for one send (behind a plain warning). They only write to the session: the
campaign records the due time and the switch when it is made."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.audience.clock import operator_zone
from trackly_desktop.core.audience.quiet_hours import zone_of
from trackly_desktop.core.audience.schedule import describe_with_zone
from trackly_desktop.core.audience.wording import CLOSED_APP_NOTE, IGNORE_WARNING


class SendLaterDialog(QDialog):
    """A date and time in the operator's own zone, shown with the zone."""

    def __init__(self, now: datetime, current: datetime | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sendLaterDialog")
        self.setWindowTitle("Send later")
        self._zone = operator_zone()
        tz = zone_of(self._zone)
        start = (current or (now + timedelta(hours=1))).astimezone(tz)
        self.edit = QDateTimeEdit()
        self.edit.setObjectName("sendLaterTime")
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy  h:mm AP")
        self.edit.setDateTime(QDateTime(start.date(), start.time().replace(second=0)))
        local_now = now.astimezone(tz)
        self.edit.setMinimumDateTime(QDateTime(local_now.date(), local_now.time()))
        zone_label = QLabel(f"Your time ({self._zone.replace('_', ' ')})")
        zone_label.setObjectName("sendLaterZone")
        note = QLabel(
            "Quiet hours still apply: anyone outside texting hours at that time gets the "
            f"message when their window opens. {CLOSED_APP_NOTE} Keep the app open, or let "
            "it run in the background."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start sending at:"))
        row = QHBoxLayout()
        row.addWidget(self.edit)
        row.addWidget(zone_label)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def chosen(self) -> datetime:
        """The chosen moment, as aware UTC (read in the operator's zone)."""
        value = self.edit.dateTime()
        local = datetime(
            value.date().year(), value.date().month(), value.date().day(),
            value.time().hour(), value.time().minute(),
            tzinfo=zone_of(self._zone),
        )  # fmt: skip
        return local.astimezone(UTC)


class QuietControls(QWidget):
    """ "Send later…", what is scheduled, and "Ignore quiet hours for this send"."""

    changed = Signal()

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.later_button = QPushButton("Send &later…")
        self.later_button.setObjectName("sendLaterButton")
        self.later_button.setToolTip("Choose a date and time (your own) for this send to start.")
        self.later_button.clicked.connect(self.choose_time)
        self.now_button = QPushButton("Send &now instead")
        self.now_button.setObjectName("sendNowButton")
        self.now_button.clicked.connect(lambda: self.set_time(None))
        self.schedule_label = QLabel()
        self.schedule_label.setObjectName("scheduleLabel")
        self.ignore_box = QCheckBox("&Ignore quiet hours for this send (urgent, not marketing)")
        self.ignore_box.setObjectName("ignoreQuietHours")
        self.ignore_box.setToolTip(IGNORE_WARNING)
        self.ignore_box.toggled.connect(self._ignore_toggled)
        self.dialog: SendLaterDialog | None = None
        self.warning_box: QMessageBox | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.later_button)
        row.addWidget(self.now_button)
        row.addWidget(self.schedule_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.ignore_box)
        self.refresh()

    def refresh(self) -> None:
        due = self.session.scheduled_for
        self.now_button.setVisible(due is not None)
        self.schedule_label.setText(
            f"Scheduled for {describe_with_zone(due, self.session.clock.now())}."
            if due is not None
            else ""
        )
        ignored = bool(self.session.get_send_options().ignore_quiet_hours)
        self.ignore_box.blockSignals(True)
        self.ignore_box.setChecked(ignored)
        self.ignore_box.blockSignals(False)

    def choose_time(self) -> None:
        dialog = SendLaterDialog(self.session.clock.now(), self.session.scheduled_for, self)
        dialog.finished.connect(lambda result: self._chosen(dialog, result))
        self.dialog = dialog
        dialog.open()

    def _chosen(self, dialog: SendLaterDialog, result: int) -> None:
        self.dialog = None
        if result == QDialog.DialogCode.Accepted:
            self.set_time(dialog.chosen())
        dialog.deleteLater()

    def set_time(self, when: datetime | None) -> None:
        self.session.scheduled_for = when
        self.refresh()
        self.changed.emit()

    def _ignore_toggled(self, checked: bool) -> None:
        if not checked:
            self._set_ignore(False)
            return
        box = QMessageBox(self)
        box.setObjectName("ignoreQuietHoursWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Ignore quiet hours?")
        box.setText(IGNORE_WARNING)
        self.ignore_confirm = box.addButton(
            "Ignore quiet hours for this send", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._warned(box))
        self.warning_box = box
        box.open()

    def _warned(self, box: QMessageBox) -> None:
        self.warning_box = None
        self._set_ignore(box.clickedButton() is self.ignore_confirm)
        box.deleteLater()

    def _set_ignore(self, ignore: bool) -> None:
        options = self.session.get_send_options()
        if options.ignore_quiet_hours != ignore:
            self.session.set_send_options(dataclasses.replace(options, ignore_quiet_hours=ignore))
        self.refresh()
        self.changed.emit()


def schedule_words(session: Any) -> str:
    """ " It starts Tue 9:00 am (America/New York time)." for the confirmation, or ""."""
    due = session.scheduled_for
    if due is None:
        return ""
    return f" It starts {describe_with_zone(due, session.clock.now())}."


__all__ = ["QuietControls", "SendLaterDialog", "schedule_words"]
