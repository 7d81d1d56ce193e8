"""Real-shaped exports in the Contacts step: which number, which row holds the headers,
which characters, which country, all shown and changeable right there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.unit import export_corpus
from trackly_desktop.ui.contacts_model import NAME, NOTE, ROW
from trackly_desktop.ui.contacts_step import ContactsStep


@pytest.fixture
def step(qtbot, session):
    widget = ContactsStep(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def _open(qtbot, step, path, **kwargs) -> None:
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(path, **kwargs)


def _cell(step, file_row: int, column: int) -> str:
    model = step.model
    for r in range(model.rowCount()):
        if model.index(r, ROW).data() == str(file_row):
            return model.index(r, column).data()
    raise AssertionError(f"row {file_row} not shown")


def test_google_contacts_each_row_says_which_number(qtbot, step, tmp_path) -> None:
    _open(qtbot, step, export_corpus.google_contacts(tmp_path))
    panel = step.mapping_panel
    assert panel.phone_columns() == ["Phone 2 - Value", "Phone 1 - Value"]
    assert panel.order_button.text() == "then 1 more…"
    assert _cell(step, 5, NOTE) == (
        "Home number used: no mobile number in this row. "
        "This looks like a landline number; it may not receive texts."
    )
    bar = step.reading_bar
    assert bar.country_caption.text() == "Numbers without a + code are read as"
    assert bar.country_box.code() == "US"
    assert bar.header_spin.text() == "Headers in row 1"


def test_the_operator_reorders_the_phone_columns(qtbot, step, tmp_path) -> None:
    _open(qtbot, step, export_corpus.outlook(tmp_path))
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.mapping_panel.set_phone_order(["Home Phone", "Mobile Phone"])
    recipients = step.session.recipients
    assert recipients.mapping.phone_columns == ("Home Phone", "Mobile Phone")
    assert recipients.phone_column(0) == "Home Phone"  # Jo: home first now
    assert recipients.phone[0] == "+14155550122"


def test_phone_order_dialog_ticks_and_moves(qtbot, tmp_path) -> None:
    from trackly_desktop.ui.phone_order import PhoneOrderDialog

    dialog = PhoneOrderDialog(["Name", "Mobile", "Home"], ["Mobile", "Home"])
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(1)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    dialog.list.item(2).setCheckState(Qt.CheckState.Checked)  # "Name" ticked too
    assert dialog.chosen() == ["Home", "Mobile", "Name"]


def test_uk_numbers_are_recognised_and_the_country_can_be_changed(qtbot, step, tmp_path) -> None:
    _open(qtbot, step, export_corpus.uk_list(tmp_path))
    bar = step.reading_bar
    assert bar.country_caption.text() == "These look like UK numbers, read as"
    assert bar.country_box.code() == "GB"
    assert step.session.recipients.reading.source == "inferred"
    assert _cell(step, 2, NAME) == "Olivia Smith"  # split from "Name", shown whole
    with qtbot.waitSignal(step.loaded, timeout=60000):
        bar.country_box.set_code("US")
        bar.country_box.activated.emit(bar.country_box.currentIndex())
    recipients = step.session.recipients
    assert (recipients.reading.country, recipients.reading.source) == ("US", "chosen")
    assert recipients.reason[0] == "too_long"
    assert bar.country_caption.text() == "Numbers without a + code are read as"


def test_headers_in_row_4_and_another_row_chosen(qtbot, step, tmp_path) -> None:
    _open(qtbot, step, export_corpus.pickups_workbook(tmp_path))
    bar = step.reading_bar
    assert bar.header_spin.text() == "Headers in row 4"
    assert step.session.table.columns == ["Name", "Order", "Cell", "Notes"]
    assert "Total pickups: 3" in step.notes_label.text()
    assert step.session.mapping.full_name == "Name"
    assert step.mapping_panel.boxes["full_name"].currentText() == "Name"
    with qtbot.waitSignal(step.loaded, timeout=60000):
        bar.header_spin.setValue(3)
    assert step.session.table.header_row == 3
    assert bar.header_spin.text() == "Headers in row 3"


def test_unsure_encoding_shows_a_preview_and_a_chooser(qtbot, step, tmp_path) -> None:
    path = tmp_path / "turkish.csv"
    path.write_bytes(
        "Ad,Soyad,Telefon\nAyşe,Yılmaz,+90 532 123 45 67\nMehmet,Öztürk,+90 542 765 43 21\n"
        "Çağla,Şahin,+90 555 111 22 33\n".encode("cp1254")
    )
    _open(qtbot, step, path)
    bar = step.reading_bar
    assert bar.encoding_box.isVisible()
    assert bar.encoding_box.currentText() == "Windows-1254 (Turkish)"
    assert bar.unsure_label.isVisible()
    assert "“Ayşe Yılmaz +90 532 123 45 67”" in bar.unsure_label.text()
    index = bar.encoding_box.findText("Windows-1250 (Central European)")
    with qtbot.waitSignal(step.loaded, timeout=60000):
        bar.encoding_box.setCurrentIndex(index)
        bar.encoding_box.activated.emit(index)
    assert step.session.table.column_values("Ad")[0] == "Ayţe"  # what the operator chose
    assert not bar.unsure_label.isVisible()


def test_the_reading_bar_looks_right(qtbot, step, tmp_path) -> None:
    _open(qtbot, step, export_corpus.uk_list(tmp_path))
    step.grab().save(str(tmp_path / "contacts_uk.png"))
    assert step.reading_bar.isVisible()
