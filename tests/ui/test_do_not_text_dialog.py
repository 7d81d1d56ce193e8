"""File ▸ Do-not-text list…: search, add, remove with a confirmation, import, export."""

from __future__ import annotations

import csv

import pytest

from trackly_desktop.core.audience.do_not_text import DoNotTextList
from trackly_desktop.ui.do_not_text_dialog import DoNotTextDialog


@pytest.fixture
def dialog(qtbot, session):
    with DoNotTextList(session.do_not_text_path()) as dnt:
        dnt.add("+12025550101", reason="Complained", source="operator")
        dnt.add("+12025550102", reason="STOP reply", source="trackly_opted_out")
    widget = DoNotTextDialog(session)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _cell(dialog, row: int, column: int) -> str:
    return dialog.model.index(row, column).data()


def _numbers(dialog) -> list[str]:
    return [_cell(dialog, r, 0) for r in range(dialog.model.rowCount())]


def test_lists_and_searches(dialog):
    assert sorted(_numbers(dialog)) == ["+1 202 555 0101", "+1 202 555 0102"]
    assert dialog.count_label.text() == "2 numbers on the list."
    dialog.search.setText("stop")
    assert _numbers(dialog) == ["+1 202 555 0102"]
    assert _cell(dialog, 0, 3) == "Trackly reported an opt-out"
    assert dialog.count_label.text() == "1 found · 2 numbers on the list."
    dialog.search.setText("0101")
    assert _numbers(dialog) == ["+1 202 555 0101"]


def test_a_long_list_is_read_a_page_at_a_time_and_counted_whole(qtbot, session):
    from trackly_desktop.ui.do_not_text_model import PAGE

    with DoNotTextList(session.do_not_text_path()) as dnt:
        dnt.add_many([f"+1202555{n:04d}" for n in range(1203)], reason="Imported", source="import")
    widget = DoNotTextDialog(session)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.count_label.text() == "1,203 numbers on the list."
    assert widget.model.rowCount() == PAGE == 500  # the rest when the view scrolls there
    while widget.model.canFetchMore():
        widget.model.fetchMore()
    assert widget.model.rowCount() == 1203
    assert len(set(_numbers(widget))) == 1203  # pages neither overlap nor skip
    widget.search.setText("imported")
    assert widget.count_label.text() == "1,203 found · 1,203 numbers on the list."
    assert widget.model.rowCount() == 500
    widget.table.selectRow(1)
    assert widget.selected_numbers() == [widget.model.phone(1)]


def test_add_tells_the_window_and_refuses_what_is_not_a_number(qtbot, dialog, session):
    dialog.reason_edit.setText("Asked in the shop")
    with qtbot.waitSignal(session.do_not_text_changed):
        dialog.add_number("(202) 555-0150")
    assert dialog.message.text() == "+1 202 555 0150 will not be texted again."
    assert "+1 202 555 0150" in _numbers(dialog)
    dialog.add_number("hello")
    assert dialog.message.text() == "“hello” is not a phone number; nothing was added."
    dialog.add_number("+1 202 555 0150")
    assert dialog.message.text() == "+1 202 555 0150 was already on the list."
    with DoNotTextList(session.do_not_text_path()) as dnt:
        assert dnt.entries("0150")[0].reason == "Asked in the shop"


def test_remove_asks_first(dialog, session):
    dialog.search.setText("0101")
    dialog.table.selectRow(0)
    asked = []
    dialog.confirm = lambda _parent, text: asked.append(text) or False
    dialog.remove_selected()
    assert asked == ["Take +1 202 555 0101 off the do-not-text list? They may be texted again."]
    assert _numbers(dialog) == ["+1 202 555 0101"]  # said no: still there
    dialog.confirm = lambda _parent, _text: True
    dialog.remove_selected()
    assert _numbers(dialog) == []
    with DoNotTextList(session.do_not_text_path()) as dnt:
        assert dnt.numbers() == {"+12025550102"}


def test_import_and_export(qtbot, dialog, tmp_path):
    source = tmp_path / "stops.csv"
    source.write_text("Mobile\n202-555-0160\n202 555 0101\nnope\n", encoding="utf-8")
    dialog.import_file(source)
    # The file is read off the GUI thread: until its answer arrives the dialog says so.
    assert dialog.message.text() == "Reading stops.csv…"
    assert not dialog.import_button.isEnabled()
    qtbot.waitUntil(dialog.import_button.isEnabled)
    assert dialog.message.text() == (
        "stops.csv: 1 added, 1 already on the list, 1 could not be read as a phone number. "
        "Not read: row 4 “nope”."
    )
    target = tmp_path / "list.csv"
    dialog.export_file(target)
    assert dialog.message.text() == f"3 numbers saved to {target}."
    with target.open(encoding="utf-8-sig", newline="") as handle:
        phones = [row[0] for row in csv.reader(handle)][1:]
    assert phones == ["+12025550101", "+12025550102", "+12025550160"]


def test_an_unreadable_import_says_why_in_words(qtbot, dialog, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("Name,City\nAda,Oakland\nBob,Austin\n", encoding="utf-8")
    dialog.import_file(source)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    assert dialog.message.text() == (
        "people.csv has no column that holds phone numbers: give the file one column of "
        "numbers, or a column called “Phone”."
    )
    assert sorted(_numbers(dialog)) == ["+1 202 555 0101", "+1 202 555 0102"]


def test_the_file_menu_opens_it(qtbot, session):
    from trackly_desktop.ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.do_not_text_action.text() == "&Do-not-text list…"
    opened = window.open_do_not_text()
    assert isinstance(opened, DoNotTextDialog)
    opened.close()


def test_the_model_passes_qt_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model, force_py=True)
