"""Closing the window while a send is running: it asks first, then stops cleanly.

"No" keeps the window and the send going; "Yes" cancels the send, waits for the batches in
flight, records everything in the journal, and leaves no thread behind (and no
"QThread: Destroyed while thread is still running"). At the next start the window offers
to resume, and resuming sends exactly the messages that were left, each once.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from trackly_desktop.core.contacts.mapping import suggest_mapping
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.secrets import KeyStore
from trackly_desktop.settings import Settings
from trackly_desktop.ui import workers
from trackly_desktop.ui.main_window import MainWindow
from trackly_desktop.ui.session import Session

ROWS = 20_000
TEMPLATE = "Hi {{first_name}}, your order is ready. Reply STOP to opt out."


@pytest.fixture(autouse=True)
def _join_workers():
    yield
    assert workers.shutdown_all(timeout=20.0)


def _sending_threads() -> list[str]:
    """Send threads still running: the engine's pool threads, and the worker QThread while
    it runs (an ended QThread's dummy thread stays listed on Python 3.11: ui/workers.py)."""
    from trackly_desktop.ui.workers import running_thread_idents

    qthreads = running_thread_idents()
    return [
        t.name
        for t in threading.enumerate()
        if t.is_alive()
        and t.name.startswith(("trackly-worker-send", "trackly-send"))
        and (not isinstance(t, threading._DummyThread) or t.ident in qthreads)
    ]


def _answer_stop_question(qtbot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """When the "Stop sending?" question shows, read it and press `button`."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.windowTitle() == "Stop sending?":
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def _window(tmp_path: Path, base_url: str) -> MainWindow:
    sheet = tmp_path / "many.csv"
    lines = ["First Name,Mobile"] + [
        f"P{i},+1{212 + i // 10000}555{i % 10000:04d}" for i in range(ROWS)
    ]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(default_country="US", list_number=DEMO_LIST_NUMBER, base_url=base_url)
    settings.concurrency = 2
    store = KeyStore()
    store.set(DEMO_API_KEY)
    session = Session(settings, store)
    table = read_table(sheet)
    mapping = suggest_mapping(table)
    session.set_table(table, sheet, None)
    session.set_mapping(mapping)
    session.set_template_text(TEMPLATE)
    session.set_recipients(build_recipients(table, mapping, TEMPLATE, "US"))
    return MainWindow(session)


def test_closing_during_a_send_asks_then_stops_cleanly(qtbot, qtlog, tmp_path, sandbox):
    sandbox.faults.latency_ms = 250  # each batch takes a while: the send is surely running
    window = _window(tmp_path, sandbox.base_url)
    qtbot.addWidget(window)
    window.show()
    window._show_send_page()
    step = window.send_step
    qtbot.waitUntil(step.send_button.isEnabled, timeout=10000)
    qtbot.mouseClick(step.send_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(step.confirm_send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(sandbox.ledger) > 0, timeout=20000)
    assert step.is_sending()

    # "No": the window stays and the send goes on.
    questions: list[str] = []
    _answer_stop_question(qtbot, QMessageBox.StandardButton.No, questions)
    assert window.close() is False
    assert questions and questions[0].startswith("Messages are still being sent.")
    assert window.isVisible() and step.is_sending()
    before = len(sandbox.ledger)
    qtbot.waitUntil(lambda: len(sandbox.ledger) > before, timeout=20000)

    # "Yes": the send stops, the window closes, nothing is left running.
    _answer_stop_question(qtbot, QMessageBox.StandardButton.Yes, questions)
    assert window.close() is True
    assert len(questions) == 2
    assert not window.isVisible()
    assert _sending_threads() == []
    assert not any("Destroyed while thread" in record.message for record in qtlog.records)

    # The journal knows exactly what went out; the rest waits to be resumed.
    sent = len(sandbox.ledger)
    assert 0 < sent < ROWS
    with Journal() as journal:
        (campaign,) = journal.campaigns()
        assert campaign.state == "cancelled"
        assert campaign.counts.queued == sent
        assert campaign.counts.in_flight == 0
        assert campaign.counts.pending == ROWS - sent
        assert [c.id for c in journal.interrupted_campaigns()] == [campaign.id]
    qtbot.wait(300)
    assert len(sandbox.ledger) == sent  # nothing trickles out after the window is gone

    # Next start: the window offers to resume; accepting sends exactly the rest, once each.
    sandbox.faults.latency_ms = 0
    settings = Settings(
        default_country="US", list_number=DEMO_LIST_NUMBER, base_url=sandbox.base_url
    )
    again = MainWindow(Session(settings, KeyStore()))  # the key is still in the keyring
    qtbot.addWidget(again)
    again.show()

    def offer() -> QMessageBox | None:
        boxes = again.findChildren(QMessageBox, "resumeOffer")
        return next((b for b in boxes if b.isVisible()), None)

    qtbot.waitUntil(lambda: offer() is not None, timeout=10000)
    box = offer()
    assert box is not None and f"{ROWS - sent:,} messages still to send" in box.text()
    resume = next(b for b in box.buttons() if b.text() == "Resume sending")
    with qtbot.waitSignal(again.send_step.send_finished, timeout=60000):
        qtbot.mouseClick(resume, Qt.MouseButton.LeftButton)
    recipients = [entry.to for entry in sandbox.ledger.entries()]
    assert len(recipients) == len(set(recipients)) == ROWS  # everyone once, nobody twice
    with Journal() as journal:
        (campaign,) = journal.campaigns()
        assert campaign.state == "done" and campaign.counts.queued == ROWS
