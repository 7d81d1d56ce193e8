"""Consent and the do-not-text list in the window: words and colour on Contacts, the
one-click choice for empty consent cells, "Don't text this person again", and a number
put on the list by `trackly optouts add` in another process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trackly_desktop.ui import theme
from trackly_desktop.ui.contacts_model import NOTE, PHONE, STATUS
from trackly_desktop.ui.contacts_step import ContactsStep

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "consent"
SHOPIFY = FIXTURES / "shopify_customers_export.csv"


@pytest.fixture
def step(qtbot, session):
    widget = ContactsStep(session)
    qtbot.addWidget(widget)
    widget.resize(1200, 640)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=60000):
        widget.open_file(SHOPIFY)
    return widget


def _column(step, column: int, role=None) -> list:
    model = step.model
    return [model.index(r, column).data(role) if role else model.index(r, column).data()
            for r in range(model.rowCount())]  # fmt: skip


def test_excluded_rows_in_words_and_colour(step):
    assert _column(step, STATUS) == [
        "Ready", "Won't be texted", "Ready", "Won't be texted", "Won't be texted", "Ready",
    ]  # fmt: skip
    notes = _column(step, NOTE)
    assert notes[1] == "Said no to texts (column Accepts SMS Marketing)"
    assert notes[4] == "No consent to texts recorded (column Accepts SMS Marketing)"
    from PySide6.QtCore import Qt

    brush = step.model.index(1, STATUS).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == theme.EXCLUDED_COLOUR
    assert "<b>3</b> won't be texted" in step.counts_label.text()
    assert step.counts_label.accessibleName().endswith("0 duplicate, 3 won't be texted")
    assert step.consent_label.text().startswith(
        "Accepts SMS Marketing: rows with “no” will not be texted"
    )
    assert step.mapping_panel.boxes["consent"].currentText() == "Accepts SMS Marketing"
    assert step.hint_text() == "3 people can get a message."


def test_one_click_includes_the_empty_consent_cells(qtbot, step, session):
    box = step.table_panel.include_unrecorded
    assert box.isVisible()
    assert box.text() == (
        "Also text the 1 person with no consent recorded (empty “Accepts SMS Marketing”)"
    )
    with qtbot.waitSignal(step.loaded, timeout=60000):
        box.click()
    assert session.include_unrecorded_consent
    assert _column(step, STATUS)[4] == "Ready"
    assert step.table_panel.include_unrecorded.isChecked()
    assert session.recipients.summary().ready == 4


def test_dont_text_this_person_again(qtbot, step, session):
    view = step.table_view
    view.selectRow(0)
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.table_panel.dont_text_action.trigger()
    assert _column(step, STATUS)[0] == "Won't be texted"
    assert _column(step, NOTE)[0] == "On your do-not-text list"
    from trackly_desktop.core.audience.do_not_text import DoNotTextList

    with DoNotTextList(session.do_not_text_path()) as dnt:
        [entry] = dnt.entries()
    assert (entry.phone, entry.source) == ("+12025550101", "operator")
    # A new file with that number: excluded there too.
    other = step.session.source_path.with_name("other.csv")
    other.write_text("Phone,Name\n202-555-0101,Ada again\n202-555-0199,Zed\n", encoding="utf-8")
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.open_file(other)
    assert _column(step, STATUS) == ["Won't be texted", "Ready"]


def test_a_number_added_by_another_process_is_excluded_by_the_window(qtbot, step):
    assert _column(step, PHONE)[2] == "'+12025550103"
    assert _column(step, STATUS)[2] == "Ready"
    done = subprocess.run(
        [sys.executable, "-m", "trackly_desktop.cli", "optouts", "add", "+1 202 555 0103"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with qtbot.waitSignal(step.loaded, timeout=60000):
        step.recheck()  # what any new check does: open, remap, change the country
    assert _column(step, STATUS)[2] == "Won't be texted"
    assert _column(step, NOTE)[2] == "On your do-not-text list"
