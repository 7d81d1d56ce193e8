"""Results view over a real journal: counts, failures table, filter, retry, fix-in-place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord
from trackly_desktop.core.journal.schema import DONE, PENDING
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.ui.failures_model import PHONE_COLUMN, FailuresTableModel
from trackly_desktop.ui.results_view import ResultsView


def make_campaign(people: int, failures: dict[int, str], *, uncertain: int = 0) -> int:
    """A finished campaign in the real journal; the last `uncertain` rows are left unsure."""
    records = [
        RecipientRecord(row, f"+1415555{row:04d}", f"Hi {row}", f"Person {row}", {})
        for row in range(2, people + 2)
    ]
    spec = CampaignSpec(
        "/shop/customers.xlsx", None, {"phone": "Phone"}, "Hi", "+18005551000", "US"
    )
    with Journal() as journal:
        campaign_id = journal.create_campaign(spec, records)
        journal.begin_run(campaign_id)
        batch = journal.claim_batch(campaign_id, max_messages=people - uncertain)
        assert batch is not None
        answered = [
            (i, code, "refused") for i, row in enumerate(batch.rows) if (code := failures.get(row))
        ]
        journal.record_batch(campaign_id, batch, answered)
        if uncertain:
            unsure = journal.claim_batch(campaign_id, max_messages=uncertain)
            assert unsure is not None
            journal.mark_uncertain(campaign_id, unsure, "read timeout")
        journal.end_run(campaign_id, DONE)
    return campaign_id


def _outcome(campaign_id: int, row: int) -> tuple[str, str]:
    with Journal() as journal:
        found = journal._conn.execute(
            "SELECT outcome, phone FROM recipients WHERE campaign_id=? AND row=?",
            (campaign_id, row),
        ).fetchone()
    return found


def _open(qtbot, campaign_id: int) -> ResultsView:
    view = ResultsView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.show_campaign(campaign_id)
    return view


def _column(view: ResultsView, column: int) -> list[str]:
    proxy = view.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_summary_and_failures_table(qtbot, qtmodeltester):
    campaign_id = make_campaign(
        12, {4: "invalid_phone", 7: "opted_out", 9: "server_error"}, uncertain=1
    )
    view = _open(qtbot, campaign_id)
    summary = view.summary.text()
    assert "<b>8</b> sent" in summary and "<b>3</b> not sent" in summary
    assert "<b>1</b> not sure" in summary
    assert _column(view, 0) == ["4", "7", "9", "13"]
    assert _column(view, 4) == ["invalid_phone", "opted_out", "server_error", "uncertain"]
    reasons = _column(view, 3)
    assert "unsubscribed" in reasons[1]  # plain words, not just the code
    assert view.retry_button.text() == "Send &again to the 2 that failed"  # server_error + unsure
    # The model tester again, over the journal's real rows (a model of its own, because the
    # view and its model are gone before the tester's own teardown runs).
    model = FailuresTableModel()
    model.set_lines(view.model.lines())
    qtmodeltester.check(model, force_py=True)

    qtbot.keyClicks(view.filter_edit, "opted")
    assert _column(view, 0) == ["7"]
    view.filter_edit.clear()
    view.only_retryable.click()
    assert _column(view, 0) == ["9", "13"]

    # Sorting by the header puts row 13 first when descending.
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    view.only_retryable.click()
    assert _column(view, 0) == ["13", "9", "7", "4"]


def test_retry_failed_marks_rows_and_asks_for_a_send(qtbot):
    campaign_id = make_campaign(6, {3: "server_error", 4: "invalid_phone"}, uncertain=1)
    view = _open(qtbot, campaign_id)
    with qtbot.waitSignal(view.retry_requested, timeout=5000) as asked:
        qtbot.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    assert asked.args == [campaign_id]
    assert _outcome(campaign_id, 3)[0] == PENDING
    assert _outcome(campaign_id, 7)[0] == PENDING  # the unsure one, duplicate check on
    assert _outcome(campaign_id, 4)[0] == "failed"  # needs a fix before a retry can help


def _edit_phone(qtbot, view: ResultsView, proxy_row: int, text: str) -> None:
    index = view.proxy.index(proxy_row, PHONE_COLUMN)
    view.table.scrollTo(index)
    rect = view.table.visualRect(index)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = view.table.viewport().findChild(QLineEdit)
    if editor is None:
        editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_fix_a_number_in_place_and_retry_that_row(qtbot):
    campaign_id = make_campaign(5, {3: "invalid_phone", 5: "invalid_phone"})
    view = _open(qtbot, campaign_id)
    with qtbot.waitSignal(view.retry_requested, timeout=5000) as asked:
        _edit_phone(qtbot, view, 0, "(415) 555-2671")
    assert asked.args == [campaign_id]
    assert _outcome(campaign_id, 3) == (PENDING, "+14155552671")
    assert _outcome(campaign_id, 5)[0] == "failed"  # only the fixed row goes again


def test_a_bad_correction_is_refused_in_plain_words(qtbot):
    campaign_id = make_campaign(4, {3: "invalid_phone"})
    view = _open(qtbot, campaign_id)
    with qtbot.waitSignal(view.loaded, timeout=5000):  # reloaded from the journal
        _edit_phone(qtbot, view, 0, "555")
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    texts = [b.text() for b in boxes if b.isVisible()]
    assert any(t.startswith("Row 3: The number is too short") for t in texts), texts
    assert _outcome(campaign_id, 3)[0] == "failed"
    assert _column(view, PHONE_COLUMN) == ["+1 415 555 0003"]  # the journal's truth is back
    for box in boxes:
        box.close()


def test_export_failures_to_csv_with_formulas_made_inert(qtbot, tmp_path):
    records = [
        RecipientRecord(2, "+14155550002", "Hi", '=HYPERLINK("http://x")', {}),
        RecipientRecord(3, "+14155550003", "Hi", "Ana", {}),
    ]
    spec = CampaignSpec("/shop/c.csv", None, {"phone": "Phone"}, "Hi", "+18005551000", "US")
    with Journal() as journal:
        campaign_id = journal.create_campaign(spec, records)
        journal.begin_run(campaign_id)
        batch = journal.claim_batch(campaign_id)
        assert batch is not None
        journal.record_batch(campaign_id, batch, [(0, "not_sendable", "VOIP numbers not allowed")])
        journal.end_run(campaign_id, DONE)
    view = _open(qtbot, campaign_id)
    assert view.export_button.isEnabled()
    target = tmp_path / "out" / "failures.csv"
    view.export_to(target)
    qtbot.waitUntil(lambda: "Saved 1 rows" in view.state_label.text(), timeout=5000)
    text = target.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text  # escaped: Excel shows it as text, never runs it
    assert "+14155550002" in text and "Ana" not in text


def test_dont_text_this_person_again_from_the_results(qtbot):
    from trackly_desktop import paths
    from trackly_desktop.core.audience.do_not_text import DoNotTextList, list_path_for_journal

    campaign_id = make_campaign(6, {3: "invalid_phone", 5: "server_error"})
    view = _open(qtbot, campaign_id)
    assert _column(view, 0) == ["3", "5"]
    view.table.selectRow(1)
    view.dont_text_action.trigger()
    assert view.state_label.text() == (
        "1 person will not be texted again (1 new on the do-not-text list)."
    )
    with DoNotTextList(list_path_for_journal(paths.journal_path())) as dnt:
        [entry] = dnt.entries()
    assert (entry.phone, entry.source) == ("+14155550005", "operator")


def test_rows_excluded_by_the_do_not_text_list_are_counted_apart(qtbot):
    from trackly_desktop import paths
    from trackly_desktop.core.audience.do_not_text import DoNotTextList, list_path_for_journal

    records = [
        RecipientRecord(row, f"+1415555{row:04d}", f"Hi {row}", f"Person {row}", {})
        for row in range(2, 6)
    ]
    spec = CampaignSpec(
        "/shop/customers.xlsx", None, {"phone": "Phone"}, "Hi", "+18005551000", "US"
    )
    with DoNotTextList(list_path_for_journal(paths.journal_path())) as dnt:
        dnt.add("+14155550003", reason="asked", source="operator")
    with Journal() as journal:
        campaign_id = journal.create_campaign(spec, records)
        journal.begin_run(campaign_id)
        with DoNotTextList(list_path_for_journal(journal.path)) as dnt:
            batch = journal.claim_batch(campaign_id, blocked=dnt.blocked)
        assert batch is not None and batch.excluded == 1 and batch.rows == [2, 4, 5]
        journal.record_batch(campaign_id, batch)
        journal.end_run(campaign_id, DONE)
    view = _open(qtbot, campaign_id)
    summary = view.summary.text()
    assert "<b>3</b> sent" in summary and "<b>0</b> not sent" in summary
    assert "<b>1</b> not texted (do-not-text list)" in summary
    assert _column(view, 0) == []  # not a failure: nothing to retry
