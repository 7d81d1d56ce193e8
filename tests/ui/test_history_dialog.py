"""History: past campaigns from a real journal, reopening results, resuming, start-up offer."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord
from trackly_desktop.core.journal.schema import CANCELLED, DONE
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.ui import workers
from trackly_desktop.ui.history_dialog import HistoryDialog, offer_resume
from trackly_desktop.ui.history_model import HistoryTableModel


def make_campaign(
    people: int, failures: dict[int, str], *, send: int | None = None, state: str = DONE
) -> int:
    """A campaign in the real journal: `send` rows answered (failing `failures`), rest pending."""
    records = [
        RecipientRecord(row, f"+1415555{row:04d}", f"Hi {row}", f"Person {row}", {})
        for row in range(2, people + 2)
    ]
    spec = CampaignSpec(
        f"/shop/customers-{people}.xlsx", None, {"phone": "Phone"}, "Hi", "+18005551000", "US"
    )
    with Journal() as journal:
        campaign_id = journal.create_campaign(spec, records)
        journal.begin_run(campaign_id)
        batch = journal.claim_batch(campaign_id, max_messages=people if send is None else send)
        assert batch is not None
        answered = [
            (i, code, "refused") for i, row in enumerate(batch.rows) if (code := failures.get(row))
        ]
        journal.record_batch(campaign_id, batch, answered)
        journal.end_run(campaign_id, state)
    return campaign_id


def _shown(qtbot, rows: int) -> HistoryDialog:
    """The History dialog on screen, once it lists `rows` campaigns."""
    dialog = HistoryDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == rows, timeout=5000)
    return dialog


def test_history_model_passes_qt_model_tester(qtmodeltester):
    make_campaign(5, {3: "invalid_phone"})
    with Journal() as journal:
        campaigns = journal.campaigns()
    model = HistoryTableModel()
    model.set_campaigns(campaigns)
    qtmodeltester.check(model, force_py=True)


def test_lists_campaigns_and_reopens_or_resumes(qtbot):
    finished = make_campaign(6, {3: "invalid_phone", 5: "opted_out"})
    cancelled = make_campaign(10, {}, send=4, state=CANCELLED)
    dialog = _shown(qtbot, rows=2)
    cells = [[dialog.model.index(r, c).data() for c in range(7)] for r in range(2)]
    # Newest first: the cancelled one, with 6 still to send.
    assert cells[0][1:] == ["customers-10.xlsx", "4", "0", "0", "6", "Cancelled"]
    assert cells[1][1:] == ["customers-6.xlsx", "4", "2", "0", "0", "Finished"]

    assert dialog.resume_button.isEnabled()
    with qtbot.waitSignal(dialog.resume_requested) as resumed:
        dialog.resume_button.click()
    assert resumed.args == [cancelled]

    dialog = _shown(qtbot, rows=2)
    dialog.table.selectRow(1)
    assert not dialog.resume_button.isEnabled()  # nothing left to send
    with qtbot.waitSignal(dialog.open_results) as opened:
        dialog.results_button.click()
    assert opened.args == [finished]


def test_empty_history_says_so(qtbot):
    dialog = HistoryDialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "Nothing has been sent" in dialog.empty_label.text(), timeout=5000)
    assert not dialog.results_button.isEnabled()


def _resume_offer() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if (
            isinstance(widget, QMessageBox)
            and widget.objectName() == "resumeOffer"
            and widget.isVisible()
        ):
            return widget
    return None


def test_start_up_offers_to_resume_an_unfinished_send(qtbot):
    campaign_id = make_campaign(8, {}, send=3, state=CANCELLED)
    parent = QWidget()
    qtbot.addWidget(parent)
    chosen: list[int] = []
    offer_resume(parent, chosen.append)
    qtbot.waitUntil(lambda: _resume_offer() is not None, timeout=5000)
    box = _resume_offer()
    assert box is not None
    assert "5 messages still to send" in box.text()
    assert "customers-8.xlsx" in box.text()
    resume = next(b for b in box.buttons() if b.text() == "Resume sending")
    resume.click()
    qtbot.waitUntil(lambda: chosen == [campaign_id], timeout=5000)


def test_no_offer_when_everything_finished(qtbot):
    make_campaign(4, {3: "invalid_phone"})
    parent = QWidget()
    qtbot.addWidget(parent)
    task_count = len(workers.active_tasks())
    offer_resume(parent, lambda _id: None)
    qtbot.waitUntil(lambda: len(workers.active_tasks()) <= task_count, timeout=5000)
    qtbot.wait(50)
    assert _resume_offer() is None


def test_demo_history_is_kept_apart_from_real_campaigns(qtbot):
    make_campaign(3, {})  # a real campaign
    demo_dialog = HistoryDialog(demo=True)
    qtbot.addWidget(demo_dialog)
    qtbot.waitUntil(lambda: "Nothing has been sent" in demo_dialog.empty_label.text())
    assert demo_dialog.windowTitle() == "History (demo sends)"
    real_dialog = HistoryDialog()
    qtbot.addWidget(real_dialog)
    qtbot.waitUntil(lambda: real_dialog.model.rowCount() == 1, timeout=5000)


def test_a_damaged_journal_found_at_start_up_is_moved_aside_and_the_operator_told_where(qtbot):
    from trackly_desktop import paths

    journal = paths.journal_path()
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(b"this is not a journal " * 500)  # a disk error, or a sync tool
    parent = QWidget()
    qtbot.addWidget(parent)
    offer_resume(parent, lambda _id: None)

    def notice() -> QMessageBox | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.objectName() == "journalSetAside":
                return widget
        return None

    qtbot.waitUntil(lambda: notice() is not None and notice().isVisible(), timeout=5000)
    (aside,) = [p for p in journal.parent.iterdir() if "(damaged " in p.name]
    text = notice().text()
    assert text.startswith("The send journal was damaged, so it was moved aside to ")
    assert str(aside) in text
    assert aside.read_bytes().startswith(b"this is not a journal")
    assert _resume_offer() is None  # the fresh journal has nothing to resume
    with Journal() as fresh:
        assert fresh.campaigns() == []
    notice().close()


def test_send_again_counts_only_the_rows_that_can_be_sent_again(qtbot):
    # Newest first in the list: row 0 is the last made.
    nothing_failed = make_campaign(4, {})
    final_only = make_campaign(5, {3: "opted_out", 4: "duplicate_message", 5: "not_sendable"})
    mixed = make_campaign(
        7, {2: "server_error", 3: "carrier_unavailable", 4: "invalid_phone"}, send=6
    )
    with Journal() as journal:
        # A number the operator corrected can be sent again; a lost answer ("not sure") too.
        journal.update_phone(mixed, 4, "+14155550999")
        journal.begin_run(mixed)
        lost = journal.claim_batch(mixed, max_messages=1)
        journal.mark_uncertain(mixed, lost, note="outcome_unknown")
        journal.end_run(mixed, DONE)
    dialog = _shown(qtbot, rows=3)
    button = dialog.send_again_button

    dialog.table.selectRow(0)
    assert dialog.selected().id == mixed
    assert button.isEnabled() and button.text() == "Send &again to the 4 that failed"
    with qtbot.waitSignal(dialog.send_again_requested) as asked:
        button.click()
    assert asked.args == [mixed]

    dialog = _shown(qtbot, rows=3)
    button = dialog.send_again_button
    dialog.table.selectRow(1)
    assert dialog.selected().id == final_only
    assert not button.isEnabled()
    assert button.toolTip().startswith("None of the ones that failed can be sent again")
    dialog.table.selectRow(2)
    assert dialog.selected().id == nothing_failed
    assert not button.isEnabled()
    assert button.toolTip() == "None of the messages of this send failed."
    with qtbot.assertNotEmitted(dialog.send_again_requested):
        button.click()
