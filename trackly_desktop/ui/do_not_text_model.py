"""The do-not-text list as a table model: pages read from SQLite as the view scrolls.

The list can hold hundreds of thousands of numbers (an imported suppression list), so the
model reads a page at a time (`canFetchMore`/`fetchMore`) instead of the whole list.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from trackly_desktop.core.audience.do_not_text import (
    SOURCE_WORDS,
    DoNotTextEntry,
    DoNotTextList,
)
from trackly_desktop.core.results.wording import display_number

HEADERS = ("Number", "Added", "Why", "Where it came from")
PAGE = 500

AnyIndex = QModelIndex | QPersistentModelIndex


def _cells(entry: DoNotTextEntry) -> tuple[str, str, str, str]:
    return (
        display_number(entry.phone),
        entry.added.replace("T", " ").replace("+00:00", " UTC"),
        entry.reason,
        SOURCE_WORDS.get(entry.source, entry.source),
    )


class DoNotTextModel(QAbstractTableModel):
    def __init__(self, dnt: DoNotTextList) -> None:
        super().__init__()
        self._dnt = dnt
        self._search = ""
        self._rows: list[tuple[str, tuple[str, str, str, str]]] = []  # (E.164, cells)
        self._more = False

    def show(self, search: str) -> None:
        """List the entries `search` matches, newest first, from the top."""
        self.beginResetModel()
        self._search = search
        self._rows = []
        self._rows = self._next_page()
        self.endResetModel()

    def _next_page(self) -> list[tuple[str, tuple[str, str, str, str]]]:
        page = self._dnt.entries(self._search, limit=PAGE, offset=len(self._rows))
        self._more = len(page) == PAGE
        return [(entry.phone, _cells(entry)) for entry in page]

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or not self._more:
            return
        page = self._next_page()
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def phone(self, row: int) -> str:
        return self._rows[row][0]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._rows[index.row()][1][index.column()]

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None
