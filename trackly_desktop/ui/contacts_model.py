"""The contacts table: a Qt model over the columnar `Recipients` of the core.

`ContactRows.build` turns the recipients into display columns in one pass (in the worker
thread, so a million rows cost the GUI nothing); `data()` only indexes lists. A phone cell
can be edited: the core re-checks that row and the rows that shared its number at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from trackly_desktop.core.recipients.display import STATUS_WORDS, ContactRows, row_note
from trackly_desktop.core.results.wording import display_number
from trackly_desktop.ui import theme

ROW, STATUS, NAME, PHONE, SENDS_TO, NOTE = range(6)
HEADERS = ["Row", "Status", "Name", "Phone number", "Will be sent to", "What to fix"]
HEADER_TIPS = [
    "The row in your spreadsheet",
    "Ready, needs attention, or a duplicate of an earlier row",
    "",
    "As written in your spreadsheet. Double-click to fix it.",
    "The number in international form, as it will be texted",
    "Why this row will not get a message, or a warning",
]
_ModelIndex = QModelIndex | QPersistentModelIndex


def _positions(values: list[Any], wanted: Any) -> list[int]:
    """Every index of `wanted` in `values`; list.index runs in C, so a million rows take ms."""
    found: list[int] = []
    start = 0
    while True:
        try:
            start = values.index(wanted, start)
        except ValueError:
            return found
        found.append(start)
        start += 1


class ContactsTableModel(QAbstractTableModel):
    """Rows of the recipients (all, or only those that need attention)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._recipients: Any = None
        self._rows: ContactRows | None = None
        self._order: list[int] | None = None  # view row -> recipient index; None = all
        self._bold = QFont()
        self._bold.setBold(True)
        self.on_phone_edited: Any = None  # callable(i) set by the step

    # --- contents -------------------------------------------------------------------------
    def set_recipients(self, recipients: Any, rows: ContactRows | None) -> None:
        self.beginResetModel()
        self._recipients = recipients
        self._rows = rows
        self._order = None
        self.endResetModel()

    def set_order(self, order: list[int] | None) -> None:
        """Show only these recipient indices (None shows every row)."""
        self.beginResetModel()
        self._order = order
        self.endResetModel()

    def recipient_index(self, view_row: int) -> int:
        return self._order[view_row] if self._order is not None else view_row

    @property
    def recipients(self) -> Any:
        return self._recipients

    @property
    def rows(self) -> ContactRows | None:
        return self._rows

    # --- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self._rows is None:
            return 0
        return len(self._order) if self._order is not None else len(self._rows.row)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section] or None
        return None

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == PHONE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._rows
        if rows is None or not index.isValid():
            return None
        i = self.recipient_index(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == ROW:
                return rows.row[i]
            if column == STATUS:
                return STATUS_WORDS.get(rows.status[i], rows.status[i])
            if column == NAME:
                return rows.name[i]
            if column == PHONE:
                return self._recipients.input_phone[i]
            if column == SENDS_TO:
                return display_number(self._recipients.phone[i] or "")
            if column == NOTE:
                return rows.note[i]
        elif role == Qt.ItemDataRole.ToolTipRole:
            return rows.note[i] or STATUS_WORDS.get(rows.status[i])
        elif role == Qt.ItemDataRole.ForegroundRole and column in (STATUS, NOTE):
            return theme.row_status_brush(rows.status[i])
        elif role == Qt.ItemDataRole.FontRole and column == STATUS:
            return self._bold
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.AccessibleTextRole and column == STATUS:
            return f"{STATUS_WORDS.get(rows.status[i])}. {rows.note[i]}".strip()
        return None

    def setData(self, index: _ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != PHONE
            or self._rows is None
        ):
            return False
        text = str(value).strip()
        i = self.recipient_index(index.row())
        recipients = self._recipients
        if text == recipients.input_phone[i]:
            return False
        old = recipients.phone[i]
        recipients.update_phone(i, text)
        new = recipients.phone[i]
        numbers = {n for n in (old, new) if n is not None}
        affected = {i}
        for number in numbers:
            affected.update(_positions(recipients.phone, number))
        cache: dict[Any, str] = {}
        counts = self._rows.counts
        for j in affected:
            counts[self._rows.status[j]] -= 1
            counts[recipients.status[j]] += 1
            self._rows.status[j] = recipients.status[j]
            self._rows.note[j] = row_note(recipients, j, cache)
        # Rows that shared the number may be anywhere in the view: repaint every row's cells.
        last = self.rowCount() - 1
        self.dataChanged.emit(self.index(0, STATUS), self.index(last, NOTE))
        if self.on_phone_edited is not None:
            self.on_phone_edited(i)
        return True
