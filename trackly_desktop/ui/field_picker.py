"""Insert a field: choose a column (searchable, filled columns first) and say, in words,
what to write when a person's value is empty. The editor then shows `{{name|fallback}}`.

An Outlook contacts export has 61 columns, most of them empty: the list puts the columns
with values first, shows an example value for each, and scrolls inside a dialog small
enough for a 1024×700 screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

SAMPLE_ROWS = 1000  # filled-ness is judged on the first rows: instant on a million-row file
DEFAULT_FALLBACKS = {"first_name": "there"}


@dataclass(frozen=True)
class FieldChoice:
    name: str  # what goes between the braces
    label: str  # what the operator reads
    example: str  # a value from the file, "" when the column is empty
    filled: int  # rows with a value among the first SAMPLE_ROWS


def field_choices(
    table: Any, roles: dict[str, str], role_labels: dict[str, str]
) -> list[FieldChoice]:
    """Named roles first, then the columns with values (file order), then the empty ones.

    Columns mapped to a role (the phone, the names) are offered only under the role's name.
    """
    if table is None:
        return []
    frame = table.frame.head(SAMPLE_ROWS)

    def describe(column: str) -> tuple[str, int]:
        values = [v for v in frame[column].tolist() if v.strip()]
        return (values[0] if values else ""), len(values)

    out: list[FieldChoice] = []
    used = {column for column in roles.values() if column}
    for role, label in role_labels.items():
        column = roles.get(role)
        if column:
            example, filled = describe(column)
            out.append(FieldChoice(role, label, example, filled))
    columns = [c for c in table.columns if c not in used]
    described = [(c, *describe(c)) for c in columns]
    out += [FieldChoice(c, c, ex, n) for c, ex, n in described if n]
    out += [FieldChoice(c, c, ex, n) for c, ex, n in described if not n]
    return out


class FieldPicker(QDialog):
    """Pick a field and its words for an empty value; `chosen()` after accept."""

    def __init__(
        self, choices: list[FieldChoice], preselect: str | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("fieldPicker")
        self.setWindowTitle("Insert a field")
        self._choices = choices
        self.search = QLineEdit()
        self.search.setObjectName("fieldSearch")
        self.search.setPlaceholderText("Search the columns")
        self.search.setAccessibleName("Search the columns")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setObjectName("fieldList")
        self.list.setAccessibleName("Columns of your spreadsheet")
        self.list.setUniformItemSizes(True)
        for choice in choices:
            if choice.filled:
                text = f"{choice.label}    e.g. {choice.example[:40]}"
            else:
                text = f"{choice.label}    (empty in this file)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, choice.name)
            if not choice.filled:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
        self.list.currentItemChanged.connect(lambda *_a: self._selected())
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.fallback_label = QLabel()
        self.fallback_label.setWordWrap(True)
        self.fallback = QLineEdit()
        self.fallback.setObjectName("fieldFallback")
        self.fallback.setAccessibleName("Words to use when the value is empty")
        self.fallback.setPlaceholderText("leave empty to write nothing")
        self.fallback_label.setBuddy(self.fallback)
        self.example = QLabel()
        self.example.setObjectName("fieldExample")
        self.example.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.insert_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.insert_button.setText("Insert")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.fallback_label)
        layout.addWidget(self.fallback)
        layout.addWidget(self.example)
        layout.addWidget(buttons)
        self.resize(460, 480)
        self.setMaximumHeight(600)  # inside a 1024×700 screen, whatever the column count
        start = next((i for i, c in enumerate(choices) if c.name == preselect), 0)
        if choices:
            self.list.setCurrentRow(start)
        # A field already chosen (its button was clicked): the question left is the words.
        self._first_focus = self.fallback if preselect is not None else self.search

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        first_visible = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(needle) and needle not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = row
        current = self.list.currentItem()
        if (current is None or current.isHidden()) and first_visible is not None:
            self.list.setCurrentRow(first_visible)
        self.insert_button.setEnabled(first_visible is not None)

    def _choice(self) -> FieldChoice | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((c for c in self._choices if c.name == name), None)

    def _selected(self) -> None:
        choice = self._choice()
        if choice is None:
            return
        self.fallback_label.setText(
            f"When a person's <b>{choice.label}</b> is empty, write:"
        )
        self.fallback.setText(DEFAULT_FALLBACKS.get(choice.name, ""))
        example = choice.example or "(nothing)"
        self.example.setText(f"For example, the first person gets: {example}")

    def chosen(self) -> tuple[str, str] | None:
        """(field name, words for an empty value), or None when nothing is selected."""
        choice = self._choice()
        return None if choice is None else (choice.name, self.fallback.text().strip())
