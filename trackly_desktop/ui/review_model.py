"""Models for the Review step: who gets which message, and who gets none and why.

`ReviewRows.build` runs in the worker: it picks the ready and the skipped rows and makes
their display strings in one pass; the models then only index lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from trackly_desktop.core.recipients.display import STATUS_WORDS, ContactRows
from trackly_desktop.core.results.wording import display_number
from trackly_desktop.ui import theme

_ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass
class ReviewRows:
    """Display columns for the two Review tables, built off the GUI thread."""

    ready: list[int]  # recipient indices that get a message
    skipped: list[int]  # recipient indices that do not
    contact: ContactRows
    one_line: list[str]  # each ready body on one line (index parallel to `ready`)
    parts: list[str]  # "1", "2"... parallel to `ready`
    summary: Any  # core.recipients.RecipientSummary
    # Quiet hours at the moment of the check (None when they are not worked out):
    local_times: Any = None  # core.audience.local_times.LocalTimes, one entry per row
    local_text: list[str] | None = None  # "local time now 11:40 pm, Florida", by `ready`
    held: list[bool] | None = None  # outside texting hours now, by `ready`
    quiet_line: str = ""  # "1,200 can be texted now; 312 are outside texting hours…"
    widest_local_text: str = ""  # the longest of `local_text`, to size its column

    @classmethod
    def build(cls, recipients: Any, rules: Any = None, now: Any = None) -> ReviewRows:
        ready: list[int] = []
        skipped: list[int] = []
        for i, status in enumerate(recipients.status):
            (ready if status == "ready" else skipped).append(i)
        body, segments = recipients.body, recipients.segments
        rows = cls(
            ready=ready,
            skipped=skipped,
            contact=ContactRows.build(recipients),
            one_line=[body[i].replace("\r", "").replace("\n", " ⏎ ") for i in ready],
            parts=[str(int(segments[i])) for i in ready],
            summary=recipients.summary(),
        )
        if rules is not None and now is not None:
            rows.add_quiet_hours(recipients, rules, now)
        return rows

    def add_quiet_hours(self, recipients: Any, rules: Any, now: Any) -> None:
        """Each ready row's local time and window at `now`, worked out once per group."""
        from trackly_desktop.core.audience.local_times import local_times_for  # noqa: PLC0415
        from trackly_desktop.core.audience.wording import texting_hours_summary  # noqa: PLC0415

        times = local_times_for(recipients, rules)
        texts = [g.local_time_text(now) for g in times.groups]
        states = times.group_states(now)
        for index, state in enumerate(states):
            if not state.open_now:
                texts[index] += " · held"
        group = times.group
        self.local_times = times
        self.local_text = [texts[group[i]] for i in self.ready]
        self.held = [not states[group[i]].open_now for i in self.ready]
        # Over the ready rows' groups: a million rows share a few dozen texts.
        used = {group[i] for i in self.ready}
        self.widest_local_text = max((texts[g] for g in used), key=len, default="")
        self.quiet_line = texting_hours_summary(times, self.ready, now)


class _ListModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._recipients: Any = None
        self._rows: ReviewRows | None = None

    def set_rows(self, recipients: Any, rows: ReviewRows | None) -> None:
        self.beginResetModel()
        self._recipients, self._rows = recipients, rows
        self.endResetModel()

    def _indices(self) -> list[int]:
        raise NotImplementedError

    def recipient_index(self, row: int) -> int:
        return self._indices()[row]

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self._rows is None:
            return 0
        return len(self._indices())

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class WillSendModel(_ListModel):
    """Everyone who will get a message, with that message and its number of parts."""

    headers = ("Row", "Name", "Sends to", "Message", "Parts", "Their time")

    def _indices(self) -> list[int]:
        return self._rows.ready if self._rows is not None else []

    def _local(self, position: int, role: int) -> Any:
        rows = self._rows
        if rows is None or rows.local_text is None or rows.held is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return rows.local_text[position]
        if role == Qt.ItemDataRole.ToolTipRole and rows.held[position]:
            return "Held: it goes when texting hours begin where this person is."
        if role == Qt.ItemDataRole.ForegroundRole and rows.held[position]:
            return theme.status_brush("attention")
        return None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._rows
        if rows is None or not index.isValid():
            return None
        position = index.row()
        i = rows.ready[position]
        column = index.column()
        if column == 5:
            return self._local(position, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return rows.contact.row[i]
            if column == 1:
                return rows.contact.name[i]
            if column == 2:
                return display_number(self._recipients.phone[i])
            if column == 3:
                return rows.one_line[position]
            if column == 4:
                return rows.parts[position]
        elif role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return self._recipients.body[i]
        elif role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class WontSendModel(_ListModel):
    """Everyone who will not get a message, and why, in plain words."""

    headers = ("Row", "Name", "Phone number", "Status", "Why")

    def _indices(self) -> list[int]:
        return self._rows.skipped if self._rows is not None else []

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._rows
        if rows is None or not index.isValid():
            return None
        i = rows.skipped[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return rows.contact.row[i]
            if column == 1:
                return rows.contact.name[i]
            if column == 2:
                return self._recipients.input_phone[i]
            if column == 3:
                return STATUS_WORDS.get(rows.contact.status[i], rows.contact.status[i])
            if column == 4:
                return rows.contact.note[i]
        elif role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return rows.contact.note[i]
        elif role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return theme.row_status_brush(rows.contact.status[i])
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
