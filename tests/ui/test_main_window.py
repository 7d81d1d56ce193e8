"""MainWindow: the step flow, going back without losing work, menus, geometry, demo banner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from trackly_desktop.ui.main_window import CONTACTS, MESSAGE, REVIEW, MainWindow


@pytest.fixture
def window(qtbot, session):
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _open_sample(qtbot, window) -> None:
    """The sample workbook, opened as any file (the sample offer itself is demo-only)."""
    from trackly_desktop.resource_files import resource_path

    with qtbot.waitSignal(window.contacts_step.loaded, timeout=60000):
        window.contacts_step.open_file(resource_path("sample_contacts.xlsx"))


def test_starts_on_contacts_and_cannot_skip_ahead(qtbot, window):
    assert window.current_step == CONTACTS
    assert window.step_bar.buttons[CONTACTS].isChecked()
    assert "(current)" in window.step_bar.buttons[CONTACTS].accessibleName()
    assert not window.next_button.isEnabled()
    assert not window.back_button.isEnabled()
    assert not window.step_bar.buttons[MESSAGE].isEnabled()
    window.go_to(REVIEW)
    assert window.current_step == CONTACTS


def test_the_whole_flow_forward_and_back_keeps_the_work(qtbot, window, session):
    _open_sample(qtbot, window)
    assert window.next_button.isEnabled()
    assert "16 people can get a message" in window.hint_label.text()
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_step == MESSAGE
    editor = window.message_step.editor
    editor.clear()
    qtbot.keyClicks(editor, "Hi {{first_name}}, your order is ready. Reply STOP to opt out.")
    window.message_step.refresh()
    with qtbot.waitSignal(window.review_step.ready, timeout=60000):
        qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_step == REVIEW
    assert window.review_step.will_send.rowCount() == 16
    # Back twice, by the step bar: the contacts and the message are as they were.
    qtbot.mouseClick(window.step_bar.buttons[CONTACTS], Qt.MouseButton.LeftButton)
    assert window.current_step == CONTACTS
    assert window.contacts_step.model.rowCount() == 20
    qtbot.mouseClick(window.step_bar.buttons[MESSAGE], Qt.MouseButton.LeftButton)
    assert editor.toPlainText().startswith("Hi {{first_name}}, your order")
    assert session.template_text == editor.toPlainText()


def test_keyboard_alone_moves_between_steps(qtbot, window):
    _open_sample(qtbot, window)
    window.next_button.setFocus()
    qtbot.keyClick(window.next_button, Qt.Key.Key_Space)
    assert window.current_step == MESSAGE
    window.back_button.setFocus()
    qtbot.keyClick(window.back_button, Qt.Key.Key_Space)
    assert window.current_step == CONTACTS


def test_menus_offer_open_recent_history_settings_and_about(qtbot, window, session):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Help"]
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert not window.recent_menu.isEnabled()
    _open_sample(qtbot, window)
    recent = window.recent_menu.actions()
    assert [a.text() for a in recent] == ["sample_contacts.xlsx"]
    assert recent[0].data() == str(session.source_path)
    toolbar_texts = [
        a.text().replace("&", "")
        for a in window.findChild(type(window.addToolBar("x")), "mainToolbar").actions()
    ]
    assert toolbar_texts[:3] == ["Open spreadsheet…", "History…", "Settings…"]


def test_size_and_position_are_remembered(qtbot, session):
    from trackly_desktop.settings import load_settings

    first = MainWindow(session)
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 560)
    first.close()
    saved = load_settings()
    assert saved.window_geometry
    second = MainWindow(session)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (780, 560)
    second.close()


def test_demo_mode_shows_the_banner(qtbot):
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings
    from trackly_desktop.ui.session import Session

    session = Session(Settings(), KeyStore(), demo=True, demo_api_key="trk_demo_x12345678")
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    assert win.demo_banner is not None and win.demo_banner.isVisible()
    assert win.demo_banner.text() == "Demo — nobody receives these messages"
    assert win.windowTitle() == "Demo: nothing is really sent"
    assert "Trackly Desktop" not in win.windowTitle()  # the desktop adds the name: said once
    win.close()


def test_controls_have_accessible_names(qtbot, window):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    unnamed = []
    for kind in (QComboBox, QLineEdit, QPlainTextEdit):
        for widget in window.findChildren(kind):
            if not widget.accessibleName() and widget.objectName() not in (
                "",
                "qt_spinbox_lineedit",
            ):
                unnamed.append(widget.objectName())
    for button in window.findChildren(QAbstractButton):
        if not (button.accessibleName() or button.text()) and button.isVisible():
            unnamed.append(button.objectName())
    assert unnamed == []


def test_a_spreadsheet_dropped_on_any_step_opens_in_contacts(qtbot, window, sample_csv):
    import warnings

    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    _open_sample(qtbot, window)
    window.go_next()
    assert window.current_step == MESSAGE
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_csv))])
    centre = window.rect().center()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # QPoint form: 6.11 needs it
        enter = QDragEnterEvent(
            centre,
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.contacts_step.loaded, timeout=60000):
        QApplication.sendEvent(window, drop)
    assert window.current_step == CONTACTS
    assert window.session.source_path == sample_csv


def test_follows_the_system_dark_scheme(qtbot, qapp, monkeypatch):
    from PySide6.QtGui import QGuiApplication, QPalette

    from trackly_desktop.ui import theme

    hints = QGuiApplication.styleHints()
    before = qapp.palette()
    theme.follow_system_scheme(qapp)
    try:
        # The offscreen platform has no system scheme to switch, so play the system's part:
        # report dark, then announce the change as the desktop would.
        monkeypatch.setattr(theme, "is_dark", lambda: True)
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert qapp.palette().color(QPalette.ColorRole.WindowText).lightness() > 180
        monkeypatch.setattr(theme, "is_dark", lambda: False)
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 180
    finally:
        qapp.setPalette(before)


def test_status_colours_follow_a_scheme_change_while_the_window_is_open(
    qtbot, qapp, window, monkeypatch
):
    """Words drawn in a status colour take the new scheme's shade at once, not when their
    text next changes: the contacts' counts, a problem label, the editor's underline."""
    from PySide6.QtGui import QTextCharFormat

    from trackly_desktop.ui import theme

    light_ready, dark_ready = "#2e7d32", "#81c995"
    light_attention, dark_attention = "#c62828", "#f28b82"
    _open_sample(qtbot, window)
    counts = window.contacts_step.counts_label
    window.go_next()
    window.message_step.editor.setPlainText("Hi {{first_name")  # a field left open
    window.message_step.refresh()
    problem = window.message_step.problem_label
    underline: QTextCharFormat = window.message_step.editor.highlighter.problem_format

    def shades() -> tuple[bool, bool, str]:
        return (
            f"color:{dark_ready}" in counts.text(),
            dark_attention in problem.styleSheet(),
            underline.underlineColor().name(),
        )

    assert problem.text() and light_ready in counts.text()
    assert shades() == (False, False, light_attention)
    before = qapp.palette()
    try:
        monkeypatch.setattr(theme, "is_dark", lambda: True)  # the desktop switched to dark
        theme.apply_scheme(qapp)
        assert shades() == (True, True, dark_attention)
        monkeypatch.setattr(theme, "is_dark", lambda: False)  # and back
        theme.apply_scheme(qapp)
        assert shades() == (False, False, light_attention)
        assert light_attention in problem.styleSheet()
    finally:
        qapp.setPalette(before)


def test_rows_the_message_makes_unsendable_show_up_in_contacts(qtbot, window):
    _open_sample(qtbot, window)
    window.go_next()
    # 1,595 characters plus the first name: "Oliver" and "Daniel" push it over 1,600.
    window.message_step.editor.setPlainText("x" * 1595 + "{{first_name}}")
    window.message_step.refresh()
    with qtbot.waitSignal(window.review_step.ready, timeout=60000):
        window.go_next()
    assert window.review_step.will_send.rowCount() == 14
    window.go_to(CONTACTS)
    name = window.contacts_step.counts_label.accessibleName()
    assert name == "20 rows, 14 ready, 5 need attention, 1 duplicate"
    assert "1,600" in window.contacts_step.model.rows.note[16]  # Oliver's row


def test_closing_right_after_opening_a_file_keeps_both_recent_file_and_size(qtbot, session):
    from trackly_desktop.settings import load_settings

    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    _open_sample(qtbot, win)  # saves the recent files in the background
    win.resize(790, 550)
    win.close()
    saved = load_settings()
    assert saved.recent_files and saved.recent_files[0].endswith("sample_contacts.xlsx")
    assert saved.window_geometry


def test_results_opened_from_history_show_the_send_step_as_current(qtbot, window):
    from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord
    from trackly_desktop.core.journal.schema import DONE
    from trackly_desktop.core.journal.store import Journal
    from trackly_desktop.ui.main_window import SEND

    records = [RecipientRecord(row, f"+1415555{row:04d}", "Hi", f"P{row}", {}) for row in (2, 3)]
    spec = CampaignSpec("/shop/c.xlsx", None, {"phone": "Phone"}, "Hi", "+18005551000", "US")
    with Journal() as journal:
        campaign_id = journal.create_campaign(spec, records)
        journal.begin_run(campaign_id)
        batch = journal.claim_batch(campaign_id, max_messages=2)
        journal.record_batch(campaign_id, batch, [])
        journal.end_run(campaign_id, DONE)

    # No contacts are open, so Message, Review and Send are not reachable by themselves...
    with qtbot.waitSignal(window.send_step.results.loaded, timeout=10000):
        window.show_campaign_results(campaign_id)
    bar = window.step_bar.buttons
    assert window.current_step == SEND
    # ... yet the step on screen looks current (lit, checked), not greyed out.
    assert bar[SEND].isEnabled() and bar[SEND].isChecked()
    assert bar[SEND].accessibleName() == "Step 4: Send (current)"
    assert not bar[MESSAGE].isEnabled() and not bar[REVIEW].isEnabled()
    qtbot.mouseClick(bar[CONTACTS], Qt.MouseButton.LeftButton)
    assert window.current_step == CONTACTS and not bar[SEND].isEnabled()


def test_the_sample_is_offered_in_demo_mode_only(qtbot, window):
    from trackly_desktop.sandbox.demo_data import DEMO_API_KEY
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings
    from trackly_desktop.ui.session import Session

    assert not window.sample_action.isVisible() and not window.sample_action.isEnabled()
    assert not window.contacts_step.drop_zone.sample_button.isVisible()
    window.open_sample()  # even if asked: nothing is opened with a real key
    assert window.session.table is None and window.contacts_step.task is None
    demo = MainWindow(
        Session(Settings(default_country="US"), KeyStore(), demo=True, demo_api_key=DEMO_API_KEY)
    )
    qtbot.addWidget(demo)
    demo.show()
    assert demo.sample_action.isVisible() and demo.sample_action.isEnabled()
    assert demo.contacts_step.drop_zone.sample_button.isVisible()
    demo.close()
