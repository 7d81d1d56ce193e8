"""History: past campaigns from the journal, each reopenable; resuming an unfinished one.

`HistoryDialog` lists every campaign; "Show results" and "Resume sending" are announced
through signals the main window routes to the Send step. `offer_resume()` is the start-up
question for a campaign that a crash, a cancel or a refused key left unfinished.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.journal_schema import CampaignSummary
from trackly_desktop.ui.error_presenter import show_error
from trackly_desktop.ui.history_model import HistoryTableModel, can_resume, left_to_send
from trackly_desktop.ui.journal_location import journal_path_for
from trackly_desktop.ui.send_wording import counted
from trackly_desktop.ui.workers import run_in_background


def _load_campaigns(demo: bool) -> list[CampaignSummary]:
    from trackly_desktop.core.journal import Journal  # noqa: PLC0415 - only when asked

    with Journal(journal_path_for(demo)) as journal:
        return journal.campaigns()


def _load_interrupted(demo: bool) -> list[CampaignSummary]:
    from trackly_desktop.core.journal import Journal  # noqa: PLC0415

    with Journal(journal_path_for(demo)) as journal:
        return journal.interrupted_campaigns()


class HistoryDialog(QDialog):
    """Every campaign, newest first."""

    open_results = Signal(int)
    resume_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, demo: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("History (demo sends)" if demo else "History")
        self._demo = demo
        self.model = HistoryTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("Past campaigns")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 130)
        self.table.doubleClicked.connect(lambda _index: self._show_results())
        self.empty_label = QLabel("Loading…")
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setWordWrap(True)
        self.results_button = QPushButton("Show results")
        self.results_button.setObjectName("showResultsButton")
        self.resume_button = QPushButton("Resume sending")
        self.resume_button.setObjectName("resumeButton")
        self.resume_button.setToolTip("Send the messages of this campaign that did not go out")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.results_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.results_button.clicked.connect(self._show_results)
        self.resume_button.clicked.connect(self._resume)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 420)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        run_in_background(
            lambda _p, _c: _load_campaigns(self._demo),
            on_done=self._loaded,
            on_error=lambda exc: show_error(self, "History", exc),
            parent=self,
            label="history",
        )

    def _loaded(self, campaigns: list[CampaignSummary]) -> None:
        self.model.set_campaigns(campaigns)
        if campaigns:
            self.empty_label.setText(
                "Every send you made from this computer. Choose one to see its results."
            )
            self.table.selectRow(0)
        else:
            self.empty_label.setText("Nothing has been sent from this computer yet.")
        self._update_buttons()

    def selected(self) -> CampaignSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.campaign(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        summary = self.selected()
        self.results_button.setEnabled(summary is not None)
        self.resume_button.setEnabled(summary is not None and can_resume(summary))

    def _show_results(self) -> None:
        summary = self.selected()
        if summary is not None:
            self.open_results.emit(summary.id)
            self.accept()

    def _resume(self) -> None:
        summary = self.selected()
        if summary is not None and can_resume(summary):
            self.resume_requested.emit(summary.id)
            self.accept()


def resume_question(summary: CampaignSummary) -> str:
    left = left_to_send(summary)
    name = Path(summary.file).name if summary.file else f"campaign {summary.id}"
    when = summary.created[:16].replace("T", " ")
    return (
        f"The send from “{name}” ({when}) did not finish: {counted(left, 'message')} "
        "still to send. Resume it now?"
    )


def offer_resume(parent: QWidget, on_resume: Callable[[int], None], *, demo: bool = False) -> None:
    """At start-up: if a campaign was left unfinished, ask whether to resume the newest."""

    def ask(campaigns: list[CampaignSummary]) -> None:
        if not campaigns:
            return
        summary = campaigns[0]  # newest first
        box = QMessageBox(parent)
        box.setObjectName("resumeOffer")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unfinished send")
        box.setText(resume_question(summary))
        box.setInformativeText(
            "Messages that already went out are not sent again. You can also resume later "
            "from History."
        )
        resume = box.addButton("Resume sending", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(
            lambda _r: on_resume(summary.id) if box.clickedButton() is resume else None
        )
        box.open()

    run_in_background(
        lambda _p, _c: _load_interrupted(demo),
        on_done=ask,
        on_error=lambda exc: show_error(parent, "History", exc),
        parent=parent,
        label="resume-offer",
    )
