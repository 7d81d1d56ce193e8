"""The Contacts step driven as a person would: drop a file, pick columns, fix a number."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from trackly_desktop.ui.contacts_model import PHONE, ROW, STATUS
from trackly_desktop.ui.contacts_step import ContactsStep


@pytest.fixture
def step(qtbot, session):
    widget = ContactsStep(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    return widget


def _drop(widget, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = widget.rect().center()
    with warnings.catch_warnings():
        # PySide6 6.12 deprecates the QPoint form that 6.11 and older require.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            centre,
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, drop)
    return True


def _view_row(step, file_row: int) -> int:
    model = step.model
    for r in range(model.rowCount()):
        if model.index(r, ROW).data() == str(file_row):
            return r
    raise AssertionError(f"row {file_row} not shown")


@pytest.fixture
def demo_step(qtbot):
    from trackly_desktop.sandbox.demo_data import DEMO_API_KEY
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings
    from trackly_desktop.ui.session import Session

    session = Session(
        Settings(default_country="US"), KeyStore(), demo=True, demo_api_key=DEMO_API_KEY
    )
    widget = ContactsStep(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    return widget


def test_starts_empty_with_a_drop_zone_and_the_sample_offer_in_demo_mode(step, demo_step):
    assert step.pages.currentWidget() is step.drop_zone
    assert "Drop your spreadsheet here" in step.drop_zone.title.text()
    assert not step.drop_zone.sample_button.isVisible()  # never with a real key
    button = demo_step.drop_zone.sample_button
    assert button.isVisible()
    assert button.text().replace("&", "") == "Try it with sample contacts"
    assert not step.is_complete()


def test_dropping_a_spreadsheet_reads_and_checks_it(qtbot, step, sample_csv, session):
    with qtbot.waitSignal(step.loaded, timeout=60000):
        assert _drop(step.drop_zone, sample_csv)
    assert step.pages.currentIndex() == 1
    assert session.table is not None and len(session.table) == 20
    assert session.mapping.phone == "Mobile"
    assert step.mapping_panel.boxes["phone"].currentText() == "Mobile"
    assert step.mapping_panel.boxes["first_name"].currentText() == "First Name"
    text = step.counts_label.accessibleName()
    assert text == "20 rows, 16 ready, 3 need attention, 1 duplicate"
    assert step.is_complete()
    assert not step.sheet_box.isVisible()  # a CSV has no sheets
    assert str(sample_csv) in session.settings.recent_files


def test_dropping_something_else_is_refused_in_plain_words(step, tmp_path):
    picture = tmp_path / "holiday.jpg"
    picture.write_bytes(b"\xff\xd8\xff")
    assert not _drop(step.drop_zone, picture)
    assert step.pages.currentWidget() is step.drop_zone


def test_sample_button_opens_the_workbook_with_its_sheets(qtbot, demo_step):
    step, session = demo_step, demo_step.session
    with qtbot.waitSignal(step.loaded, timeout=60000):
        qtbot.mouseClick(step.drop_zone.sample_button, Qt.MouseButton.LeftButton)
    assert session.source_path.name == "sample_contacts.xlsx"
    assert step.sheet_box.isVisible()
    assert [step.sheet_box.itemText(i) for i in range(step.sheet_box.count())] == [
        "Customers",
        "Notes",
    ]
    assert step.sheet_box.currentText() == "Customers"
    assert step.model.rowCount() == 20


def test_choosing_a_sheet_without_numbers_asks_for_the_phone_column(
    qtbot, step, session, sample_xlsx
):
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(sample_xlsx)
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.sheet_box.setCurrentIndex(1)
        step.sheet_box.activated.emit(1)
    assert session.sheet == "Notes"
    assert step.error_label.isVisible()
    assert "mobile numbers" in step.error_label.text()
    assert not step.is_complete()


def test_changing_the_phone_column_checks_again_and_is_remembered(qtbot, step, sample_csv, session):
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(sample_csv)
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.mapping_panel.select("phone", "Order")
    assert session.mapping.phone == "Order"
    assert step.model.rows.counts["ready"] == 0
    assert not step.is_complete()
    from trackly_desktop.core.contacts.remembered_mappings import MappingMemory

    assert MappingMemory().recall(session.table.columns).phone == "Order"


def test_choosing_one_column_for_two_roles_is_explained(qtbot, step, sample_csv, session):
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(sample_csv)
    step.mapping_panel.select("first_name", "Mobile")
    assert step.error_label.isVisible()
    assert "Mobile" in step.error_label.text()
    assert session.mapping.phone == "Mobile"  # the working mapping is kept


def test_a_broken_file_gets_one_plain_sentence(qtbot, step, tmp_path):
    broken = tmp_path / "customers.xlsx"
    broken.write_bytes(b"this is not a workbook at all")
    with qtbot.waitSignal(step.failed, timeout=60000) as blocker:
        step.open_file(broken)
    message = blocker.args[0]
    assert "customers.xlsx" in message
    assert "Traceback" not in message and "\n" not in message
    assert step.error_label.text() == message
    assert step.pages.currentWidget() is step.drop_zone


def test_cancel_stops_reading_and_keeps_the_previous_contacts(qtbot, step, sample_csv, tmp_path):
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(sample_csv)
    big = tmp_path / "big.csv"
    lines = ["Name,Mobile"] + [f"Person {i},+1 415 555 {i % 10000:04d}" for i in range(300_000)]
    big.write_text("\n".join(lines), encoding="utf-8")
    step.open_file(big)
    assert step.progress.isVisible()
    qtbot.mouseClick(step.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not step.is_busy(), timeout=60000)
    assert "Stopped" in step.error_label.text()
    assert step.session.source_path == sample_csv
    assert step.model.rowCount() == 20


def test_attention_checkbox_filters_the_table(qtbot, step, sample_csv):
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(sample_csv)
    with qtbot.waitSignal(step.filtered, timeout=5000):
        qtbot.mouseClick(step.attention_only, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert step.attention_only.isChecked()
    assert step.model.rowCount() == 4
    statuses = {step.model.index(r, STATUS).data() for r in range(4)}
    assert statuses == {"Needs attention", "Duplicate"}


def test_fix_a_number_by_typing_in_the_table(qtbot, step, sample_csv, session):
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(sample_csv)
    row = _view_row(step, 11)
    view = step.table_view
    view.setFocus()
    view.setCurrentIndex(step.model.index(row, PHONE))
    with qtbot.waitSignal(session.recipients_changed, timeout=5000):
        qtbot.keyClick(view, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        editor.selectAll()
        qtbot.keyClicks(editor, "+1 415 555 0190")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert step.model.index(row, STATUS).data() == "Ready"
    assert session.recipients.phone[row] == "+14155550190"
    assert "17 ready" in step.counts_label.accessibleName()


def test_drop_zone_accepts_exactly_what_the_reader_reads():
    from trackly_desktop.core.reading.spreadsheet import SUPPORTED_SUFFIXES
    from trackly_desktop.ui.drop_zone import FILE_DIALOG_FILTER, SPREADSHEET_SUFFIXES

    assert set(SPREADSHEET_SUFFIXES) == set(SUPPORTED_SUFFIXES)
    for suffix in SUPPORTED_SUFFIXES:
        assert f"*{suffix}" in FILE_DIALOG_FILTER
