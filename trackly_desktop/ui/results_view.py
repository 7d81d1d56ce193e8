"""Results of one campaign: the counts, the failures table, export, retry and fix-in-place.

Everything that touches the journal or a file runs in the background (`ui.workers`); the
view only shows what comes back. A retry is prepared here (rows marked in the journal) and
then handed to the Send step through `retry_requested`, which sends what is pending.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.journal.location import journal_path_for
from trackly_desktop.core.results import loader as results_loader
from trackly_desktop.core.results.loader import CampaignResults
from trackly_desktop.core.results.wording import (
    NOTHING_TO_SEND_AGAIN,
    SEND_AGAIN_TIP,
    retry_words,
)
from trackly_desktop.ui import theme
from trackly_desktop.ui.error_presenter import show_error
from trackly_desktop.ui.failures_model import (
    CODE_COLUMN,
    NAME_COLUMN,
    PHONE_COLUMN,
    REASON_COLUMN,
    ROW_COLUMN,
    FailuresFilter,
    FailuresTableModel,
)
from trackly_desktop.ui.workers import Superseding, run_in_background

EXPORT_FILTERS = "Excel workbook (*.xlsx);;CSV file (*.csv)"


class ResultsView(QWidget):
    """Show a campaign's results; `show_campaign(id)` loads them from the journal."""

    retry_requested = Signal(int)  # campaign id whose marked rows should be sent now
    new_send_requested = Signal()  # start over: same list (or another), message kept
    copy_saved = Signal(str)  # the results copy was written there
    loaded = Signal(object)  # CampaignResults, once on screen

    def __init__(self, session: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self.loads = Superseding(self, "results")
        self.session = session
        self.journal_path = journal_path_for(bool(getattr(session, "demo", False)))
        self.campaign_id: int | None = None
        self.current: CampaignResults | None = None
        self.title = QLabel("Results")
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("resultsSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setStyleSheet("font-size: 13pt;")
        theme.scheme.changed.connect(self._show_summary)  # its colours, in the new scheme
        self.state_label = QLabel()
        self.state_label.setObjectName("resultsState")
        self.state_label.setWordWrap(True)

        self.model = FailuresTableModel(self)
        self.proxy = FailuresFilter(self)
        self.proxy.setSourceModel(self.model)
        self.model.phone_edited.connect(self._phone_edited)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by name, number or reason")
        self.filter_edit.setAccessibleName("Filter the failures")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.only_retryable = QCheckBox("Only ones worth retrying")
        self.only_retryable.toggled.connect(self.proxy.set_only_retryable)
        self.details = QCheckBox("De&tails")
        self.details.setObjectName("detailsToggle")
        self.details.setToolTip("Show the technical code Trackly support may ask for")
        self.details.toggled.connect(lambda on: self.table.setColumnHidden(CODE_COLUMN, not on))

        self.table = QTableView()
        self.table.setObjectName("failuresTable")
        self.table.setAccessibleName("Messages that were not sent")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ROW_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in ((ROW_COLUMN, 60), (NAME_COLUMN, 150), (PHONE_COLUMN, 140)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnHidden(CODE_COLUMN, True)  # codes only behind "Details"
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.dont_text_action = QAction("&Don't text this person again", self.table)
        self.dont_text_action.setObjectName("dontTextAgain")
        self.dont_text_action.triggered.connect(self.dont_text_selected)
        self.table.addAction(self.dont_text_action)

        self.fix_hint = QLabel(
            "To fix a number, double-click it in the table, type the right one and press "
            "Enter: that message is sent again at once."
        )
        self.fix_hint.setWordWrap(True)
        self.fix_hint.setStyleSheet("color: palette(placeholder-text);")
        self.export_button = QPushButton("&Export failures…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip("Save this list as an Excel or CSV file")
        self.export_button.clicked.connect(self.choose_export_file)
        self.retry_button = QPushButton("Send &again to the ones that failed")
        self.retry_button.setObjectName("retryButton")
        self.retry_button.clicked.connect(self.retry_failed)
        self.copy_button = QPushButton("Save results into a &copy of my spreadsheet…")
        self.copy_button.setObjectName("resultsCopyButton")
        self.copy_button.setToolTip(
            "Your rows and columns as they are, with each person's Status, Reason, Sent at, "
            "Number used and any fix made. Your original file is not changed."
        )
        self.copy_button.clicked.connect(self.choose_copy_file)
        self.new_send_button = QPushButton("&New send")
        self.new_send_button.setObjectName("newSendButton")
        self.new_send_button.setToolTip(
            "Start another send to this list with this message to edit, or open another "
            "spreadsheet. These results stay in History."
        )
        self.new_send_button.clicked.connect(self.new_send_requested)
        self.new_campaign_hint = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.only_retryable)
        filters.addWidget(self.details)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.state_label)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.fix_hint)
        layout.addLayout(buttons)
        self._set_busy(True)

    # ---- loading -----------------------------------------------------------------------
    def show_campaign(self, campaign_id: int) -> None:
        """Load and show `campaign_id`."""
        self.campaign_id = campaign_id
        self.summary.setText("Loading…")
        self._set_busy(True)
        # A later campaign asked for meanwhile supersedes this one's loading.
        self.loads.run(
            lambda _p, _c: results_loader.load_results(self.journal_path, campaign_id),
            on_done=self._show_loaded,
            on_error=lambda exc: show_error(self, "Results", exc),
        )

    def _show_summary(self) -> None:
        """The counts, in the colours of the scheme on screen."""
        results = self.current
        if results is not None:
            counts = (results.sent, results.failed, results.uncertain, results.excluded)
            colours = theme.summary_colours()
            self.summary.setText(results_loader.summary_html(*counts, colours=colours))

    def _show_loaded(self, results: CampaignResults) -> None:
        self.current = results
        self.title.setText(f"Results — {results.title}")
        self._show_summary()
        self.state_label.setText(f"{results.state_sentence} {results.checked_again}".strip())
        self.model.set_lines(results.lines)
        self._set_busy(False)
        self.loaded.emit(results)

    def _set_busy(self, busy: bool) -> None:
        has_lines = self.model.rowCount() > 0
        retryable = self.current is not None and self.current.retryable_count > 0
        self.export_button.setEnabled(not busy and has_lines)
        self.copy_button.setEnabled(
            not busy and self.current is not None and bool(self.current.source_file)
        )
        self.retry_button.setEnabled(not busy and retryable)
        count = self.current.retryable_count if self.current else 0
        self.retry_button.setText(retry_words(count))
        # Disabled with failures listed: the tooltip says why none can be sent again.
        none_again = self.current is not None and has_lines and not retryable
        self.retry_button.setToolTip(NOTHING_TO_SEND_AGAIN if none_again else SEND_AGAIN_TIP)
        self.table.setEnabled(not busy)

    # ---- actions -----------------------------------------------------------------------
    def choose_export_file(self) -> None:
        start = Path.home() / f"failures-campaign-{self.campaign_id}.xlsx"
        path, _selected = QFileDialog.getSaveFileName(
            self, "Export failures", str(start), EXPORT_FILTERS
        )
        if path:
            self.export_to(Path(path))

    def dont_text_selected(self) -> None:
        """Put the selected people on the do-not-text list beside this campaign's journal."""
        from trackly_desktop.core.audience.do_not_text import (  # noqa: PLC0415
            FROM_OPERATOR,
            DoNotTextList,
            list_path_for_journal,
        )

        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        phones = [self.model.line(r).phone for r in sorted(rows)]
        phones = [p for p in phones if p]
        if not phones:
            return
        with DoNotTextList(list_path_for_journal(self.journal_path)) as dnt:
            added = dnt.add_many(phones, reason="Asked not to be texted", source=FROM_OPERATOR)
        people = "person" if len(phones) == 1 else "people"
        self.state_label.setText(
            f"{len(phones):,} {people} will not be texted again ({added:,} new on the "
            "do-not-text list)."
        )
        changed = getattr(self.session, "do_not_text_changed", None)
        if changed is not None:
            changed.emit()

    def export_to(self, path: Path) -> None:
        """Write the failures (all of them, whatever the filter shows) to CSV or XLSX."""
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_suffix(".xlsx")
        lines = self.model.lines()
        self._set_busy(True)

        def done(written: object) -> None:
            self._set_busy(False)
            self.state_label.setText(f"Saved {len(lines):,} rows to {written}.")

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            show_error(self, "Export failures", exc)

        run_in_background(
            lambda _p, _c: results_loader.export_lines(lines, path),
            on_done=done,
            on_error=failed,
            parent=self,
            label="export",
        )

    def choose_copy_file(self) -> None:
        from trackly_desktop.core.results.spreadsheet_copy import default_copy_path  # noqa: PLC0415

        if self.current is None or not self.current.source_file:
            return
        start = default_copy_path(Path(self.current.source_file))
        kind = "Excel workbook (*.xlsx)" if start.suffix == ".xlsx" else "CSV file (*.csv)"
        path, _selected = QFileDialog.getSaveFileName(
            self, "Save results into a copy of my spreadsheet", str(start), kind
        )
        if path:
            self.save_copy_to(Path(path))

    def save_copy_to(self, path: Path) -> None:
        """Write the copy in the background; the original spreadsheet is never touched."""
        from trackly_desktop.core.results.spreadsheet_copy import write_results_copy  # noqa: PLC0415

        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        self._set_busy(True)

        def done(written: object) -> None:
            self._set_busy(False)
            self.state_label.setText(f"The results are in {written}. Your original is unchanged.")
            self.copy_saved.emit(str(written))

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            show_error(self, "Save results", exc)

        run_in_background(
            lambda _p, _c: write_results_copy(self.journal_path, campaign_id, path),
            on_done=done,
            on_error=failed,
            parent=self,
            label="results-copy",
        )

    def retry_failed(self) -> None:
        """Mark every retryable failure for another try, then ask the Send step to send."""
        if self.campaign_id is None:
            return
        self._mark_and_retry(None)

    def _phone_edited(self, source_row: int, text: str) -> None:
        if self.campaign_id is None:
            return
        line = self.model.line(source_row)
        campaign_id = self.campaign_id
        journal = self.journal_path
        self._set_busy(True)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.show_campaign(campaign_id)  # put the journal's truth back on screen
            show_error(self, "Fix the number", exc)

        run_in_background(
            lambda _p, _c: results_loader.fix_phone(journal, campaign_id, line.row_number, text),
            on_done=lambda _r: self.retry_requested.emit(campaign_id),
            on_error=failed,
            parent=self,
            label="fix-phone",
        )

    def _mark_and_retry(self, rows: list[int] | None) -> None:
        campaign_id = self.campaign_id
        assert campaign_id is not None
        self._set_busy(True)

        def marked(count: object) -> None:
            if count:
                self.retry_requested.emit(campaign_id)
            else:
                self._set_busy(False)
                self.state_label.setText(NOTHING_TO_SEND_AGAIN)

        run_in_background(
            lambda _p, _c: results_loader.mark_for_retry(self.journal_path, campaign_id, rows),
            on_done=marked,
            on_error=lambda exc: (self._set_busy(False), show_error(self, "Retry", exc)),
            parent=self,
            label="retry",
        )
