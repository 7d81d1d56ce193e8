"""ContactsTableModel over real Recipients built by the core from the sample spreadsheet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from trackly_desktop.ui.contacts_model import (
    NAME,
    NOTE,
    PHONE,
    ROW,
    SENDS_TO,
    STATUS,
    ContactRows,
    ContactsTableModel,
)


@pytest.fixture
def recipients(sample_csv):
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    table = read_table(sample_csv)
    return build_recipients(table, suggest_mapping(table), "Hi {{first_name}}", "US")


@pytest.fixture
def model(qtbot, recipients):
    model = ContactsTableModel()
    model.set_recipients(recipients, ContactRows.build(recipients))
    return model


def _row_of(model, file_row: int) -> int:
    for r in range(model.rowCount()):
        if model.index(r, ROW).data() == str(file_row):
            return r
    raise AssertionError(f"row {file_row} not shown")


def test_model_passes_qt_model_tester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)


def test_every_row_has_status_in_words_and_the_reason_as_tooltip(model):
    assert model.rowCount() == 20
    short = _row_of(model, 11)
    assert model.index(short, STATUS).data() == "Needs attention"
    assert "too short" in model.index(short, NOTE).data()
    assert "too short" in model.index(short, STATUS).data(Qt.ItemDataRole.ToolTipRole)
    damaged = _row_of(model, 12)
    assert model.index(damaged, SENDS_TO).data() == ""  # never a guessed number
    assert "Excel" in model.index(damaged, NOTE).data()
    duplicate = _row_of(model, 15)
    assert model.index(duplicate, STATUS).data() == "Duplicate"
    ready = _row_of(model, 2)
    assert model.index(ready, STATUS).data() == "Ready"
    assert model.index(ready, SENDS_TO).data() == "+1 415 555 0132"
    assert model.index(ready, NAME).data() == "Maria Gonzalez"
    # Status in colour as well as words: ready and needs attention differ.
    ready_brush = model.index(ready, STATUS).data(Qt.ItemDataRole.ForegroundRole)
    short_brush = model.index(short, STATUS).data(Qt.ItemDataRole.ForegroundRole)
    assert ready_brush.color() != short_brush.color()


def test_only_the_phone_cell_is_editable(model):
    flags = model.flags(model.index(0, PHONE))
    assert flags & Qt.ItemFlag.ItemIsEditable
    for column in (ROW, STATUS, NAME, SENDS_TO, NOTE):
        assert not model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, NAME), "Bob")


def test_fixing_a_phone_revalidates_it_at_once_and_updates_counts(qtbot, model):
    short = _row_of(model, 11)
    assert model.rows.counts == {"ready": 16, "invalid": 3, "duplicate": 1, "excluded": 0}
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(model.index(short, PHONE), "+1 415 555 0190")
    assert model.index(short, STATUS).data() == "Ready"
    assert model.index(short, SENDS_TO).data() == "+1 415 555 0190"
    assert model.index(short, NOTE).data() == ""
    assert model.rows.counts == {"ready": 17, "invalid": 2, "duplicate": 1, "excluded": 0}


def test_fixing_the_first_of_two_equal_numbers_frees_the_duplicate(model):
    first, duplicate = _row_of(model, 2), _row_of(model, 15)
    assert model.setData(model.index(first, PHONE), "+1 415 555 0191")
    # Row 15 had the same number as row 2; now it is the only one with it.
    assert model.index(duplicate, STATUS).data() == "Ready"
    assert model.rows.counts["duplicate"] == 0


def test_a_wrong_fix_says_what_is_wrong(model):
    ready = _row_of(model, 3)
    assert model.setData(model.index(ready, PHONE), "12")
    assert model.index(ready, STATUS).data() == "Needs attention"
    assert model.index(ready, NOTE).data()


def test_attention_filter_shows_only_problem_rows(qtmodeltester, model, recipients):
    model.set_order(recipients.attention_indices())
    assert model.rowCount() == 4
    shown = {model.index(r, ROW).data() for r in range(model.rowCount())}
    assert shown == {"11", "12", "14", "15"}
    qtmodeltester.check(model, force_py=True)
    model.set_order(None)
    assert model.rowCount() == 20


def test_empty_model(qtmodeltester):
    model = ContactsTableModel()
    assert model.rowCount() == 0
    assert model.data(model.index(0, 0)) is None
    assert model.rowCount(QModelIndex()) == 0
    qtmodeltester.check(model, force_py=True)
