"""History: past campaigns from the journal, each reopenable; resuming an unfinished one.

`HistoryDialog` lists every campaign, searchable by file name or message text; the one
selected tells its story (message, sending number, counts, parts and estimated cost).
"Show results", "Resume sending" and "Send again to the ones that failed" are announced
through signals the main window routes to the Send step. `offer_resume()` is the start-up
question for a campaign that a crash, a cancel or a refused key left unfinished.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.journal.location import journal_path_for
from trackly_desktop.core.journal.schema import SENDING, CampaignSummary
from trackly_desktop.core.journal.storage import set_aside_notice
from trackly_desktop.core.plurals import counted
from trackly_desktop.core.results.story import CampaignStory, campaign_parts, campaign_stories
from trackly_desktop.core.results.wording import (
    NOTHING_TO_SEND_AGAIN_FROM_HISTORY,
    SEND_AGAIN_TIP,
    display_number,
    retry_words,
)
from trackly_desktop.ui.error_presenter import show_error
from trackly_desktop.ui.history_model import HistoryTableModel, can_resume, left_to_send
from trackly_desktop.ui.schedule_actions import ScheduleButtons
from trackly_desktop.ui.workers import run_in_background


def _load_interrupted(demo: bool) -> tuple[Path | None, list[CampaignSummary]]:
    """Unfinished campaigns, and where a damaged journal was moved aside on opening."""
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415

    with Journal(journal_path_for(demo)) as journal:
        return journal.set_aside_to, journal.interrupted_campaigns()


class HistoryDialog(QDialog):
    """Every campaign, newest first, searchable; the selected one's story below the list."""

    open_results = Signal(int)
    resume_requested = Signal(int)
    send_again_requested = Signal(int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        demo: bool = False,
        cost_words: Callable[[int], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("History (demo sends)" if demo else "History")
        self._demo = demo
        self._cost_words = cost_words or (lambda _parts: "")
        self._stories: list[CampaignStory] = []
        self._shown: list[CampaignStory] = []
        self._parts: dict[int, int] = {}  # campaign id -> message parts, once counted
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText("Search by file name or message text")
        self.search.setAccessibleName("Search the history")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
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
        self.story = QLabel()
        self.story.setObjectName("campaignStory")
        self.story.setWordWrap(True)
        self.story.setTextFormat(Qt.TextFormat.RichText)
        self.story.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results_button = QPushButton("Show &results")
        self.results_button.setObjectName("showResultsButton")
        self.resume_button = QPushButton("Resume &sending")
        self.resume_button.setObjectName("resumeButton")
        self.resume_button.setToolTip("Send the messages of this campaign that did not go out")
        self.send_again_button = QPushButton(retry_words(0))
        self.send_again_button.setObjectName("sendAgainButton")
        self.schedule_buttons = ScheduleButtons(self, demo)
        self.schedule_buttons.changed.connect(self.reload)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in self.schedule_buttons.buttons():
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.results_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.send_again_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.results_button.clicked.connect(self._show_results)
        self.resume_button.clicked.connect(self._resume)
        self.send_again_button.clicked.connect(self._send_again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.story)
        layout.addWidget(buttons)
        self.resize(900, 520)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected_changed())
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        path = journal_path_for(self._demo)
        run_in_background(
            lambda _p, _c: campaign_stories(path),
            on_done=self._loaded,
            on_error=lambda exc: show_error(self, "History", exc),
            parent=self,
            label="history",
        )

    def _loaded(self, stories: list[CampaignStory]) -> None:
        self._stories = stories
        if stories:
            self.empty_label.setText(
                "Every send you made from this computer. Choose one to see its results."
            )
        else:
            self.empty_label.setText("Nothing has been sent from this computer yet.")
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        self._shown = [story for story in self._stories if story.matches(text)]
        self.model.set_campaigns([story.summary for story in self._shown])
        if self._shown:
            self.table.selectRow(0)
        self._selected_changed()

    def selected_story(self) -> CampaignStory | None:
        rows = self.table.selectionModel().selectedRows()
        return self._shown[rows[0].row()] if rows else None

    def selected(self) -> CampaignSummary | None:
        story = self.selected_story()
        return story.summary if story is not None else None

    def _selected_changed(self) -> None:
        self._update_buttons()
        story = self.selected_story()
        if story is None:
            self.story.setText("")
            return
        self.story.setText(self.story_html(story))
        campaign_id = story.summary.id
        if campaign_id not in self._parts:
            path = journal_path_for(self._demo)
            run_in_background(
                lambda _p, _c: campaign_parts(path, campaign_id),
                on_done=lambda parts: self._parts_counted(campaign_id, parts),
                parent=self,
                label="history-parts",
            )

    def _parts_counted(self, campaign_id: int, parts: int) -> None:
        self._parts[campaign_id] = parts
        story = self.selected_story()
        if story is not None and story.summary.id == campaign_id:
            self.story.setText(self.story_html(story))

    def story_html(self, story: CampaignStory) -> str:
        """The selected campaign in a few lines: its message, number, counts, parts, cost."""
        summary = story.summary
        counts = summary.counts
        parts = self._parts.get(summary.id)
        if parts is None:
            size = "counting the message parts…"
        else:
            cost = self._cost_words(parts)
            size = counted(parts, "message part") + (f", {cost}" if cost else "")
        sender = display_number(summary.list_number) if summary.list_number else "no number"
        tally = (
            f"{counts.queued:,} sent, {counts.failed:,} not sent"
            + (f", {counts.uncertain:,} not sure" if counts.uncertain else "")
            + (f", {left_to_send(summary):,} still to send" if left_to_send(summary) else "")
        )
        message = escape(story.template).replace("\n", "<br>")
        return (
            f"<b>{counted(counts.total, 'message')}</b> from {escape(sender)} · {tally} · "
            f"{escape(size)}<br><span style='background: palette(alternate-base);'>"
            f"“{message}”</span>"
        )

    def _update_buttons(self) -> None:
        story = self.selected_story()
        summary = story.summary if story is not None else None
        self.schedule_buttons.set_campaign(summary)
        self.results_button.setEnabled(summary is not None)
        self.resume_button.setEnabled(summary is not None and can_resume(summary))
        # Enabled only when some failed rows can be sent again (the Results step's count);
        # otherwise the tooltip says why not.
        count = story.sendable_again if story is not None else 0
        self.send_again_button.setText(retry_words(count))
        if summary is None:
            why_not = "Choose a send first."
        elif summary.state == SENDING:
            why_not = "This send is still going: wait for it to finish."
        elif not (summary.counts.failed or summary.counts.uncertain):
            why_not = "None of the messages of this send failed."
        elif not count:
            why_not = NOTHING_TO_SEND_AGAIN_FROM_HISTORY
        else:
            why_not = ""
        self.send_again_button.setEnabled(not why_not)
        self.send_again_button.setToolTip(why_not or SEND_AGAIN_TIP)

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

    def _send_again(self) -> None:
        summary = self.selected()
        if summary is not None and self.send_again_button.isEnabled():
            self.send_again_requested.emit(summary.id)
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
    """At start-up: if a campaign was left unfinished, ask whether to resume the newest.

    Opening the journal here is also where a damaged one is found and moved aside; the
    operator is told where it went."""

    def ask(found: tuple[Path | None, list[CampaignSummary]]) -> None:
        set_aside_to, campaigns = found
        if set_aside_to is not None:
            notice = QMessageBox(parent)
            notice.setObjectName("journalSetAside")
            notice.setIcon(QMessageBox.Icon.Warning)
            notice.setWindowTitle("Send history")
            notice.setText(set_aside_notice(set_aside_to))
            notice.open()
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
