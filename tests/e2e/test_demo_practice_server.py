"""The demo shows the real thing: the practice server answers with a network's delay, the
sample's opted-out and VOIP people fail, progress moves in several steps (so Pause can be
tried), one batch's answer is lost and settled by the duplicate check in words, one
person's carrier is briefly unavailable and "Send again" reaches her, and the demo's test
send says it went to the practice server."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt

from trackly_desktop.core.journal.location import journal_path_for
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.ui import application as app
from trackly_desktop.ui.main_window import REVIEW, SEND
from trackly_desktop.ui.results_view import ResultsView

LUIS = "+17185550143"  # the sample's Luis Herrera: the answer about his batch is lost
OLIVER = "+16465550188"  # Zoe's batch-mate (batches of 2, in the sheet's order)
ZOE = "+17025550164"  # the sample's Zoe Martin: her carrier is briefly unavailable


def test_the_demo_sample_send_shows_progress_a_lost_answer_and_a_retry(qtbot):
    launched = app.launch(demo=True)
    try:
        window = launched.window
        qtbot.addWidget(window)
        window.show()
        sandbox = launched.sandbox
        assert sandbox.faults.latency_ms >= 300 and sandbox.faults.latency_jitter_ms > 0
        with qtbot.waitSignal(window.contacts_step.loaded, timeout=60000):
            window.sample_action.trigger()
        with qtbot.waitSignal(window.review_step.ready, timeout=60000):
            window.go_to(REVIEW)

        panel = window.review_step.test_panel
        assert panel.title() == "Send a test (demo: to the practice server)"
        panel.number.setText("+1 415 555 0100")
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.task is None, timeout=10000)
        assert panel.result.text().startswith("Test sent to the practice server")
        assert "no phone receives it" in panel.result.text()

        window.go_to(SEND)
        step = window.send_step
        qtbot.waitUntil(step.send_button.isEnabled, timeout=10000)
        # Every line the Sending page shows, in order (progress arrives queued from the
        # engine's thread, so each one is shown).
        shown: list[str] = []
        show_progress = step.sending.show_progress

        def record(state):
            show_progress(state)
            shown.append(step.sending.progress_label.text())

        step.sending.show_progress = record
        qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: step.confirm_box is not None and step.confirm_box.isVisible())
        with qtbot.waitSignal(step.results.loaded, timeout=60000):
            qtbot.mouseClick(step.confirm_send_button, Qt.MouseButton.LeftButton)

        report = step.last_outcome.report
        # 16 ready: the opted-out and VOIP people are refused, Zoe's carrier is down; Luis
        # and his batch-mate Aiko are sent although the answer about them was lost.
        assert (report.state, report.sent, report.failed, report.uncertain) == ("done", 13, 3, 0)
        assert report.confirmed_by_check == 2
        sent_counts = {line.split(" sent of ")[0] for line in shown}
        assert len(sent_counts) >= 4  # progress moved in steps, not all at once
        checking = (
            "Trackly's answer about 2 messages was lost on the way back. Checking again: "
            "sending them once more with Trackly's duplicate check on, so nobody gets a "
            "text twice."
        )
        confirmed = (
            "2 messages whose answer was lost were checked again: Trackly's duplicate check "
            "confirmed they had gone out, so nobody got a second copy."
        )
        seen = [line.split("\n")[1] for line in shown if "\n" in line]
        assert checking in seen and confirmed in seen
        assert seen.index(checking) < seen.index(confirmed)
        results = step.results
        assert results.state_label.text() == (
            "Finished: every message was handed to Trackly or is listed below. " + confirmed
        )
        lines = {line.code: line for line in results.model.lines()}
        assert sorted(lines) == ["carrier_unavailable", "not_sendable", "opted_out"]
        assert lines["carrier_unavailable"].name == "Zoe Martin"
        # A code the app does not know: shown in the provider's own words, worth a retry.
        assert lines["carrier_unavailable"].reason == (
            "The recipient's carrier is temporarily unavailable; try again later."
        )
        assert results.retry_button.isEnabled()
        assert results.retry_button.text() == "Send &again to the one that failed"

        with qtbot.waitSignal(results.loaded, timeout=60000):
            qtbot.mouseClick(results.retry_button, Qt.MouseButton.LeftButton)
        report = step.last_outcome.report
        assert (report.state, report.sent, report.failed, report.uncertain) == ("done", 14, 2, 0)
        assert sorted(line.code for line in results.model.lines()) == [
            "not_sendable",
            "opted_out",
        ]
        assert not results.retry_button.isEnabled()
        # The lost answer is kept with the campaign: still said after the second send, and
        # whenever the campaign is opened again (History).
        assert results.state_label.text().endswith(confirmed)
        campaign_id = step.last_outcome.campaign_id
        again = ResultsView(window.session)
        qtbot.addWidget(again)
        with qtbot.waitSignal(again.loaded, timeout=10000):
            again.show_campaign(campaign_id)
        assert again.state_label.text().endswith(confirmed)
        with Journal(journal_path_for(True)) as journal:
            assert journal.state(campaign_id) == "done"  # never "interrupted"

        # The practice server's ledger: the test message and 14 people, each texted once.
        by_number = sandbox.ledger.count_by("to")
        assert sum(by_number.values()) == 15
        assert max(by_number.values()) == 1
        assert by_number[LUIS] == 1 and by_number[ZOE] == 1 and by_number[OLIVER] == 1
        gc.unfreeze()
        window.close()
    finally:
        launched.shutdown()
