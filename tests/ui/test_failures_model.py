"""The failures table model: Qt's model tester, sorting, filtering, in-place phone fixes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from trackly_desktop.ui.failures_model import (
    CODE_COLUMN,
    PHONE_COLUMN,
    ROW_COLUMN,
    FailureLine,
    FailuresFilter,
    FailuresTableModel,
)


def _lines() -> list[FailureLine]:
    return [
        FailureLine(
            12, "Ana Ruiz", "+1 415 555 01", "The number is too short.", "invalid_phone", False, 11
        ),
        FailureLine(
            3,
            "Bo Chen",
            "+14155550199",
            "Mobile networks refused: VOIP number.",
            "not_sendable",
            False,
            2,
        ),
        FailureLine(
            101,
            "Cy Diaz",
            "+14155550123",
            "We could not tell whether it went out.",
            "uncertain",
            True,
            100,
        ),
    ]


def test_model_passes_qt_model_tester(qtmodeltester):
    model = FailuresTableModel()
    model.set_lines(_lines())
    qtmodeltester.check(model, force_py=True)
    proxy = FailuresFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)


def test_display_strings_and_headers():
    model = FailuresTableModel()
    model.set_lines(_lines())
    assert model.rowCount() == 3 and model.columnCount() == 5
    assert model.data(model.index(2, ROW_COLUMN)) == "101"
    assert model.data(model.index(0, CODE_COLUMN)) == "invalid_phone"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "What went wrong"
    tip = model.data(model.index(2, 3), Qt.ItemDataRole.ToolTipRole)
    assert "Retrying is safe" in tip


def test_sort_by_row_number_is_numeric_and_filter_matches_any_column():
    model = FailuresTableModel()
    model.set_lines(_lines())
    proxy = FailuresFilter()
    proxy.setSourceModel(model)
    proxy.sort(ROW_COLUMN, Qt.SortOrder.AscendingOrder)
    rows = [proxy.index(r, ROW_COLUMN).data() for r in range(proxy.rowCount())]
    assert rows == ["3", "12", "101"]  # numeric, not "101" < "12" < "3"
    proxy.setFilterFixedString("voip")
    assert proxy.rowCount() == 1
    assert proxy.index(0, 1).data() == "Bo Chen"
    proxy.setFilterFixedString("")
    proxy.set_only_retryable(True)
    assert [proxy.index(r, 1).data() for r in range(proxy.rowCount())] == ["Cy Diaz"]


def test_only_phone_is_editable_and_edit_is_announced(qtbot):
    model = FailuresTableModel()
    model.set_lines(_lines())
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, PHONE_COLUMN)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(model.phone_edited) as blocker:
        assert model.setData(model.index(0, PHONE_COLUMN), " +1 415 555 0100 ")
    assert blocker.args == [0, "+1 415 555 0100"]
    assert model.data(model.index(0, PHONE_COLUMN)) == "+1 415 555 0100"
    # Same text or blank: nothing to retry.
    assert not model.setData(model.index(0, PHONE_COLUMN), "+1 415 555 0100")
    assert not model.setData(model.index(0, PHONE_COLUMN), "  ")
    assert not model.setData(model.index(0, 1), "New name")
    # An unsure message may have gone out already: its number is not editable.
    assert not model.flags(model.index(2, PHONE_COLUMN)) & Qt.ItemFlag.ItemIsEditable
