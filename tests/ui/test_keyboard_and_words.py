"""Keyboard and plain words across the window: every step's Alt+letter shortcuts unique,
a visible focus ring, the Open dialog's first folder, the title said once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from trackly_desktop.ui.main_window import CONTACTS, MESSAGE, REVIEW, SEND, MainWindow

_MNEMONIC = re.compile(r"&([^&\s])")


def _mnemonics(window: MainWindow) -> dict[str, list[str]]:
    """Alt+letter -> the controls that answer it, among what is on screen now."""
    found: dict[str, list[str]] = {}
    texts = [a.text() for a in window.menuBar().actions()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isVisible():
            continue
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or labelled:
            texts.append(widget.text())
    for text in texts:
        match = _MNEMONIC.search(text.replace("&&", ""))
        if match:
            found.setdefault(match.group(1).lower(), []).append(text)
    return found


@pytest.fixture
def window(qtbot, session):
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    yield win
    win.close()


def test_every_steps_alt_letters_are_unique(qtbot, window):
    from trackly_desktop.resource_files import resource_path

    with qtbot.waitSignal(window.contacts_step.loaded, timeout=60000):
        window.contacts_step.open_file(resource_path("sample_contacts.xlsx"))
    for step in (CONTACTS, MESSAGE, REVIEW, SEND):
        if step == REVIEW:
            with qtbot.waitSignal(window.review_step.ready, timeout=60000):
                window.go_to(REVIEW)
        else:
            window.go_to(step)
        qtbot.wait(10)
        clashes = {k: v for k, v in _mnemonics(window).items() if len(v) > 1}
        assert clashes == {}, f"step {step}: {clashes}"


def test_the_open_dialog_starts_in_documents_or_the_last_folder(qtbot, window, tmp_path,
                                                               monkeypatch):  # fmt: skip
    from PySide6.QtCore import QStandardPaths

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda _where: str(documents))
    )
    monkeypatch.chdir(Path(__file__).parents[2])  # started from the install folder
    step = window.contacts_step
    assert step.start_folder() == documents
    chosen = tmp_path / "shop" / "customers.csv"
    chosen.parent.mkdir()
    chosen.write_text("Phone\n+14155550100\n", encoding="utf-8")
    seen: list[str] = []

    def fake_dialog(_parent, _title, start, _filter):
        seen.append(start)
        return str(chosen), ""

    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.choose_file()
    assert seen == [str(documents)]
    assert window.session.settings.last_folder == str(chosen.parent)
    step.choose_file()
    assert seen[-1] == str(chosen.parent)  # the folder the operator chose last


def test_the_focus_ring_is_drawn_around_the_focused_control(qtbot):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout

    from trackly_desktop.ui import focus_ring

    page = QWidget()
    palette = page.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#ff00ff"))  # unmistakable
    page.setPalette(palette)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(20, 20, 20, 20)
    button = QPushButton("Send &again")
    editor = QLineEdit()
    layout.addWidget(button)
    layout.addWidget(editor)
    qtbot.addWidget(page)
    page.resize(300, 120)
    page.show()

    def magenta_pixels() -> int:
        image = page.grab().toImage()
        return sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).green() < 80
            and image.pixelColor(x, y).blue() > 200
        )

    assert magenta_pixels() == 0
    focus_ring._FOLLOWER.focus_moved(None, button)  # what QApplication.focusChanged calls
    ring = focus_ring.current_ring()
    assert ring is not None and ring.widget() is button and ring.isVisible()
    assert ring.geometry().contains(button.geometry())  # just outside the button
    assert magenta_pixels() > 300  # a ring all around it
    focus_ring._FOLLOWER.focus_moved(button, editor)  # editors show focus their own way
    assert not ring.isVisible()
    assert magenta_pixels() == 0


def test_the_results_pages_alt_letters_are_unique(qtbot, window):
    from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord
    from trackly_desktop.core.journal.schema import DONE
    from trackly_desktop.core.journal.store import Journal

    records = [RecipientRecord(row, f"+1415555{row:04d}", "Hi", f"P{row}", {}) for row in (2, 3)]
    spec = CampaignSpec("/shop/c.xlsx", None, {"phone": "Phone"}, "Hi", "+18005551000", "US")
    with Journal() as journal:
        campaign_id = journal.create_campaign(spec, records)
        journal.begin_run(campaign_id)
        batch = journal.claim_batch(campaign_id, max_messages=2)
        journal.record_batch(campaign_id, batch, [(0, "server_error", "x")])
        journal.end_run(campaign_id, DONE)
    with qtbot.waitSignal(window.send_step.results.loaded, timeout=10000):
        window.show_campaign_results(campaign_id)
    found = _mnemonics(window)
    assert {k: v for k, v in found.items() if len(v) > 1} == {}
    assert {"a", "e", "c", "n", "t"} <= set(found)  # send again, export, copy, new, details
