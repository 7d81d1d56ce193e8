"""The failures table: a thin Qt adapter over the journal's failure rows.

Display strings are computed once, in bulk, when the rows arrive (`set_rows`), so `data()`
is a list lookup and the table scrolls smoothly however many rows failed. The phone cell is
editable: the model keeps the corrected text and announces it through `phone_edited`, and
the results view writes it to the journal (in the background) and retries that row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from trackly_desktop.core.results.loader import UNCERTAIN_CODE, FailureLine
from trackly_desktop.core.results.wording import display_number
from trackly_desktop.ui import theme

COLUMNS = ("Row", "Name", "Phone", "What went wrong", "Code")
ROW_COLUMN, NAME_COLUMN, PHONE_COLUMN, REASON_COLUMN, CODE_COLUMN = range(5)

COLUMN_TIPS = (
    "The row number in your spreadsheet",
    "The person's name from your spreadsheet",
    "The number as it is in your spreadsheet. Double-click to correct it.",
    "Why this message was not sent",
    "The technical code Trackly support may ask for",
)
UNCERTAIN_TIP = (
    "The app could not tell whether this message went out (the connection dropped). "
    "Retrying is safe: Trackly refuses a message it already has."
)

_AnyIndex = QModelIndex | QPersistentModelIndex


def _text(value: object) -> str:
    return "" if value is None else str(value)


class FailuresTableModel(QAbstractTableModel):
    """Rows of `FailureLine`; sortable by the proxy through `Qt.UserRole` sort keys."""

    phone_edited = Signal(int, str)  # source row, corrected text

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[FailureLine] = []
        self._display: list[tuple[str, str, str, str, str]] = []

    # ---- data in ------------------------------------------------------------------
    def set_lines(self, lines: Sequence[FailureLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        # Numbers in the one format the app shows them in ("+1 415 555 0132").
        self._display = [
            (f"{line.row_number:,}", line.name, display_number(line.phone), line.reason, line.code)
            for line in self._lines
        ]
        self.endResetModel()

    def line(self, row: int) -> FailureLine:
        return self._lines[row]

    def lines(self) -> list[FailureLine]:
        return list(self._lines)

    def replace_phone(self, row: int, phone: str) -> None:
        """Show `phone` in `row` (after the journal accepted the correction)."""
        line = self._lines[row]
        self._lines[row] = FailureLine(
            line.row_number, line.name, phone, line.reason, line.code, line.retryable, line.key
        )
        cells = list(self._display[row])
        cells[PHONE_COLUMN] = phone
        self._display[row] = (cells[0], cells[1], cells[2], cells[3], cells[4])
        index = self.index(row, PHONE_COLUMN)
        self.dataChanged.emit(index, index)

    # ---- Qt model -----------------------------------------------------------------
    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display[row][column]
        if role == Qt.ItemDataRole.UserRole:
            # Sort key: numbers sort as numbers, everything else case-insensitively.
            line = self._lines[row]
            return line.row_number if column == ROW_COLUMN else self._display[row][column].lower()
        if role == Qt.ItemDataRole.ToolTipRole:
            line = self._lines[row]
            if column == REASON_COLUMN and line.code == UNCERTAIN_CODE:
                return UNCERTAIN_TIP
            if column == REASON_COLUMN:
                return f"{line.reason}\n\nTrackly's code: {line.code}" if line.code else line.reason
            if column == PHONE_COLUMN and line.code != UNCERTAIN_CODE:
                return COLUMN_TIPS[PHONE_COLUMN]
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == REASON_COLUMN:
            return theme.status_brush("retryable") if self._lines[row].retryable else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ROW_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # An unsure message may have gone out: its number is not changed, only re-checked.
        if index.column() == PHONE_COLUMN and self._lines[index.row()].code != UNCERTAIN_CODE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (
            not index.isValid()
            or index.column() != PHONE_COLUMN
            or role != Qt.ItemDataRole.EditRole
        ):
            return False
        text = _text(value).strip()
        if not text or text == self._lines[index.row()].phone:
            return False
        # The cell shows the new text at once; the journal update and retry follow.
        self.replace_phone(index.row(), text)
        self.phone_edited.emit(index.row(), text)
        return True


class FailuresFilter(QSortFilterProxyModel):
    """Sort by `UserRole` keys; filter on any column's text; optionally only retryable rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self._only_retryable = False

    def set_only_retryable(self, only: bool) -> None:
        self.beginFilterChange()
        self._only_retryable = only
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: _AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if (
            self._only_retryable
            and isinstance(model, FailuresTableModel)
            and not model.line(source_row).retryable
        ):
            return False
        return super().filterAcceptsRow(source_row, source_parent)
