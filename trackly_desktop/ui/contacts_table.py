"""The lower half of the Contacts step: the counts, the attention filter and the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.recipients.display import ContactRows
from trackly_desktop.ui import theme, workers
from trackly_desktop.ui.contacts_model import ContactsTableModel


class ContactsTablePanel(QWidget):
    """Shows one set of recipients; tells the step when counts change or a phone is fixed."""

    counts_changed = Signal()
    phone_edited = Signal(int)  # recipient index
    filtered = Signal()  # the attention filter is applied (tests wait on it)
    include_unrecorded_changed = Signal(bool)  # "also text those with no consent recorded"
    dont_text_requested = Signal(list)  # recipient indices: "Don't text this person again"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filtering = workers.Superseding(self, "attention-filter")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        status_row = QHBoxLayout()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        theme.scheme.changed.connect(self.refresh_counts)  # the counts' colours, again
        status_row.addWidget(self.counts_label)
        status_row.addSpacing(16)
        self.attention_only = QCheckBox("Show only rows that need &attention")
        self.attention_only.setObjectName("attentionOnly")
        self.attention_only.toggled.connect(self._apply_filter)
        status_row.addWidget(self.attention_only)
        status_row.addSpacing(16)
        self.include_unrecorded = QCheckBox()
        self.include_unrecorded.setObjectName("includeUnrecorded")
        self.include_unrecorded.setToolTip(
            "Their consent cell is empty: nothing says they agreed to texts. Text them only "
            "if you know they did."
        )
        self.include_unrecorded.toggled.connect(self.include_unrecorded_changed)
        self.include_unrecorded.setVisible(False)
        status_row.addWidget(self.include_unrecorded)
        status_row.addStretch(1)
        edit_tip = QLabel("Double-click a phone number to fix it.")
        edit_tip.setObjectName("editTip")
        status_row.addWidget(edit_tip)
        column.addLayout(status_row)

        self.model = ContactsTableModel(self)
        self.model.on_phone_edited = self._phone_edited
        view = self.table_view = QTableView()
        view.setObjectName("contactsTable")
        view.setAccessibleName("Contacts")
        view.setModel(self.model)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        view.verticalHeader().setVisible(False)
        # Fixed row heights and no per-row sizing keep a million rows smooth to scroll.
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.dont_text_action = QAction("&Don't text this person again", view)
        self.dont_text_action.setObjectName("dontTextAgain")
        self.dont_text_action.setToolTip(
            "Put the selected numbers on your do-not-text list: no campaign will text them."
        )
        self.dont_text_action.triggered.connect(self._dont_text_selected)
        view.addAction(self.dont_text_action)
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        for col, width in enumerate((50, 130, 170, 160, 140)):
            header.resizeSection(col, width)
        column.addWidget(view, 1)

    def show_rows(self, recipients: Any, rows: ContactRows | None) -> None:
        """Show these recipients (all rows: the filter is switched off)."""
        self.attention_only.blockSignals(True)
        self.attention_only.setChecked(False)
        self.attention_only.blockSignals(False)
        self.model.set_recipients(recipients, rows if recipients is not None else None)
        self._show_include_choice(recipients)
        self.refresh_counts()

    def _show_include_choice(self, recipients: Any) -> None:
        unrecorded = recipients.unrecorded_count() if recipients is not None else 0
        column = getattr(recipients, "consent_column", None)
        self.include_unrecorded.blockSignals(True)
        self.include_unrecorded.setChecked(bool(recipients and recipients.include_unrecorded))
        self.include_unrecorded.blockSignals(False)
        if unrecorded and column is not None:
            people = "person" if unrecorded == 1 else "people"
            self.include_unrecorded.setText(
                f"Also text the {unrecorded:,} {people} with no consent recorded "
                f"(empty “{column.header}”)"
            )
        self.include_unrecorded.setVisible(bool(unrecorded and column is not None))

    def _dont_text_selected(self) -> None:
        rows = sorted({index.row() for index in self.table_view.selectionModel().selectedRows()})
        if not rows and self.table_view.currentIndex().isValid():
            rows = [self.table_view.currentIndex().row()]
        indices = [self.model.recipient_index(r) for r in rows]
        if indices:
            self.dont_text_requested.emit(indices)

    def counts(self) -> dict[str, int] | None:
        rows = self.model.rows
        return rows.counts if rows is not None and self.model.recipients is not None else None

    def refresh_counts(self) -> None:
        counts = self.counts()
        if counts is None:
            self.counts_label.setText("")
            self.counts_label.setAccessibleName("")
        else:
            total = len(self.model.rows.row)  # type: ignore[union-attr]
            ready, invalid, duplicate = counts["ready"], counts["invalid"], counts["duplicate"]
            excluded = counts.get("excluded", 0)
            colour = {m: theme.status_colour(m).name() for m in theme.STATUS_COLOURS}
            text = (
                f"<b>{total:,}</b> rows &nbsp;·&nbsp; "
                f"<span style='color:{colour['ready']}'><b>{ready:,}</b> ready</span>"
                f" &nbsp;·&nbsp; <span style='color:{colour['attention']}'><b>{invalid:,}</b> "
                "need attention</span> &nbsp;·&nbsp; "
                f"<span style='color:{colour['duplicate']}'><b>{duplicate:,}</b> duplicate</span>"
            )
            spoken = f"{total} rows, {ready} ready, {invalid} need attention, {duplicate} duplicate"
            if excluded:
                text += (
                    f" &nbsp;·&nbsp; <span style='color:{colour['excluded']}'><b>{excluded:,}</b> "
                    "won't be "
                    "texted</span>"
                )
                spoken += f", {excluded} won't be texted"
            self.counts_label.setText(text)
            self.counts_label.setAccessibleName(spoken)
        self.counts_changed.emit()

    def _apply_filter(self, only_attention: bool) -> None:
        recipients = self.model.recipients
        if recipients is None:
            return
        if not only_attention:
            self.filtering.cancel()
            self.model.set_order(None)
            return
        # A million statuses take a while to scan: do it off the GUI thread.
        self.filtering.run(
            lambda _progress, _cancel: recipients.attention_indices(),
            on_done=lambda order: self._filtered(recipients, order),
        )

    def _filtered(self, recipients: Any, order: list[int]) -> None:
        if recipients is self.model.recipients and self.attention_only.isChecked():
            self.model.set_order(order)
            self.filtered.emit()

    def _phone_edited(self, index: int) -> None:
        self.refresh_counts()
        self.phone_edited.emit(index)
