"""A full sheet (1,048,576 rows, Excel's limit) through the Contacts step: it loads in the
background and the table scrolls from top to bottom without the GUI thread doing per-row work.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from trackly_desktop.ui.contacts_model import PHONE, ROW, STATUS
from trackly_desktop.ui.contacts_step import ContactsStep

ROWS = 1_048_576 - 1  # one header row plus data rows fill a sheet


def _write(path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("First Name,Mobile\n")
        for i in range(rows):
            phone = (
                "555-01"
                if i % 100_000 == 99_999
                else f"+1 212 {200 + (i // 10000) % 800} {i % 10000:04d}"
            )
            out.write(f"Person{i},{phone}\n")


@pytest.mark.slow
def test_a_million_rows_load_and_scroll_smoothly(qtbot, session, tmp_path):
    path = tmp_path / "full-sheet.csv"
    _write(path, ROWS)
    step = ContactsStep(session)
    qtbot.addWidget(step)
    step.resize(1000, 700)
    step.show()
    with qtbot.waitSignal(step.loaded, timeout=280_000):
        step.open_file(path)
    model, view = step.model, step.table_view
    assert model.rowCount() == ROWS
    assert model.index(ROWS - 1, ROW).data() == str(ROWS + 1)
    assert step.model.rows.counts["invalid"] == 10

    for target in (0, ROWS // 3, ROWS // 2, ROWS - 1, 0, ROWS - 1):
        view.scrollTo(model.index(target, 0))
        view.viewport().repaint()
        assert view.rowAt(view.viewport().height() // 2) >= 0  # rows on screen wherever it is
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()
    # How long a jump takes is not asserted: on a shared machine that is a figure to print
    # (tests/benchmarks/bench_gui_stall.py times the GUI thread over a million rows).

    # The last row can be fixed in place like any other.
    last = model.index(ROWS - 1, PHONE)
    assert model.setData(last, "+1 646 555 0199")
    assert model.index(ROWS - 1, STATUS).data() == "Ready"
    assert step.counts_label.accessibleName().startswith(f"{ROWS} rows")
    view.scrollTo(model.index(ROWS - 1, 0), view.ScrollHint.PositionAtBottom)
    assert Qt.ItemFlag.ItemIsEditable & model.flags(last)
