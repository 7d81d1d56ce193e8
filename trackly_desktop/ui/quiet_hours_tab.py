"""Settings ▸ Quiet hours: the default texting window and the stricter state windows.

The state table starts as the shipped rules (resources/quiet_hours_states.csv, each with
its law); the operator may change, add or remove rows. Saved unchanged, the settings keep
no copy, so an updated app brings updated rules.
"""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.audience.quiet_hours import parse_hhmm, rules_from_rows, state_rule_rows
from trackly_desktop.settings import Settings
from trackly_desktop.ui import theme

COLUMNS = ("region", "days", "start", "end", "law")
HEADERS = ("State", "Days", "From", "Until", "Law")
NEW_RULE = {"region": "", "days": "Mon-Sun", "start": "08:00", "end": "20:00", "law": ""}


class QuietHoursTab(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quietHoursTab")
        note = QLabel(
            "Messages wait until it is daytime where each person is: their own time zone, "
            "from a time-zone, state or ZIP column, else their number. The US TCPA allows "
            "marketing texts 8 am–9 pm; the states below allow less, and the strictest of "
            "every place a row points to applies (its address and its number's area code)."
        )
        note.setWordWrap(True)
        self.start_edit = QTimeEdit()
        self.start_edit.setObjectName("quietStart")
        self.start_edit.setDisplayFormat("h:mm AP")
        self.end_edit = QTimeEdit()
        self.end_edit.setObjectName("quietEnd")
        self.end_edit.setDisplayFormat("h:mm AP")
        window_row = QHBoxLayout()
        window_row.addWidget(self.start_edit)
        window_row.addWidget(QLabel("to"))
        window_row.addWidget(self.end_edit)
        window_row.addStretch(1)
        # About twenty rules, edited in place: a standard item model is enough.
        self.model = QStandardItemModel(0, len(COLUMNS))
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.table = QTableView()
        self.table.setObjectName("stateWindows")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(
            "Days: Mon-Sun, Mon-Sat, Sun… A day a state's rows leave out allows no texts."
        )
        add = QPushButton("&Add a state rule")
        add.clicked.connect(lambda: self._append(dict(NEW_RULE)))
        remove = QPushButton("&Remove the selected rule")
        remove.clicked.connect(self._remove_selected)
        restore = QPushButton("Restore the &shipped rules")
        restore.setObjectName("restoreStateRules")
        restore.clicked.connect(lambda: self._fill(state_rule_rows()))
        self.problem = QLabel()
        self.problem.setObjectName("quietHoursProblem")
        theme.show_in_colour(self.problem, "attention")
        self.problem.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (add, remove, restore):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Texting hours (their time)", window_row)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(QLabel("Stricter state rules (their local time):"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        self.start_edit.setTime(_qtime(settings.quiet_hours_start, "08:00"))
        self.end_edit.setTime(_qtime(settings.quiet_hours_end, "21:00"))
        self._fill(settings.state_quiet_hours or state_rule_rows())

    def _fill(self, rows: list[dict[str, str]]) -> None:
        self.model.setRowCount(0)
        for row in rows:
            self._append(row)

    def _append(self, row: dict[str, str]) -> None:
        self.model.appendRow([QStandardItem(row.get(key, "")) for key in COLUMNS])

    def _remove_selected(self) -> None:
        for index in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.model.removeRow(index)

    def rows(self) -> list[dict[str, str]]:
        out = []
        for index in range(self.model.rowCount()):
            row = {}
            for column, key in enumerate(COLUMNS):
                cell = self.model.item(index, column)
                row[key] = cell.text().strip() if cell is not None else ""
            if any(row[k] for k in ("region", "start", "end")):
                out.append(row)
        return out

    def problem_text(self) -> str | None:
        """One plain sentence about the first thing that cannot be read, or None."""
        start, end = self.start_edit.time(), self.end_edit.time()
        if start >= end:
            return "Texting hours must start before they end."
        for number, row in enumerate(self.rows(), 1):
            if len(row["region"]) != 2 or not row["region"].isalpha():
                return f"Rule {number}: write the state as two letters, such as FL."
            try:
                rules_from_rows([row])
                if parse_hhmm(row["start"]) >= parse_hhmm(row["end"]):
                    raise ValueError
            except (ValueError, KeyError):
                return (
                    f"Rule {number} ({row['region']}): write days like Mon-Sun and times "
                    "like 08:00 and 20:00, the start before the end."
                )
        return None

    def check(self) -> bool:
        problem = self.problem_text()
        self.problem.setText(problem or "")
        return problem is None

    def changes(self) -> dict[str, object]:
        rows = self.rows()
        shipped = rules_from_rows(state_rule_rows())
        same = [r.window for r in rules_from_rows(rows).values()] == [
            r.window for r in shipped.values()
        ] and set(rules_from_rows(rows)) == set(shipped)
        return {
            "quiet_hours_start": self.start_edit.time().toString("HH:mm"),
            "quiet_hours_end": self.end_edit.time().toString("HH:mm"),
            "state_quiet_hours": [] if same else rows,
        }


def _qtime(text: str, fallback: str) -> QTime:
    value = QTime.fromString(text, "HH:mm")
    return value if value.isValid() else QTime.fromString(fallback, "HH:mm")
