"""The page shown while a send runs: progress with counts, speed and time left; Pause, Cancel.

It only shows and asks: the Send step owns the send and reacts to `pause_toggled` and
`cancel_clicked`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.audience.clock import default_clock
from trackly_desktop.core.audience.schedule import describe_with_zone
from trackly_desktop.core.audience.wording import CLOSED_APP_NOTE
from trackly_desktop.core.results.wording import progress_sentence


def waiting_sentence(state: Any, now: datetime | None = None) -> tuple[str, str] | None:
    """(title, sentence) while a send waits for its time or for texting hours, else None."""
    now = now or default_clock().now()
    due = getattr(state, "scheduled_for", None)
    if due is not None:
        when = describe_with_zone(due, now)
        return "Scheduled", (
            f"Starts {when}: {state.total:,} messages. {CLOSED_APP_NOTE} "
            "Keep the app open, or let it run in the background."
        )
    opens = getattr(state, "opens_at", None)
    if getattr(state, "held", 0) and opens is not None:
        when = describe_with_zone(opens, now)
        return "Waiting for texting hours", (
            f"{state.sent:,} sent; {state.held:,} held until it is daytime where they are. "
            f"The next ones go {when}. {CLOSED_APP_NOTE} Keep the app open, or let it run "
            "in the background."
        )
    return None


class SendingPage(QWidget):
    pause_toggled = Signal(bool)  # True: pause, False: resume
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_state: Any = None
        self.title = QLabel("Sending…")
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("sendProgress")
        self.progress_bar.setAccessibleName("Sending progress")
        self.progress_bar.setMinimumHeight(28)
        self.progress_label = QLabel("Getting ready…")
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setWordWrap(True)
        # Room for the counts and a two-line note (a lost answer being checked again), so
        # Pause and Cancel do not move under the pointer when the note comes and goes.
        self.progress_label.setMinimumHeight(self.progress_label.fontMetrics().lineSpacing() * 3)
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setAccessibleName("Pause sending")
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip(
            "Start no new batch; the messages already on their way finish. Resume any time."
        )
        self.pause_button.toggled.connect(self._toggled)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setObjectName("cancelSendButton")
        self.cancel_button.setAccessibleName("Cancel sending")
        self.cancel_button.setToolTip(
            "Stop after the messages already on their way; the rest are kept, not sent, "
            "and can be resumed from History."
        )
        self.cancel_button.clicked.connect(self.cancel_clicked)
        row = QHBoxLayout()
        row.addWidget(self.pause_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(1)

    def reset(self) -> None:
        """Ready for a new send: busy bar until the first report, controls enabled."""
        self.pause_button.blockSignals(True)
        self.pause_button.setChecked(False)
        self.pause_button.setText("&Pause")
        self.pause_button.blockSignals(False)
        self.pause_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText("Getting ready…")
        self.title.setText("Sending…")
        self._last_state = None

    def show_progress(self, state: Any) -> None:
        """Show a `SendProgress`."""
        self._last_state = state
        total = max(int(state.total), 1)
        done = int(state.sent) + int(state.failed) + int(state.uncertain)
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(min(done, total))
        waiting = waiting_sentence(state)
        if waiting:
            self.title.setText(waiting[0])
            self.progress_label.setText(waiting[1])
            return
        if not self.paused and self.title.text() != "Sending…":
            self.title.setText("Sending…")
        self.progress_label.setText(progress_sentence(state, paused=self.paused))

    @property
    def waiting(self) -> bool:
        """Scheduled or holding messages for their texting hours (nothing in flight)."""
        return self._last_state is not None and bool(waiting_sentence(self._last_state))

    @property
    def paused(self) -> bool:
        return self.pause_button.isChecked()

    def _toggled(self, paused: bool) -> None:
        self.pause_button.setText("&Resume" if paused else "&Pause")
        self.pause_button.setAccessibleName("Resume sending" if paused else "Pause sending")
        self.title.setText("Paused" if paused else "Sending…")
        if self._last_state is not None:
            self.progress_label.setText(progress_sentence(self._last_state, paused=paused))
        self.pause_toggled.emit(paused)

    def show_stopping(self) -> None:
        self.pause_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.title.setText("Stopping…")
        self.progress_label.setText("Waiting for the messages already on their way, then stopping.")
