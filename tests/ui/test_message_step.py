"""The Message step: insert fields, live preview, counts, special characters, reminders."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from trackly_desktop.ui.message_step import MessageStep, has_opt_out_wording


@pytest.fixture
def loaded_session(session, sample_csv):
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    table = read_table(sample_csv)
    mapping = suggest_mapping(table)
    session.set_table(table, sample_csv, None)
    session.set_mapping(mapping)
    session.set_recipients(build_recipients(table, mapping, "", "US"))
    return session


@pytest.fixture
def step(qtbot, loaded_session):
    widget = MessageStep(loaded_session)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    widget.on_enter()
    return widget


def _type(qtbot, step, text: str) -> None:
    step.editor.clear()
    if text.isascii():
        qtbot.keyClicks(step.editor, text)
    else:  # QtTest can only type ASCII keys; paste the rest as a keyboard layout would
        step.editor.insertPlainText(text)
    step.refresh()  # what the debounce timer does 120 ms later


def _insert(qtbot, step, name: str, fallback: str | None = None) -> None:
    """Click a field's button, answer the "when it is empty" question, press Insert."""
    button = step.fields_box.findChild(type(step.opt_out_button), f"insert_{name}")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    picker = step.picker
    qtbot.waitUntil(picker.isVisible)
    qtbot.waitUntil(picker.fallback.hasFocus)  # the question is what the operator answers
    if fallback is not None:
        picker.fallback.setText(fallback)
    qtbot.mouseClick(picker.insert_button, Qt.MouseButton.LeftButton)


def test_insert_field_buttons_for_mapped_and_other_columns(step):
    names = [
        step.fields_layout.itemAt(i).widget().text() for i in range(1, step.fields_layout.count())
    ]
    assert names == ["First name", "Last name", "Pickup Day", "Order"]


def test_typing_and_inserting_fields_shows_the_preview_for_a_contact(qtbot, step, loaded_session):
    _type(qtbot, step, "Hi ")
    _insert(qtbot, step, "first_name")  # keeps the suggested "there"
    qtbot.keyClicks(step.editor, ", order ")
    _insert(qtbot, step, "Order")  # nothing when empty
    qtbot.keyClicks(step.editor, " is ready.")
    step.refresh()
    assert step.editor.toPlainText() == "Hi {{first_name|there}}, order {{Order}} is ready."
    assert loaded_session.template_text == step.editor.toPlainText()
    assert step.bubble.text() == "Hi Maria, order A-1041 is ready."
    assert step.who_label.text() == "To Maria Gonzalez"
    assert step.contact_spin.value() == 2  # the spreadsheet's row
    assert step.of_label.text() == "contact 1 of 20"
    # Next contact, by button and by typing a number.
    qtbot.mouseClick(step.next_contact_button, Qt.MouseButton.LeftButton)
    assert step.bubble.text() == "Hi James, order A-1042 is ready."
    step.contact_spin.setValue(11)  # row 11 of the spreadsheet
    assert step.bubble.text() == "Hi Noah, order A-1050 is ready."
    assert step.of_label.text() == "contact 10 of 20"
    qtbot.mouseClick(step.prev_button, Qt.MouseButton.LeftButton)
    assert step.bubble.text().startswith("Hi Chloé")
    assert step.is_complete()


def test_counts_standard_characters_and_parts(qtbot, step):
    _type(qtbot, step, "x" * 161)
    assert "161 characters, standard characters, 2 parts" in step.count_label.text()
    assert step.count_label.toolTip().startswith("Encoding: GSM-7")


def test_special_characters_are_named_and_highlighted(qtbot, step):
    _type(qtbot, step, "See you soon ☺ thanks")
    assert "special characters" in step.count_label.text()
    assert "☺" in step.count_label.text()
    assert step.count_label.toolTip().startswith("Encoding: UCS-2")
    block = step.editor.document().firstBlock()
    formats = block.layout().formats()
    position = step.editor.toPlainText().index("☺")
    assert any(
        f.start <= position < f.start + f.length and f.format.background().color().alpha()
        for f in formats
    )


def test_unknown_field_is_marked_and_blocks_going_on(qtbot, step):
    _type(qtbot, step, "Hi {{nickname}}!")
    assert step.problem_label.isVisible()
    assert "nickname" in step.problem_label.text()
    assert not step.is_complete()
    formats = step.editor.document().firstBlock().layout().formats()
    underlined = [
        f for f in formats if f.format.underlineStyle() != f.format.underlineStyle().NoUnderline
    ]
    assert underlined and underlined[0].start == 3
    # The rest of the message still previews; the faulty part stays as typed.
    _type(qtbot, step, "Hi {{first_name}}, {{nickname}} and {{Order}}")
    assert step.bubble.text() == "Hi Maria, {{nickname}} and A-1041"


def test_opt_out_reminder_and_add_it(qtbot, step):
    _type(qtbot, step, "Your order is ready.")
    assert step.opt_out_label.isVisible()
    qtbot.mouseClick(step.opt_out_button, Qt.MouseButton.LeftButton)
    step.refresh()
    assert step.editor.toPlainText() == "Your order is ready. Reply STOP to opt out."
    assert not step.opt_out_label.isVisible()


def test_opt_out_wording_detection():
    assert has_opt_out_wording("Reply STOP to opt out")
    assert has_opt_out_wording("text stop to end")
    assert has_opt_out_wording("Unsubscribe: reply 0")
    assert not has_opt_out_wording("Don't stop believing".replace("stop", "halt"))
    assert not has_opt_out_wording("Your order is ready")


def test_wrap_links_and_advanced_flags_reach_the_session(qtbot, step, loaded_session):
    qtbot.mouseClick(step.wrap_links, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert loaded_session.send_options.wrap_links
    assert not step.advanced.body.isVisible()  # collapsed until asked
    qtbot.mouseClick(step.advanced.toggle, Qt.MouseButton.LeftButton)
    assert step.advanced.body.isVisible()
    box = step.advanced.boxes["skip_contact_validation"]
    assert "unsubscribed" in box.text()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    options = loaded_session.send_options
    # Raw sends cannot track links, so the link choice is set aside while a switch is on.
    assert options.skip_contact_validation and options.uses_raw and not options.wrap_links


def test_without_a_spreadsheet_the_step_is_not_complete(qtbot, session):
    widget = MessageStep(session)
    qtbot.addWidget(widget)
    widget.editor.setPlainText("Hello")
    widget.refresh()
    assert not widget.is_complete()
    assert widget.hint_text() == "Open a spreadsheet first."


def test_preview_follows_typing_on_its_own(qtbot, step):
    step.editor.clear()
    qtbot.keyClicks(step.editor, "Hello {{first_name}}")
    qtbot.waitUntil(lambda: step.bubble.text() == "Hello Maria", timeout=3000)


def test_preview_around_unbalanced_braces():
    from trackly_desktop.core.messages.templates import find_template_problems
    from trackly_desktop.ui.message_step import render_around_problems

    fields = ["First Name", "Order"]
    values = {"First Name": "Maria", "Order": "A-1", "first_name": "Maria"}
    for text, expected in [
        ("Hi {{first_name}} {{Order", "Hi Maria {{Order"),
        ("Hi }} {{Order}}", "Hi }} A-1"),
        ("{{}} {{first_name}}", "{{}} Maria"),
        ("Plain text", "Plain text"),
    ]:
        problems = find_template_problems(text, fields)
        assert render_around_problems(text, problems, fields, values) == expected, text


def test_type_a_spreadsheet_row_number_to_preview_it(qtbot, step):
    _type(qtbot, step, "Hi {{first_name}} ({{Order}})")
    spin = step.contact_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "17")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert step.bubble.text() == "Hi Elena (A-1056)"
    assert step.of_label.text() == "contact 16 of 20"


def test_advanced_switches_make_link_tracking_unavailable_and_give_it_back(
    qtbot, step, loaded_session
):
    qtbot.mouseClick(step.wrap_links, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert loaded_session.get_send_options().wrap_links
    qtbot.mouseClick(step.advanced.toggle, Qt.MouseButton.LeftButton)
    switch = step.advanced.boxes["skip_rate_limit"]
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    options = loaded_session.get_send_options()
    # Raw sends cannot track links: the choice is shown off and greyed, never sent half-done.
    assert options.skip_rate_limit and not options.wrap_links
    options.check_compatible()
    assert not step.wrap_links.isEnabled() and not step.wrap_links.isChecked()
    assert "not available" in step.wrap_links.text()
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    # Switching back restores what the operator had chosen.
    assert step.wrap_links.isEnabled() and step.wrap_links.isChecked()
    assert loaded_session.get_send_options().wrap_links


def test_an_unmapped_first_name_column_is_not_used_by_the_preview(qtbot, session, tmp_path):
    """Reproduced bug: only Phone mapped, the preview said "Hi Ada" and "Hi there" was sent."""
    from trackly_desktop.core.contacts.mapping import ColumnMapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    source = tmp_path / "people.csv"
    source.write_text("Phone,First Name\n+12025550101,Ada\n", encoding="utf-8")
    table = read_table(source)
    mapping = ColumnMapping(phone="Phone")
    session.set_table(table, source, None)
    session.set_mapping(mapping)
    session.set_recipients(build_recipients(table, mapping, "", "US"))
    widget = MessageStep(session)
    qtbot.addWidget(widget)
    widget.show()
    widget.on_enter()
    _type(qtbot, widget, "Hi {{first_name|there}}")
    sent = build_recipients(table, mapping, "Hi {{first_name|there}}", "US").body[0]
    assert sent == "Hi there"
    assert widget.bubble.text() == "Hi there"
    assert widget.who_label.text() == "To this contact"
    # Mapping the column makes both say the name.
    session.set_mapping(mapping.with_role("first_name", "First Name"))
    widget.refresh()
    assert widget.bubble.text() == "Hi Ada"


def test_the_preview_bubble_stays_phone_wide_on_a_wide_window(qtbot, step):
    # At 1920x1080 the bubble ran across the whole preview as one long line.
    step.resize(1900, 900)
    step.editor.setPlainText("Hi {{first_name|there}}, your order is ready. " * 3)
    qtbot.waitUntil(lambda: step.bubble.text().startswith("Hi Maria, your order"))
    box = step.findChild(QWidget, "previewBox")
    lines = step.bubble.fontMetrics().height()
    # Once the wide layout is in place (layouts settle late on a loaded machine): narrow,
    # and the whole message still there, wrapped over more lines.
    qtbot.waitUntil(
        lambda: box.width() > 600
        and 0 < step.bubble.width() < box.width() / 2
        and step.bubble.height() > 3 * lines
    )
    characters = step.bubble.width() / step.bubble.fontMetrics().averageCharWidth()
    assert 35 <= characters <= 50  # a phone's bubble, about 40 characters
