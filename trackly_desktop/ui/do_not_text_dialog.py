"""File ▸ Do-not-text list…: the numbers never to text, to search, add, remove, import, export.

Every change is written to the list at once (the same file `trackly optouts` and every
send read) and the loaded contacts are checked again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.audience.do_not_text import (
    FROM_OPERATOR,
    DoNotTextList,
)
from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.plurals import counted
from trackly_desktop.core.results.wording import display_number
from trackly_desktop.ui.do_not_text_model import HEADERS, DoNotTextModel
from trackly_desktop.ui.error_presenter import UNEXPECTED, describe_error
from trackly_desktop.ui.workers import run_in_background

log = logging.getLogger(__name__)


def _ask(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Take off the do-not-text list?",
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class DoNotTextDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Do-not-text list")
        self.setObjectName("doNotTextDialog")
        self.resize(760, 520)
        self.dnt = DoNotTextList(session.do_not_text_path())
        self.confirm: Callable[[QWidget, str], bool] = _ask  # tests answer for the operator
        self._build()
        self.refresh()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Nobody on this list is texted again, from any spreadsheet or campaign. People "
            "Trackly reports as opted out are added automatically."
            + (" (This is the demo's own list.)" if self.session.demo else "")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("dntSearch")
        self.search.setPlaceholderText("Search by digits or reason")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        caption = QLabel("&Search:")
        caption.setBuddy(self.search)
        search_row.addWidget(caption)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)

        self.model = DoNotTextModel(self.dnt)
        self.table = QTableView()
        self.table.setObjectName("dntTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((150, 170, 220)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("dntCount")
        layout.addWidget(self.count_label)

        add_row = QHBoxLayout()
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("dntNumber")
        self.number_edit.setPlaceholderText("e.g. +1 415 555 0100")
        number_caption = QLabel("&Number:")
        number_caption.setBuddy(self.number_edit)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("dntReason")
        self.reason_edit.setPlaceholderText("Why (optional)")
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(lambda: self.add_number(self.number_edit.text()))
        self.number_edit.returnPressed.connect(self.add_button.click)
        for widget in (number_caption, self.number_edit, self.reason_edit, self.add_button):
            add_row.addWidget(widget, 1 if widget is not number_caption else 0)
        layout.addLayout(add_row)

        actions = QHBoxLayout()
        self.remove_button = QPushButton("&Remove selected…")
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = import_button = QPushButton("&Import…")
        import_button.setToolTip("Add every number in a CSV or Excel file (any column layout).")
        import_button.clicked.connect(self._choose_import)
        export_button = QPushButton("&Export…")
        export_button.setToolTip("Save the whole list as a CSV file.")
        export_button.clicked.connect(self._choose_export)
        for button in (self.remove_button, import_button, export_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.message = QLabel()
        self.message.setObjectName("dntMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # --- showing --------------------------------------------------------------------------
    def refresh(self) -> None:
        search = self.search.text()
        self.model.show(search)
        words = counted(len(self.dnt), "number", "numbers") + " on the list"
        if search.strip():
            words = f"{self.dnt.count_matching(search):,} found · " + words
        self.count_label.setText(words + ".")

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _changed(self) -> None:
        self.refresh()
        self.session.do_not_text_changed.emit()

    # --- changing -------------------------------------------------------------------------
    def add_number(self, text: str) -> None:
        from trackly_desktop.core.phones.check import check_phone  # noqa: PLC0415

        check = check_phone(text, self.session.country)
        if check.e164 is None or check.reason is not None:
            self._say(f"“{text.strip()}” is not a phone number; nothing was added.")
            return
        reason = self.reason_edit.text().strip() or "Asked not to be texted"
        if self.dnt.add(check.e164, reason=reason, source=FROM_OPERATOR):
            self._say(f"{display_number(check.e164)} will not be texted again.")
        else:
            self._say(f"{display_number(check.e164)} was already on the list.")
        self.number_edit.clear()
        self.reason_edit.clear()
        self._changed()

    def selected_numbers(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.phone(r) for r in rows]

    def remove_selected(self) -> None:
        phones = self.selected_numbers()
        if not phones:
            self._say("Select the numbers to take off the list first.")
            return
        who = display_number(phones[0]) if len(phones) == 1 else f"these {len(phones):,} numbers"
        question = f"Take {who} off the do-not-text list? They may be texted again."
        if not self.confirm(self, question):
            return
        for phone in phones:
            self.dnt.remove(phone)
        self._say(f"Taken off the list: {counted(len(phones), 'number', 'numbers')}.")
        self._changed()

    def import_file(self, path: Path) -> None:
        """Read the file in the background (a big export takes a while) and add its numbers."""
        from trackly_desktop.core.audience.do_not_text_files import import_numbers  # noqa: PLC0415

        path = Path(path)
        country = self.session.country
        list_path = self.dnt.path

        def work(_progress: object, _cancel: object) -> object:
            # Its own connection: the dialog keeps using its own while the file is read.
            with DoNotTextList(list_path) as dnt:
                return import_numbers(dnt, path, country)

        self.import_button.setEnabled(False)
        self._say(f"Reading {path.name}…")
        run_in_background(
            work,
            on_done=lambda report: self._imported(path, report),
            on_error=self._import_failed,
            parent=self,
            label="do-not-text-import",
        )

    def _imported(self, path: Path, report: Any) -> None:
        self.import_button.setEnabled(True)
        text = f"{path.name}: {report.sentence()}"
        if report.unreadable_examples:
            shown = ", ".join(f"row {r} “{v}”" for r, v in report.unreadable_examples[:3])
            text += f" Not read: {shown}{' …' if report.unreadable > 3 else ''}."
        self._say(text)
        self._changed()

    def _import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        if describe_error(exc) == UNEXPECTED:
            log.error("importing into the do-not-text list failed", exc_info=exc)
        self._say(describe_error(exc))

    def export_file(self, path: Path) -> None:
        from trackly_desktop.core.audience.do_not_text_files import export_csv  # noqa: PLC0415

        try:
            count = export_csv(self.dnt, Path(path))
        except TracklyDesktopError as exc:
            self._say(str(exc))
            return
        self._say(f"{counted(count, 'number', 'numbers')} saved to {path}.")

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import numbers", "", "Spreadsheets (*.csv *.txt *.xlsx *.xls *.ods)"
        )
        if path:
            self.import_file(Path(path))

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the do-not-text list", "do-not-text.csv", "CSV (*.csv)"
        )
        if path:
            self.export_file(Path(path))

    def done(self, result: int) -> None:
        self.dnt.close()
        super().done(result)
