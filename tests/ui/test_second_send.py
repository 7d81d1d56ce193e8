"""The second send: "New send", a changed message is a new campaign (never the last results),
"Send again to the ones that failed" from Results and History, and History's story and
search. Real window, real journal, the sandbox over loopback."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord
from trackly_desktop.core.journal.location import journal_path_for
from trackly_desktop.core.journal.schema import DONE
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.secrets import KeyStore
from trackly_desktop.settings import Settings
from trackly_desktop.ui.history_dialog import HistoryDialog
from trackly_desktop.ui.main_window import MESSAGE, REVIEW, SEND, MainWindow
from trackly_desktop.ui.results_view import ResultsView
from trackly_desktop.ui.send_step import READY_PAGE, RESULTS_PAGE
from trackly_desktop.ui.session import Session


@pytest.fixture
def window(qtbot, sandbox):
    session = Session(
        Settings(default_country="US", list_number=DEMO_LIST_NUMBER),
        KeyStore(),
        demo=True,
        demo_api_key=DEMO_API_KEY,
        base_url_override=sandbox.base_url,
        list_number_override=DEMO_LIST_NUMBER,
    )
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _to_send_and_send(qtbot, window) -> int:
    with qtbot.waitSignal(window.review_step.ready, timeout=60000):
        window.go_to(REVIEW)
    window.go_to(SEND)
    step = window.send_step
    qtbot.waitUntil(step.send_button.isEnabled, timeout=10000)
    qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step.confirm_box is not None and step.confirm_box.isVisible())
    with qtbot.waitSignal(step.results.loaded, timeout=30000):
        qtbot.mouseClick(step.confirm_send_button, Qt.MouseButton.LeftButton)
    return step.last_outcome.campaign_id


def test_a_changed_message_is_a_new_campaign_and_new_send_keeps_the_message(qtbot, window):
    with qtbot.waitSignal(window.contacts_step.loaded, timeout=60000):
        window.sample_action.trigger()
    window.go_to(MESSAGE)
    window.message_step.editor.setPlainText("Your order is ready. Reply STOP to opt out.")
    window.message_step.refresh()
    first = _to_send_and_send(qtbot, window)
    step = window.send_step
    assert step.pages.currentIndex() == RESULTS_PAGE
    assert window.session.campaign_id == first

    # Day two: back to the message, change it. The old results are gone from the Send step.
    window.go_to(MESSAGE)
    window.message_step.editor.setPlainText("Closed Monday. Reply STOP to opt out.")
    window.message_step.refresh()
    assert window.session.campaign_id is None
    assert step.pages.currentIndex() == READY_PAGE
    with qtbot.waitSignal(window.review_step.ready, timeout=60000):
        window.go_to(REVIEW)
    window.go_to(SEND)
    qtbot.waitUntil(step.send_button.isEnabled, timeout=10000)
    assert step.pages.currentIndex() == READY_PAGE
    assert "are ready to go" in step.ready_label.text()

    # From the results of a send, "New send" goes to the message, kept for editing.
    window.show_campaign_results(first)
    qtbot.waitUntil(lambda: step.results.current is not None, timeout=10000)
    qtbot.mouseClick(step.results.new_send_button, Qt.MouseButton.LeftButton)
    assert window.current_step == MESSAGE
    assert window.message_step.editor.toPlainText() == "Closed Monday. Reply STOP to opt out."
    assert step.pages.currentIndex() == READY_PAGE
    assert window.session.campaign_id is None


def _campaign(failures: dict[int, str], template: str = "Hi", file: str = "/shop/c.xlsx") -> int:
    records = [
        RecipientRecord(row, f"+1415555{row:04d}", f"{template} {row}", f"P{row}", {})
        for row in range(2, 8)
    ]
    spec = CampaignSpec(file, None, {"phone": "Phone"}, template, DEMO_LIST_NUMBER, "US")
    with Journal(journal_path_for(demo=True)) as journal:
        campaign_id = journal.create_campaign(spec, records)
        journal.begin_run(campaign_id)
        batch = journal.claim_batch(campaign_id, max_messages=6)
        rows = enumerate(batch.rows)
        answered = [(i, code, "x") for i, row in rows if (code := failures.get(row))]
        journal.record_batch(campaign_id, batch, answered)
        journal.end_run(campaign_id, DONE)
    return campaign_id


def test_send_again_to_the_ones_that_failed_from_history(qtbot, window, sandbox):
    campaign_id = _campaign({3: "server_error", 5: "invalid_phone"})
    dialog = window.open_history()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.send_again_button.isEnabled()
    assert dialog.send_again_button.text() == "Send &again to the one that failed"
    assert dialog.send_again_button.toolTip().startswith("Send again the messages that failed")
    with qtbot.waitSignal(window.send_step.send_finished, timeout=30000):
        qtbot.mouseClick(dialog.send_again_button, Qt.MouseButton.LeftButton)
    assert window.current_step == SEND
    # Only the one that can succeed now went out again; the bad number did not.
    assert [entry.to for entry in sandbox.ledger.entries()] == ["+14155550003"]
    with Journal(journal_path_for(demo=True)) as journal:
        assert journal.counts(campaign_id).failed == 1


def test_history_tells_each_campaigns_story_and_searches_it(qtbot):
    _campaign({4: "opted_out"}, template="Your order is ready", file="/shop/orders-june.xlsx")
    _campaign({}, template="Closed on Monday", file="/shop/everyone.csv")
    dialog = HistoryDialog(demo=True, cost_words=lambda parts: f"about ${parts * 0.01:.2f}")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
    # Newest first; its story once the parts are counted.
    qtbot.waitUntil(lambda: "counting" not in dialog.story.text(), timeout=5000)
    story = dialog.story.text()
    assert "<b>6 messages</b> from +1 800 555 1000" in story
    assert "6 sent, 0 not sent" in story
    assert "6 message parts, about $0.06" in story
    assert "“Closed on Monday”" in story
    qtbot.keyClicks(dialog.search, "ORDER")  # the message text, any case
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 1).data() == "orders-june.xlsx"
    assert "5 sent, 1 not sent" in dialog.story.text()
    dialog.search.setText("everyone")  # the file name
    assert dialog.model.index(0, 1).data() == "everyone.csv"
    dialog.search.setText("nothing like it")
    assert dialog.model.rowCount() == 0
    assert not dialog.results_button.isEnabled()


def test_results_codes_only_behind_details(qtbot):
    campaign_id = _campaign({3: "opted_out"})
    view = ResultsView(type("S", (), {"demo": True})())
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.show_campaign(campaign_id)
    from trackly_desktop.ui.failures_model import CODE_COLUMN, REASON_COLUMN

    assert view.table.isColumnHidden(CODE_COLUMN)
    tip = view.proxy.index(0, REASON_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("Trackly's code: opted_out")
    view.details.click()
    assert not view.table.isColumnHidden(CODE_COLUMN)


def test_send_again_is_disabled_in_history_when_nothing_can_be_sent_again_and_says_why(
    qtbot, window, sandbox
):
    campaign_id = _campaign({3: "opted_out", 5: "not_sendable"})
    dialog = window.open_history()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    button = dialog.send_again_button
    assert not button.isEnabled()
    assert button.text() == "Send &again to the ones that failed"
    assert button.toolTip() == (
        "None of the ones that failed can be sent again as they are: people who "
        "unsubscribed and numbers that cannot get texts are not texted again. To send to a "
        "corrected number, choose Show results, double-click it and type the right one."
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a disabled button does nothing
    assert dialog.isVisible() and len(sandbox.ledger) == 0
    # The Results step, by the same count, has its button disabled with the same reason.
    results = window.send_step.results
    with qtbot.waitSignal(results.loaded, timeout=10000):
        window.show_campaign_results(campaign_id)
    assert not results.retry_button.isEnabled()
    assert results.retry_button.toolTip() == (
        "None of these can be sent again as they are: people who unsubscribed and numbers "
        "that cannot get texts are not texted again. To send to a corrected number, "
        "double-click it in the table and type the right one."
    )
