"""The Send step against the sandbox over loopback: confirm, progress, pause, cancel, results."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from trackly_desktop.core.contacts.mapping import suggest_mapping
from trackly_desktop.core.journal.location import journal_path_for
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients
from trackly_desktop.core.results.wording import confirmation_sentence, progress_sentence
from trackly_desktop.sandbox.demo_data import (
    DEMO_API_KEY,
    DEMO_LIST_NUMBER,
    DEMO_OPTED_OUT_NUMBERS,
    DEMO_VOIP_NUMBERS,
)
from trackly_desktop.secrets import KeyStore
from trackly_desktop.settings import Settings
from trackly_desktop.ui.send_step import RESULTS_PAGE, SENDING_PAGE, SendStep
from trackly_desktop.ui.session import Session

TEMPLATE = "Hi {{first_name}}, order {{Order}} is ready. Reply STOP to opt out."


def _session(tmp_path: Path, base_url: str, rows: list[tuple[str, str]], **kw) -> Session:
    sheet = tmp_path / "customers.csv"
    lines = ["First Name,Mobile,Order"] + [
        f"{name},{phone},A-{i}" for i, (name, phone) in enumerate(rows)
    ]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(default_country="US", list_number=DEMO_LIST_NUMBER, **kw)
    session = Session(
        settings, KeyStore(), demo=True, demo_api_key=DEMO_API_KEY, base_url_override=base_url
    )
    table = read_table(sheet)
    mapping = suggest_mapping(table)
    session.set_table(table, sheet, None)
    session.set_mapping(mapping)
    session.set_template_text(TEMPLATE)
    session.set_recipients(build_recipients(table, mapping, TEMPLATE, "US"))
    return session


def _step(qtbot, session: Session) -> SendStep:
    step = SendStep(session)
    qtbot.addWidget(step)
    step.resize(900, 600)
    step.show()
    qtbot.waitUntil(step.send_button.isEnabled, timeout=5000)
    return step


def _confirm(qtbot, step: SendStep) -> None:
    qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step.confirm_box is not None and step.confirm_box.isVisible())
    qtbot.mouseClick(step.confirm_send_button, Qt.MouseButton.LeftButton)


def test_confirm_send_and_see_server_failures(qtbot, tmp_path, sandbox):
    rows = [
        ("Maria", "+1 415 555 0132"),
        ("James", "(212) 555-1234"),
        ("Kwame", DEMO_VOIP_NUMBERS[0]),
        ("Elena", DEMO_OPTED_OUT_NUMBERS[0]),
        ("Noah", "555-0199"),  # too short: never sent
    ]
    session = _session(tmp_path, sandbox.base_url, rows)
    step = _step(qtbot, session)
    assert step.ready_label.text().startswith("4 messages (4 parts) are ready to go from")

    qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step.confirm_box is not None and step.confirm_box.isVisible())
    assert step.confirm_box.text() == "Send 4 messages (4 parts) from +1 800 555 1000?"
    assert "nobody receives" in step.confirm_box.informativeText()
    # Cancel first: nothing is sent.
    step.confirm_box.reject()
    qtbot.wait(50)
    assert len(sandbox.ledger) == 0 and not step.is_sending()

    with qtbot.waitSignal(step.results.loaded, timeout=20000):
        _confirm(qtbot, step)
    assert step.pages.currentIndex() == RESULTS_PAGE
    assert not step.is_sending()
    outcome = step.last_outcome
    assert outcome is not None and outcome.report.sent == 2 and outcome.report.failed == 2
    assert session.campaign_id == outcome.campaign_id

    table = step.results.proxy
    failed = {table.index(r, 2).data(): table.index(r, 4).data() for r in range(table.rowCount())}
    # Numbers in the one format the app shows them in.
    assert failed == {"+1 458 555 0170": "not_sendable", "+1 458 555 0180": "opted_out"}
    sent_to = sorted(entry.to for entry in sandbox.ledger.entries())
    assert sent_to == ["+12125551234", "+14155550132"]
    bodies = {entry.to: entry.body for entry in sandbox.ledger.entries()}
    assert bodies["+14155550132"] == "Hi Maria, order A-0 is ready. Reply STOP to opt out."
    # A demo send is kept apart from real campaigns: the real journal knows nothing of it.
    with Journal(journal_path_for(demo=True)) as journal:
        assert [c.id for c in journal.campaigns()] == [outcome.campaign_id]
    with Journal() as journal:
        assert journal.campaigns() == []


def test_the_confirmation_says_what_the_send_costs(qtbot, tmp_path, sandbox):
    rows = [("Maria", "+1 415 555 0132"), ("James", "(212) 555-1234")]
    session = _session(tmp_path, sandbox.base_url, rows, price_per_part="0.05", currency="EUR")
    step = _step(qtbot, session)
    assert step.ready_label.text().startswith(
        "2 messages (2 parts, about €0.10) are ready to go from +1 800 555 1000."
    )
    qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step.confirm_box is not None and step.confirm_box.isVisible())
    assert step.confirm_box.text() == (
        "Send 2 messages (2 parts, about €0.10) from +1 800 555 1000?"
    )
    step.confirm_box.reject()


def test_pause_resume_and_cancel_keep_the_rest_pending(qtbot, tmp_path, sandbox):
    sandbox.faults.latency_ms = 400  # every request takes a while, so there is time to act
    rows = [(f"P{i}", f"+1415{i // 10000 + 555}{i % 10000:04d}") for i in range(8000)]
    session = _session(tmp_path, sandbox.base_url, rows, concurrency=1)
    step = _step(qtbot, session)
    progress: list[object] = []
    step.progress_received.connect(progress.append)
    _confirm(qtbot, step)
    assert step.pages.currentIndex() == SENDING_PAGE and step.is_sending()
    qtbot.waitUntil(lambda: any(p.sent for p in progress), timeout=20000)

    page = step.sending
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert page.pause_button.text() == "&Resume" and page.title.text() == "Paused"
    assert page.progress_label.text().endswith("· paused")
    qtbot.wait(1200)  # the batch in flight may finish; no new one starts
    paused_at = len(sandbox.ledger)
    qtbot.wait(900)
    assert len(sandbox.ledger) == paused_at < 8000

    qtbot.keyClick(page.pause_button, Qt.Key.Key_Space)  # the keyboard works as well
    assert page.pause_button.text() == "&Pause"
    qtbot.waitUntil(lambda: len(sandbox.ledger) > paused_at, timeout=10000)

    with qtbot.waitSignal(step.results.loaded, timeout=20000):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    report = step.last_outcome.report
    assert report.state == "cancelled"
    assert report.sent == len(sandbox.ledger) < 8000
    assert report.remaining == 8000 - report.sent
    assert "You cancelled this send" in step.results.state_label.text()
    with Journal(journal_path_for(demo=True)) as journal:
        assert journal.counts(report.campaign_id).pending == report.remaining


def test_stop_and_wait_ends_a_running_send(qtbot, tmp_path, sandbox):
    sandbox.faults.latency_ms = 300
    rows = [(f"P{i}", f"+1415555{i:04d}") for i in range(2500)]
    session = _session(tmp_path, sandbox.base_url, rows, concurrency=1)
    step = _step(qtbot, session)
    _confirm(qtbot, step)
    assert step.is_sending()
    assert step.stop_and_wait(timeout=20.0)
    qtbot.waitUntil(lambda: not step.is_sending(), timeout=5000)
    assert len(sandbox.ledger) < 2500


def test_no_key_is_a_plain_message(qtbot, tmp_path, sandbox):
    session = _session(tmp_path, sandbox.base_url, [("Maria", "+1 415 555 0132")])
    session._demo_api_key = None  # a real install with no key saved yet
    step = _step(qtbot, session)
    _confirm(qtbot, step)

    def error_box() -> QMessageBox | None:
        boxes = step.findChildren(QMessageBox, "errorDialog")
        return next((b for b in boxes if b.isVisible()), None)

    qtbot.waitUntil(lambda: error_box() is not None, timeout=5000)
    box = error_box()
    assert box is not None
    assert box.text().startswith("There is no Trackly API key on this computer yet.")
    assert step.pages.currentIndex() == 0 and len(sandbox.ledger) == 0
    box.accept()


def test_wording():
    assert confirmation_sentence(1200, 1450, "+18005551000") == (
        "Send 1,200 messages (1,450 parts) from +1 800 555 1000?"
    )
    assert confirmation_sentence(1, 1, "+18005551000") == (
        "Send 1 message (1 part) from +1 800 555 1000?"
    )
    assert confirmation_sentence(1200, 1450, "+18005551000", "about $11.60") == (
        "Send 1,200 messages (1,450 parts, about $11.60) from +1 800 555 1000?"
    )

    class State:
        sent, failed, uncertain, remaining, total, rate_per_s, eta_s = (
            300,
            12,
            0,
            888,
            1200,
            250.4,
            75,
        )

    assert (
        progress_sentence(State())
        == "300 sent of 1,200 · 12 not sent · 250 a second · about 1 min 15 s left"
    )
    assert progress_sentence(State(), paused=True) == "300 sent of 1,200 · 12 not sent · paused"


def test_a_key_revoked_mid_send_stops_and_says_why(qtbot, tmp_path, sandbox):
    # The key check before recording the campaign, two batches, then the key is refused.
    sandbox.faults.revoke_key_after = 3
    rows = [(f"P{i}", f"+1415555{i:04d}") for i in range(4000)]
    session = _session(tmp_path, sandbox.base_url, rows, concurrency=1)
    step = _step(qtbot, session)
    with qtbot.waitSignal(step.results.loaded, timeout=30000):
        _confirm(qtbot, step)
    report = step.last_outcome.report
    assert report.key_rejected and report.state == "stopped_auth"
    assert report.sent == len(sandbox.ledger) == 2000
    state = step.results.state_label.text()
    assert state.startswith("Sending stopped because Trackly refused the API key")
    assert "2,000 messages not sent yet" in state
    assert DEMO_API_KEY not in state


def test_closing_the_step_while_paused_still_stops_the_engine(qtbot, tmp_path, sandbox):
    sandbox.faults.latency_ms = 300
    rows = [(f"P{i}", f"+1415555{i:04d}") for i in range(3000)]
    session = _session(tmp_path, sandbox.base_url, rows, concurrency=1)
    step = _step(qtbot, session)
    _confirm(qtbot, step)
    qtbot.mouseClick(step.sending.pause_button, Qt.MouseButton.LeftButton)
    task = step._task
    assert task is not None
    step.close()  # a paused engine reports nothing, so only a direct cancel reaches it
    assert task.wait(10.0)
    with Journal(journal_path_for(demo=True)) as journal:
        (campaign,) = journal.campaigns()
    assert campaign.state == "cancelled"
    assert campaign.counts.queued == len(sandbox.ledger) < 3000


def test_shutdown_all_ends_a_paused_send_and_shows_what_was_sent(qtbot, tmp_path, sandbox):
    from trackly_desktop.ui import workers

    sandbox.faults.latency_ms = 300
    rows = [(f"P{i}", f"+1415555{i:04d}") for i in range(3000)]
    session = _session(tmp_path, sandbox.base_url, rows, concurrency=1)
    step = _step(qtbot, session)
    progress: list[object] = []
    step.progress_received.connect(progress.append)
    _confirm(qtbot, step)
    qtbot.waitUntil(lambda: bool(progress), timeout=20000)  # the engine is running
    qtbot.mouseClick(step.sending.pause_button, Qt.MouseButton.LeftButton)
    qtbot.wait(700)  # the batch in flight ends; the paused engine now only waits
    task = step._task
    assert task is not None and task.is_running()

    # What the window does on quit: the send's task is stopped and joined, paused or not.
    assert workers.shutdown_all(timeout=10.0)
    assert not task.is_running()
    qtbot.waitUntil(lambda: step.pages.currentIndex() == RESULTS_PAGE, timeout=5000)
    assert not step.is_sending() and step.last_outcome is None  # stopped, not finished
    with Journal(journal_path_for(demo=True)) as journal:
        (campaign,) = journal.campaigns()
    assert campaign.state == "cancelled"
    assert campaign.counts.queued == len(sandbox.ledger) < 3000
    assert campaign.counts.pending == 3000 - len(sandbox.ledger)


def test_the_confirmation_says_what_trackly_receives(qtbot, tmp_path, sandbox):
    session = _session(tmp_path, sandbox.base_url, [("Maria", "+1 415 555 0132")])
    step = _step(qtbot, session)
    qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step.confirm_box is not None and step.confirm_box.isVisible())
    box = step.confirm_box
    assert box.informativeText().endswith(
        "Trackly receives for each person: the phone number, the message, first name, "
        "and no other column."
    )  # the Order column stays on this computer
    box.reject()
