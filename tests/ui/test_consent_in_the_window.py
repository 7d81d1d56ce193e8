"""Consent and the do-not-text list in the window: words and colour on Contacts, the
one-click choice for empty consent cells, "Don't text this person again", and a number
put on the list by `trackly optouts add` in another process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

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
    assert brush.color() == QColor("#6a1b9a")  # excluded, light scheme
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


def test_review_lists_the_excluded_apart_and_can_stop_one_more(qtbot, session):
    from PySide6.QtCore import Qt

    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients
    from trackly_desktop.ui.review_step import ReviewStep

    table = read_table(SHOPIFY)
    mapping = suggest_mapping(table)
    session.set_table(table, SHOPIFY, None)
    session.set_mapping(mapping)
    session.set_recipients(build_recipients(table, mapping, "", "US"))
    session.set_template_text("Hi {{first_name|there}}, new stock is in. Reply STOP to opt out.")
    step = ReviewStep(session)
    qtbot.addWidget(step)
    step.resize(1100, 600)
    step.show()
    with qtbot.waitSignal(step.ready, timeout=60000):
        step.on_enter()
    wont = step.wont_send
    unrecorded = "No consent to texts recorded (column Accepts SMS Marketing)"
    shown = [
        (wont.index(r, 1).data(), wont.index(r, 3).data(), wont.index(r, 4).data())
        for r in range(wont.rowCount())
    ]
    assert shown == [
        ("Bob Stone", "Won't be texted", "Said no to texts (column Accepts SMS Marketing)"),
        ("Di Prince", "Won't be texted", "Said no to texts (column Accepts SMS Marketing)"),
        ("Ed Wood", "Won't be texted", unrecorded),
    ]  # fmt: skip
    colour = wont.index(0, 3).data(Qt.ItemDataRole.ForegroundRole).color()
    assert colour == QColor("#6a1b9a")  # excluded, light scheme
    assert "3 rows will not get one (see the second tab): 3 people may not be texted" in (
        step.totals.text()
    )
    will = step.will_send
    assert [will.index(r, 1).data() for r in range(will.rowCount())] == [
        "Ada Lovelace", "Cy Young", "Flo Jo",
    ]  # fmt: skip
    step.will_view.selectRow(1)
    [action] = [a for a in step.will_view.actions() if a.objectName() == "dontTextAgain"]
    with qtbot.waitSignal(step.ready, timeout=60000):
        action.trigger()
    assert [will.index(r, 1).data() for r in range(will.rowCount())] == ["Ada Lovelace", "Flo Jo"]
    assert (wont.index(1, 1).data(), wont.index(1, 4).data()) == (
        "Cy Young",
        "On your do-not-text list",
    )
    step.tabs.setCurrentIndex(1)
    step.grab().save("/tmp/c/review.png")


def test_the_operator_can_say_which_way_round_the_consent_column_reads(qtbot, step, session):
    box = step.polarity_box
    assert box.isVisible() and box.currentData() == "opt_in"
    with qtbot.waitSignal(step.loaded, timeout=60000):
        box.setCurrentIndex(1)
        box.activated.emit(1)
    assert session.mapping.consent_column.polarity == "opt_out"
    assert step.consent_label.text().startswith("Accepts SMS Marketing: rows marked yes")
    # Read the other way round, the "yes" rows are the ones left out.
    assert _column(step, STATUS) == [
        "Won't be texted", "Ready", "Won't be texted", "Ready", "Ready", "Won't be texted",
    ]  # fmt: skip
