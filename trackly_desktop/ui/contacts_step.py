"""Step 1, Contacts: open a spreadsheet, say which column holds what, see every row's status.

Reading, mapping suggestions and validation run in a worker (`ui/workers.py`) with a
progress bar and Cancel; the GUI thread only swaps finished results in. Nothing here
knows how a phone number is checked: the core does that.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.plurals import counted
from trackly_desktop.core.recipients.display import ContactRows
from trackly_desktop.core.recipients.loading import (
    FileChoices,
    Loaded,
    load_spreadsheet,
    recheck_with,
)
from trackly_desktop.ui import theme, workers
from trackly_desktop.ui.contacts_table import ContactsTablePanel
from trackly_desktop.ui.drop_zone import FILE_DIALOG_FILTER, DropZone
from trackly_desktop.ui.error_presenter import describe_error
from trackly_desktop.ui.mapping_panel import MappingPanel
from trackly_desktop.ui.progress_strip import ProgressStrip
from trackly_desktop.ui.reading_bar import ReadingBar
from trackly_desktop.ui.session import Session
from trackly_desktop.ui.step_page import StepPage

log = logging.getLogger(__name__)
SAMPLE_FILE = "sample_contacts.xlsx"


class ContactsStep(StepPage):
    step_title = "Contacts"
    next_text = "&Next: write the message ›"
    loaded = Signal()  # a file, sheet or mapping finished loading (tests wait on it)
    failed = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.loads = workers.Superseding(self, "contacts")
        self._sheets: list[str] = []
        self._build()
        session.settings_changed.connect(self._country_may_have_changed)
        session.recipients_rendered.connect(self._rendered_elsewhere)
        session.do_not_text_changed.connect(self.recheck)
        self._country = session.country
        self._choices = FileChoices()  # the operator's choices for the open file

    # --- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.pages = QStackedWidget()
        self.drop_zone = DropZone()
        self.drop_zone.file_dropped.connect(self.open_file)
        self.drop_zone.choose_requested.connect(self.choose_file)
        self.drop_zone.sample_requested.connect(self.open_sample)
        # The sample's numbers are fictional, but a practice send belongs to the demo only.
        self.drop_zone.sample_button.setVisible(self.session.demo)
        self.pages.addWidget(self.drop_zone)
        self.pages.addWidget(self._build_loaded_page())
        layout.addWidget(self.pages, 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("contactsError")
        self.error_label.setWordWrap(True)
        theme.show_in_colour(self.error_label, "attention", bold=True)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.progress = ProgressStrip()
        self.progress.cancel_requested.connect(self.cancel)
        layout.addWidget(self.progress)

    def _build_loaded_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.file_label = QLabel()
        self.file_label.setObjectName("fileLabel")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.file_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.file_label.setFont(font)
        top.addWidget(self.file_label)
        self.sheet_caption = QLabel("Sheet:")
        self.sheet_box = QComboBox()
        self.sheet_box.setObjectName("sheetChooser")
        self.sheet_box.setAccessibleName("Sheet of the workbook")
        self.sheet_caption.setBuddy(self.sheet_box)
        self.sheet_box.activated.connect(self._sheet_chosen)
        top.addWidget(self.sheet_caption)
        top.addWidget(self.sheet_box)
        top.addStretch(1)
        another = QPushButton("Open another file…")
        another.setObjectName("openAnother")
        another.clicked.connect(self.choose_file)
        top.addWidget(another)
        column.addLayout(top)
        # How the file was read (header row, characters, country), changeable right here.
        self.reading_bar = ReadingBar()
        self.reading_bar.header_row_chosen.connect(
            lambda row: self._read_again(replace(self._choices, header_row=row))
        )
        self.reading_bar.encoding_chosen.connect(
            lambda codec: self._read_again(replace(self._choices, encoding=codec))
        )
        self.reading_bar.country_chosen.connect(self._country_chosen)
        column.addWidget(self.reading_bar)

        self.mapping_panel = MappingPanel()
        self.mapping_panel.mapping_changed.connect(self._mapping_chosen)
        column.addWidget(self.mapping_panel)
        consent_row = QHBoxLayout()
        self.consent_label = QLabel()
        self.consent_label.setObjectName("consentWords")
        self.consent_label.setWordWrap(True)
        consent_row.addWidget(self.consent_label, 1)
        self.polarity_box = QComboBox()
        self.polarity_box.setObjectName("consentPolarity")
        self.polarity_box.setAccessibleName("What a yes in the consent column means")
        self.polarity_box.addItem("“Yes” there means they agreed to texts", "opt_in")
        self.polarity_box.addItem("“Yes” there means do not text them", "opt_out")
        self.polarity_box.activated.connect(self._polarity_chosen)
        consent_row.addWidget(self.polarity_box)
        column.addLayout(consent_row)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("readerNotes")
        self.notes_label.setWordWrap(True)
        column.addWidget(self.notes_label)

        self.table_panel = ContactsTablePanel()
        self.table_panel.counts_changed.connect(self._counts_changed)
        self.table_panel.phone_edited.connect(self._phone_edited)
        self.table_panel.include_unrecorded_changed.connect(self._include_unrecorded)
        self.table_panel.dont_text_requested.connect(self._dont_text_again)
        self.filtered = self.table_panel.filtered
        # The parts other code and the tests reach for, by their usual names.
        self.model = self.table_panel.model
        self.table_view = self.table_panel.table_view
        self.counts_label = self.table_panel.counts_label
        self.attention_only = self.table_panel.attention_only
        column.addWidget(self.table_panel, 1)
        return page

    # --- opening --------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Open a spreadsheet", str(self.start_folder()), FILE_DIALOG_FILTER
        )
        if name:
            self.session.settings.last_folder = str(Path(name).parent)
            self.open_file(Path(name))

    def start_folder(self) -> Path:
        """Where the Open dialog starts: the last folder chosen, else Documents, else home;
        never the folder the app was started from (its install folder)."""
        from PySide6.QtCore import QStandardPaths  # noqa: PLC0415

        last = self.session.settings.last_folder
        if last and Path(last).is_dir():
            return Path(last)
        if self.session.source_path is not None and self.session.source_path.parent.is_dir():
            return self.session.source_path.parent
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        if documents and Path(documents).is_dir():
            return Path(documents)
        return Path.home()

    def open_sample(self) -> None:
        """The practice list: demo mode only, so it is never sent with a real key."""
        if not self.session.demo:
            return
        from trackly_desktop.resource_files import resource_path  # noqa: PLC0415

        self.open_file(resource_path(SAMPLE_FILE))

    def open_file(
        self, path: Path, sheet: str | None = None, *, choices: FileChoices | None = None
    ) -> None:
        """Read `path` (one sheet of it) in the background, then check every row.

        `choices`: what the operator chose for this file (header row, encoding, country);
        a new file starts without any."""
        path = Path(path)
        template, country = self.session.template_text, self.session.country
        self._choices = choices = choices or FileChoices()
        audience = self.session.audience()

        def work(progress, cancel) -> Loaded:
            return load_spreadsheet(
                path, sheet, template, country,
                progress=progress, cancel=cancel, audience=audience, choices=choices,
            )  # fmt: skip

        self._start(work, f"Opening {path.name}…", new_file=path)

    def _read_again(self, choices: FileChoices) -> None:
        """Read the open file again with another header row or encoding."""
        if self.session.source_path is not None:
            self.open_file(self.session.source_path, self.session.sheet, choices=choices)

    def _country_chosen(self, code: str) -> None:
        """Numbers without a + code in this file are this country's (the operator said)."""
        self._choices = replace(self._choices, country=code)
        self.recheck()

    def _sheet_chosen(self, index: int) -> None:
        sheet = self.sheet_box.itemText(index)
        if self.session.source_path is not None and sheet != self.session.sheet:
            self.open_file(self.session.source_path, sheet)

    def _mapping_chosen(self, choice: dict[str, str | None]) -> None:
        from trackly_desktop.core.contacts.mapping import ColumnMapping  # noqa: PLC0415

        table = self.session.table
        try:
            mapping = ColumnMapping.from_dict(choice)
            mapping.validate(table.columns)
        except TracklyDesktopError as exc:
            self._show_error(str(exc))
            return
        self.recheck(mapping, remember=True)

    def recheck(self, mapping: Any = None, *, remember: bool = False) -> None:
        """Check every row again (new mapping, or a new default country)."""
        table = self.session.table
        if table is None:
            return
        mapping = mapping if mapping is not None else self.session.mapping
        template, country, sheets = self.session.template_text, self.session.country, self._sheets
        audience, choices = self.session.audience(), self._choices

        def work(progress, cancel) -> Loaded:
            return recheck_with(
                table, mapping, template, country, sheets,
                remember=remember, progress=progress, cancel=cancel, audience=audience,
                choices=choices,
            )  # fmt: skip

        self._start(work, "Checking numbers…", new_file=None)

    def _country_may_have_changed(self) -> None:
        if self.session.country != self._country:
            self._country = self.session.country
            self.recheck()

    # --- background plumbing --------------------------------------------------------------
    def _start(self, work, what: str, *, new_file: Path | None) -> None:
        self._show_error("")
        self.progress.start(what)
        self.loads.run(
            work,
            on_done=lambda result: self._finished(result, new_file),
            on_error=self._failed,
            on_cancelled=self._cancelled,
            on_progress=self.progress.report,
        )

    @property
    def task(self) -> workers.BackgroundTask | None:
        """The load in progress, if any (a newer load supersedes an older one)."""
        return self.loads.task

    def cancel(self) -> None:
        self.loads.cancel()

    def _finished(self, loaded: Loaded, new_file: Path | None) -> None:
        self.progress.stop()
        session = self.session
        if new_file is not None:
            session.set_table(loaded.table, new_file, loaded.table.sheet)
            self._sheets = loaded.sheets
        session.set_mapping(loaded.mapping)
        session.set_recipients(loaded.recipients)
        self._show_loaded(loaded)
        if loaded.recipients is None:
            self._show_error(
                "Which column holds the mobile numbers? Choose it under “Mobile number”."
            )
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.progress.stop()
        self._show_current_sheet()
        self._show_error(describe_error(exc))
        self.failed.emit(describe_error(exc))

    def _cancelled(self) -> None:
        self.progress.stop()
        self._show_current_sheet()
        self._show_error("Stopped. Nothing was changed.")

    def _show_current_sheet(self) -> None:
        # A sheet that failed to load (or was cancelled) is not the one on screen.
        if self.session.sheet:
            self.sheet_box.setCurrentText(self.session.sheet)

    # --- showing --------------------------------------------------------------------------
    def _show_loaded(self, loaded: Loaded) -> None:
        table = loaded.table
        self.file_label.setText(table.source.name)
        self.sheet_box.clear()
        self.sheet_box.addItems(self._sheets)
        if table.sheet:
            self.sheet_box.setCurrentText(table.sheet)
        many = len(self._sheets) > 1
        self.sheet_caption.setVisible(many)
        self.sheet_box.setVisible(many)
        self.mapping_panel.set_columns(
            list(table.columns), loaded.mapping.as_dict(), loaded.mapping.other_phones
        )
        recipients = loaded.recipients
        self.reading_bar.show_file(table, recipients.reading if recipients is not None else None)
        self.consent_label.setText(loaded.mapping.consent_words())
        consent = loaded.mapping.consent_column
        self.polarity_box.setVisible(consent is not None)
        if consent is not None:
            self.polarity_box.setCurrentIndex(self.polarity_box.findData(consent.polarity))
        self.notes_label.setText("\n".join(getattr(table, "notes", []) or []))
        self.notes_label.setVisible(bool(self.notes_label.text()))
        self.table_panel.show_rows(loaded.recipients, loaded.rows)
        self.pages.setCurrentIndex(1)

    def _rendered_elsewhere(self, rows: ContactRows) -> None:
        # A new message can make rows unsendable (too long, braces in a value): show that here.
        recipients = self.session.recipients
        if recipients is not None and recipients is self.model.recipients:
            self.table_panel.show_rows(recipients, rows)

    def _polarity_chosen(self, index: int) -> None:
        mapping = self.session.mapping
        polarity = self.polarity_box.itemData(index)
        if mapping is None or mapping.consent_column is None:
            return
        if polarity != mapping.consent_column.polarity:
            self.recheck(mapping.with_consent_polarity(polarity))

    def _include_unrecorded(self, include: bool) -> None:
        self.session.include_unrecorded_consent = include
        self.recheck()

    def _dont_text_again(self, indices: list[int]) -> None:
        recipients = self.session.recipients
        if recipients is None:
            return
        phones = [recipients.phone[i] for i in indices if recipients.phone[i]]
        if not phones:
            self._show_error("That row has no phone number to put on the do-not-text list.")
            return
        self.session.dont_text_again(phones)  # the list changed: every row is checked again

    def _phone_edited(self, _index: int) -> None:
        self.session.notify_recipients_edited()

    def _counts_changed(self) -> None:
        counts = self.table_panel.counts()
        self._set_complete(bool(counts and counts["ready"] > 0))
        self.hint_changed.emit()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def on_enter(self) -> None:
        if self.pages.currentWidget() is self.drop_zone:
            # Enter or Space picks the obvious first action without reaching for the mouse.
            button = (
                self.drop_zone.sample_button if self.session.demo else self.drop_zone.choose_button
            )
            button.setFocus()

    def hint_text(self) -> str:
        rows = self.model.rows
        if self.session.table is None:
            return "Open a spreadsheet of your customers to start."
        if rows is None or not rows.counts.get("ready"):
            return "No row has a number that can be texted yet."
        ready = rows.counts["ready"]
        return f"{counted(ready, 'person', 'people')} can get a message."

    def is_busy(self) -> bool:
        return self.loads.busy
