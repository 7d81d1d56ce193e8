"""The whole window as a person uses it, against the sandbox over loopback.

First start: Settings (paste the key, type the sending number) → drop the sample spreadsheet
(it has bad rows, a VOIP number and an opted-out number) → write the message → review →
send → the failures table is compared with the sandbox ledger, one number is fixed in the
table and retried, and History shows the campaign.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from trackly_desktop.core.journal.store import Journal
from trackly_desktop.resource_files import resource_path
from trackly_desktop.sandbox.demo_data import (
    DEMO_API_KEY,
    DEMO_LIST_NUMBER,
    DEMO_OPTED_OUT_NUMBERS,
    DEMO_VOIP_NUMBERS,
)
from trackly_desktop.secrets import KeyStore
from trackly_desktop.settings import Settings, load_settings
from trackly_desktop.ui import workers
from trackly_desktop.ui.failures_model import CODE_COLUMN, PHONE_COLUMN, ROW_COLUMN
from trackly_desktop.ui.main_window import SEND, MainWindow
from trackly_desktop.ui.session import Session
from trackly_desktop.ui.settings_dialog import SettingsDialog

TEMPLATE = "Hi {{first_name}}, order {{Order}} is ready on {{Pickup Day}}. Reply STOP to opt out."


@pytest.fixture(autouse=True)
def _join_workers():
    yield
    assert workers.shutdown_all(timeout=20.0)


def _drop(widget, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = widget.rect().center()
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    with warnings.catch_warnings():
        # PySide6 6.12 deprecates the QPoint form that 6.11 and older require.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(centre, *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the Contacts step refused the spreadsheet"
    QApplication.sendEvent(widget, QDropEvent(QPointF(centre), *args))


def _click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _set_up_account(qtbot, window: MainWindow) -> None:
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=5000)
    qtbot.keyClicks(dialog.key_edit, DEMO_API_KEY)
    with qtbot.waitSignal(dialog.key_changed, timeout=5000):
        _click(qtbot, dialog.save_key_button)
    _click(qtbot, dialog.test_button)
    qtbot.waitUntil(lambda: "Connected" in dialog.test_result.text(), timeout=10000)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.number_edit, "+1 800 555 1000")
    assert dialog.number_hint.text().startswith("✓")
    _click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    assert window.session.list_number == DEMO_LIST_NUMBER


def _table_rows(view) -> list[tuple[str, str, str]]:
    proxy = view.proxy
    return [
        (
            proxy.index(r, ROW_COLUMN).data(),
            proxy.index(r, PHONE_COLUMN).data(),
            proxy.index(r, CODE_COLUMN).data(),
        )
        for r in range(proxy.rowCount())
    ]


def _edit_phone(qtbot, table, index, text: str) -> None:
    table.scrollTo(index)
    centre = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    editor = table.viewport().findChild(QLineEdit) or QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "double-clicking the phone cell opened no editor"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_spreadsheet_to_failures_table_matches_the_sandbox_ledger(qtbot, tmp_path, sandbox):
    sheet = tmp_path / "customers.xlsx"
    shutil.copy(resource_path("sample_contacts.xlsx"), sheet)
    settings = Settings(default_country="US", base_url=sandbox.base_url)
    session = Session(settings, KeyStore())
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    _set_up_account(qtbot, window)
    assert load_settings().list_number == DEMO_LIST_NUMBER  # saved, and the key is not in it

    # 1. Contacts: drop the spreadsheet.
    contacts = window.contacts_step
    errors: list[str] = []
    contacts.failed.connect(errors.append)
    with qtbot.waitSignal(contacts.loaded, timeout=20000):
        _drop(contacts, sheet)
    assert not errors
    recipients = session.recipients
    ready = set(recipients.ready_indices())
    assert 0 < len(ready) < len(recipients)  # the sample has rows that need attention
    _click(qtbot, window.next_button)

    # 2. Message.
    editor = window.message_step.editor
    editor.selectAll()
    qtbot.keyClicks(editor, TEMPLATE)
    qtbot.waitUntil(window.next_button.isEnabled, timeout=5000)
    _click(qtbot, window.next_button)

    # 3. Review.
    qtbot.waitUntil(window.next_button.isEnabled, timeout=20000)
    _click(qtbot, window.next_button)

    # 4. Send.
    assert window.current_step == SEND
    step = window.send_step
    qtbot.waitUntil(step.send_button.isEnabled, timeout=5000)
    _click(qtbot, step.send_button)
    box = step.confirm_box
    assert box is not None
    count = len(ready)
    assert box.text() == f"Send {count} messages ({count} parts) from +1 800 555 1000?"
    with qtbot.waitSignal(step.results.loaded, timeout=30000):
        _click(qtbot, step.confirm_send_button)

    # 5. Results against the ledger: each ready row either reached the sandbox or is listed.
    ledger = sandbox.ledger.entries()
    # The table shows numbers spaced for reading ("+1 415 555 7001"); the ledger holds E.164.
    shown = _table_rows(step.results)
    failures = [(row, phone.replace(" ", ""), code) for row, phone, code in shown]
    assert sorted((phone, code) for _row, phone, code in failures) == sorted(
        [
            (next(n for n in DEMO_VOIP_NUMBERS if n in {recipients.phone[i] for i in ready}),
             "not_sendable"),
            (next(n for n in DEMO_OPTED_OUT_NUMBERS if n in {recipients.phone[i] for i in ready}),
             "opted_out"),
        ]
    )  # fmt: skip
    sent_to = {entry.to for entry in ledger}
    assert len(ledger) == len(sent_to) == count - len(failures)
    assert not sent_to & {phone for _row, phone, _code in failures}
    by_row = {int(recipients.row_numbers[i]): i for i in ready}
    for entry in ledger:
        i = by_row[entry.metadata["row"]]
        assert entry.to == recipients.phone[i]
        assert entry.body == recipients.body[i]  # exactly what the preview showed
        assert entry.list_number == DEMO_LIST_NUMBER
    for row, phone, _code in failures:
        assert recipients.phone[by_row[int(row)]] == phone
    summary = step.results.summary.text()
    assert f"<b>{len(ledger)}</b> sent" in summary and "<b>2</b> not sent" in summary

    # 6. Fix the VOIP customer's number in the table and retry that row only.
    view = step.results
    voip_row = next(r for r, (_row, _p, code) in enumerate(failures) if code == "not_sendable")
    with qtbot.waitSignal(step.send_finished, timeout=30000):
        _edit_phone(qtbot, view.table, view.proxy.index(voip_row, PHONE_COLUMN), "(415) 555-0161")
    qtbot.waitUntil(lambda: len(_table_rows(view)) == 1, timeout=10000)
    assert [code for _r, _p, code in _table_rows(view)] == ["opted_out"]
    new_entries = sandbox.ledger.entries(offset=len(ledger))
    assert [e.to for e in new_entries] == ["+14155550161"]
    assert len(sandbox.ledger) == len(ledger) + 1  # nothing else was sent twice

    # 7. History lists the campaign with the same counts.
    dialog = window.open_history()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    cells = [dialog.model.index(0, c).data() for c in range(7)]
    assert cells[2:] == [str(len(ledger) + 1), "1", "0", "0", "Finished"]
    with Journal() as journal:
        (campaign,) = journal.campaigns()
    assert campaign.id == session.campaign_id and campaign.counts.queued == len(ledger) + 1

    # ... and reopens its results from another step.
    dialog.close()
    window.go_to(0)
    dialog = window.open_history()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    with qtbot.waitSignal(step.results.loaded, timeout=5000):
        _click(qtbot, dialog.results_button)
    assert window.current_step == SEND
    assert [code for _r, _p, code in _table_rows(step.results)] == ["opted_out"]
