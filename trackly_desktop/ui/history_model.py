"""The history table: one row per past campaign, display strings computed once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from trackly_desktop.core.journal.schema import (
    CANCELLED,
    DONE,
    INTERRUPTED,
    NEW,
    PAUSED,
    SCHEDULED,
    SENDING,
    STOPPED_AUTH,
    WAITING,
    CampaignSummary,
)

COLUMNS = ("When", "Spreadsheet", "Sent", "Not sent", "Not sure", "Still to send", "Status")
NUMBER_COLUMNS = (2, 3, 4, 5)
STATUS_WORDS = {
    DONE: "Finished",
    CANCELLED: "Cancelled",
    STOPPED_AUTH: "Stopped: key refused",
    INTERRUPTED: "Interrupted",
    SENDING: "Sending",
    PAUSED: "Paused",
    NEW: "Not started",
    SCHEDULED: "Scheduled",
    WAITING: "Waiting for texting hours",
}
STATUS_TIPS = {
    STOPPED_AUTH: "Trackly refused the API key or the account. Fix it in Settings, then resume.",
    INTERRUPTED: "The app stopped while sending (closed, crashed or lost power). You can resume.",
    CANCELLED: "You cancelled this send. You can resume it to send the rest.",
    SCHEDULED: "It starts at its time while the app (or trackly send) runs; nothing is sent "
    "while the app is closed. Change or cancel it below.",
    WAITING: "Some messages are held until it is daytime where those people are.",
}

_AnyIndex = QModelIndex | QPersistentModelIndex


def left_to_send(summary: CampaignSummary) -> int:
    return summary.counts.pending + summary.counts.in_flight


def can_resume(summary: CampaignSummary) -> bool:
    running = (SENDING, PAUSED, SCHEDULED, WAITING)
    return summary.state not in running and left_to_send(summary) > 0


def status_text(summary: CampaignSummary) -> str:
    """ "Finished", or "Scheduled for Tue 9:00 am" (the operator's time)."""
    if summary.state == SCHEDULED and summary.scheduled_for:
        from trackly_desktop.core.audience.clock import default_clock  # noqa: PLC0415
        from trackly_desktop.core.audience.schedule import describe_when  # noqa: PLC0415

        due = datetime.fromisoformat(summary.scheduled_for)
        return f"Scheduled for {describe_when(due, default_clock().now())}"
    return STATUS_WORDS.get(summary.state, summary.state)


def _row(summary: CampaignSummary) -> tuple[str, ...]:
    counts = summary.counts
    when = summary.created[:16].replace("T", " ")
    name = Path(summary.file).name if summary.file else "(no file)"
    if summary.sheet:
        name += f" ▸ {summary.sheet}"
    status = status_text(summary)
    return (
        when,
        name,
        f"{counts.queued:,}",
        f"{counts.failed:,}",
        f"{counts.uncertain:,}",
        f"{left_to_send(summary):,}",
        status,
    )


class HistoryTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._campaigns: list[CampaignSummary] = []
        self._display: list[tuple[str, ...]] = []

    def set_campaigns(self, campaigns: Sequence[CampaignSummary]) -> None:
        self.beginResetModel()
        self._campaigns = list(campaigns)
        self._display = [_row(c) for c in self._campaigns]
        self.endResetModel()

    def campaign(self, row: int) -> CampaignSummary:
        return self._campaigns[row]

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._campaigns)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[row][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            summary = self._campaigns[row]
            if column == 1:
                return summary.file
            if column == len(COLUMNS) - 1:
                return STATUS_TIPS.get(summary.state)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None
