"""Step 3, Review: who gets which message, the totals, who gets none and why, and a test.

On entering, every row's message is rendered for the current text in the background (the
numbers are not checked again); the tables then show exactly what will be sent.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core import collector
from trackly_desktop.core.plurals import counted
from trackly_desktop.core.results.wording import display_number
from trackly_desktop.ui import theme, workers
from trackly_desktop.ui.error_presenter import describe_error
from trackly_desktop.ui.progress_strip import ProgressStrip
from trackly_desktop.ui.review_model import ReviewRows, WillSendModel, WontSendModel
from trackly_desktop.ui.send_test_panel import SendTestPanel
from trackly_desktop.ui.session import Session
from trackly_desktop.ui.step_page import StepPage


def _table(model: Any, name: str, widths: tuple[int, ...], stretch: int) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


THEIR_TIME = 5  # the Will-get-a-message column of each person's local time


class ReviewStep(StepPage):
    step_title = "Review"
    next_text = "&Next: send ›"
    settings_requested = Signal()
    ready = Signal()  # the tables show the current messages (tests wait on it)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.renders = workers.Superseding(self, "review")
        self.rows: ReviewRows | None = None
        self._build()
        session.recipients_changed.connect(self._invalidate)
        session.template_changed.connect(self._invalidate)
        session.settings_changed.connect(self._refresh_totals)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.totals = QLabel()
        self.totals.setObjectName("reviewTotals")
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        font = self.totals.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.totals.setFont(font)
        layout.addWidget(self.totals)
        warning_row = QHBoxLayout()
        self.account_warning = QLabel()
        self.account_warning.setObjectName("accountWarning")
        self.account_warning.setWordWrap(True)
        theme.show_in_colour(self.account_warning, "warning", bold=True)
        self.settings_button = QPushButton("Open &Settings…")
        self.settings_button.clicked.connect(self.settings_requested)
        warning_row.addWidget(self.account_warning, 1)
        warning_row.addWidget(self.settings_button)
        layout.addLayout(warning_row)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.will_send = WillSendModel(self)
        self.wont_send = WontSendModel(self)
        self.will_view = _table(
            self.will_send, "willSendTable", (50, 150, 130, 330, 45, 330), stretch=3
        )
        self.wont_view = _table(
            self.wont_send, "wontSendTable", (50, 160, 150, 130, 300), stretch=4
        )
        for view, model in ((self.will_view, self.will_send), (self.wont_view, self.wont_send)):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            action = QAction("&Don't text this person again", view)
            action.setObjectName("dontTextAgain")
            action.triggered.connect(lambda _=False, v=view, m=model: self._dont_text_again(v, m))
            view.addAction(action)
        self.tabs.addTab(self.will_view, "Will get a message")
        self.tabs.addTab(self.wont_view, "Will not get one")
        layout.addWidget(self.tabs, 1)
        self.progress = ProgressStrip()
        self.progress.cancel_requested.connect(self.cancel)
        layout.addWidget(self.progress)
        self.error_label = QLabel()
        self.error_label.setObjectName("reviewError")
        self.error_label.setWordWrap(True)
        theme.show_in_colour(self.error_label, "attention", bold=True)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.test_panel = SendTestPanel(self.session, self._test_body)
        self.test_panel.setToolTip(
            "Sends the message of the person selected above (or the first one) to your phone."
        )
        layout.addWidget(self.test_panel)

    def _dont_text_again(self, view: QTableView, model: Any) -> None:
        """Put the selected people on the do-not-text list and show them as excluded."""
        recipients = self.session.recipients
        rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
        if recipients is None or not rows:
            return
        phones = [recipients.phone[model.recipient_index(r)] for r in rows]
        self.session.dont_text_again([p for p in phones if p])
        from trackly_desktop.core.audience.do_not_text import numbers_at  # noqa: PLC0415

        recipients.set_do_not_text(numbers_at(self.session.do_not_text_path()))
        self.rows = None
        self.render_messages()

    # --- rendering ------------------------------------------------------------------------
    def _invalidate(self, *_args: object) -> None:
        self.rows = None
        self._set_complete(False)

    def on_enter(self) -> None:
        if self.rows is None and not self.renders.busy:
            self.render_messages()
        self._refresh_totals()

    def render_messages(self) -> None:
        recipients = self.session.recipients
        if recipients is None:
            self._show_rows(None, None)
            return
        text = self.session.template_text
        rules = self.session.settings.quiet_hours()
        now = self.session.clock.now()

        def work(progress, cancel) -> ReviewRows:
            with collector.building_held_data():  # a million bodies, kept until sent
                if recipients.template.text != text:
                    recipients.update_template(text, progress=progress, cancel=cancel)
                return ReviewRows.build(recipients, rules, now)

        self.error_label.setVisible(False)
        self.progress.start("Writing every message…")
        self.renders.run(
            work,
            on_done=lambda rows: self._rendered(recipients, rows),
            on_error=self._failed,
            on_cancelled=lambda: self._failed(None),
            on_progress=self.progress.report,
        )

    @property
    def task(self) -> workers.BackgroundTask | None:
        """The rendering in progress, if any."""
        return self.renders.task

    def cancel(self) -> None:
        self.renders.cancel()

    def _rendered(self, recipients: Any, rows: ReviewRows) -> None:
        self.progress.stop()
        if recipients is not self.session.recipients:
            self.render_messages()  # the contacts changed while we worked
            return
        self._show_rows(recipients, rows)
        self.session.local_times = rows.local_times
        self.session.recipients_rendered.emit(rows.contact)
        self.ready.emit()

    def _failed(self, exc: BaseException | None) -> None:
        self.progress.stop()
        text = "Stopped. Go back to the message, or come here again." if exc is None else None
        self.error_label.setText(text or describe_error(exc))  # type: ignore[arg-type]
        self.error_label.setVisible(True)

    def _show_rows(self, recipients: Any, rows: ReviewRows | None) -> None:
        self.rows = rows
        self.will_send.set_rows(recipients, rows)
        self.wont_send.set_rows(recipients, rows)
        ready = len(rows.ready) if rows else 0
        skipped = len(rows.skipped) if rows else 0
        self._fit_their_time(rows)
        self.tabs.setTabText(0, f"Will get a message ({ready:,})")
        self.tabs.setTabText(1, f"Will not get one ({skipped:,})")
        self._refresh_totals()

    def _fit_their_time(self, rows: ReviewRows | None) -> None:
        """ "Their time" as wide as its longest text, so the messages get the rest."""
        view = self.will_view
        text = rows.widest_local_text if rows is not None else ""
        header = view.horizontalHeader()
        needed = max(view.fontMetrics().horizontalAdvance(text) + 16,
                     header.sectionSizeFromContents(THEIR_TIME).width())  # fmt: skip
        header.resizeSection(THEIR_TIME, needed)

    def _refresh_totals(self, *_args: object) -> None:
        rows = self.rows
        sender = self.session.list_number
        if rows is None:
            self.totals.setText("")
        else:
            summary = rows.summary
            people = counted(summary.ready, "person", "people")
            parts = counted(summary.segments, "message part", "message parts")
            skipped = len(rows.skipped)
            line = f"<b>{people}</b> will get a message: <b>{parts}</b> in all"
            cost = self.session.cost_words(summary.segments)
            if cost:
                line += f" (<b>{cost}</b>)"
            line += f", from {display_number(sender)}." if sender else "."
            if skipped:
                line += f" {counted(skipped, 'row', 'rows')} will not get one (see the second tab)"
                excluded = summary.excluded
                line += (
                    f": {counted(excluded, 'person', 'people')} may not be texted (no consent, "
                    "or on your do-not-text list)."
                    if excluded
                    else "."
                )
            if rows.quiet_line:
                line += "<br>Quiet hours: " + escape(rows.quiet_line)
            self.totals.setText(line)
        problems = []
        if not sender:
            problems.append("Choose the number your messages come from (the sending number)")
        self.account_warning.setText(" · ".join(problems) + ("." if problems else ""))
        self.account_warning.setVisible(bool(problems))
        self.settings_button.setVisible(bool(problems))
        self._set_complete(rows is not None and rows.summary.ready > 0 and bool(sender))
        self.hint_changed.emit()

    def _test_body(self) -> str | None:
        """The selected person's message, or the first person's when none is selected."""
        rows = self.rows
        if rows is None or not rows.ready or self.session.recipients is None:
            return None
        current = self.will_view.currentIndex()
        position = current.row() if current.isValid() else 0
        return self.session.recipients.body[rows.ready[position]]

    def hint_text(self) -> str:
        if self.rows is None:
            return "Writing every message…" if self.task is not None else ""
        if not self.session.list_number:
            return "Set the sending number in Settings to go on."
        return "Check the messages, send yourself a test, then go on to send."

    def is_busy(self) -> bool:
        return self.task is not None
