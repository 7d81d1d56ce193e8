"""The Message step on the operator's second day: saved messages and starters, the last
message back at the next start, plain characters, fields chosen in words from a 61-column
Outlook export, emoji edited as one character, and keys that never type by surprise."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from tests.unit.export_corpus import OUTLOOK_COM_HEADER
from trackly_desktop.core.messages.saved import STARTERS
from trackly_desktop.settings import Settings, load_settings
from trackly_desktop.ui.message_step import MessageStep
from trackly_desktop.ui.session import DEFAULT_TEMPLATE, Session


def _load(session: Session, path: Path) -> None:
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    table = read_table(path)
    mapping = suggest_mapping(table)
    session.set_table(table, path, None)
    session.set_mapping(mapping)
    session.set_recipients(build_recipients(table, mapping, "", "US"))


@pytest.fixture
def outlook_csv(tmp_path: Path) -> Path:
    """Three contacts as Outlook writes them: most of the 61 columns empty."""
    people = [
        {"First Name": "Maria", "Last Name": "Gonzalez", "Mobile Phone": "(415) 555-0132",
         "Company": "Gonzalez Bakery", "E-mail Address": "maria@example.com"},
        {"First Name": "James", "Last Name": "O'Brien", "Mobile Phone": "+1 212 555 1234",
         "E-mail Address": "james@example.com", "Birthday": "4/12/1980"},
        {"First Name": "", "Last Name": "Chen", "Mobile Phone": "415.555.0190"},
    ]  # fmt: skip
    path = tmp_path / "contacts.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTLOOK_COM_HEADER)
        writer.writeheader()
        writer.writerows(people)
    return path


@pytest.fixture
def make_step(qtbot, session, sample_csv):
    def make(path: Path | None = sample_csv, size=(1000, 640)) -> MessageStep:
        if path is not None:
            _load(session, path)
        step = MessageStep(session)
        qtbot.addWidget(step)
        step.resize(*size)
        step.show()
        step.on_enter()
        return step

    return make


def _set_text(step: MessageStep, text: str) -> None:
    step.editor.setPlainText(text)
    step.refresh()


# --- saved messages -------------------------------------------------------------------------
def test_save_reuse_rename_and_delete_a_message(qtbot, make_step, session):
    step = make_step()
    _set_text(step, "Hi {{first_name|there}}, your order {{Order}} is ready.")
    assert step.saved_button.save_as("Order ready", step.editor.toPlainText())
    _set_text(step, "Something else")
    # The menu offers it (with its field) above the starters; choosing it fills the editor.
    step.saved_button.menu_.aboutToShow.emit()
    names = [a.text() for a in step.saved_button.menu_.actions() if a.data()]
    assert names == ["Order ready", *[s.name for s in STARTERS]]
    mine = next(a for a in step.saved_button.menu_.actions() if a.data() == "Order ready")
    mine.trigger()
    assert step.editor.toPlainText() == "Hi {{first_name|there}}, your order {{Order}} is ready."
    assert step.editor.textCursor().position() == len(step.editor.toPlainText())
    step.editor.undo()  # the previous text is one Ctrl+Z away
    assert step.editor.toPlainText() == "Something else"

    manager = step.saved_button.open_manager()
    manager.rename("Order ready", "  Ready   to collect ")
    assert [m.name for m in step.saved_button.messages()] == ["Ready to collect"]
    manager.rename("Ready to collect", "")
    assert manager.status.text() == "Give the message a name, for example “Order ready”."
    step.saved_button.confirm = lambda _q: True
    manager.delete_selected()
    assert step.saved_button.messages() == []
    assert manager.status.text() == "“Ready to collect” deleted."
    manager.close()


def test_saved_messages_are_stored_with_the_settings(qtbot, make_step, session):
    step = make_step()
    step.saved_button.save_as("Reminder", "See you tomorrow, {{first_name|there}}.")
    qtbot.waitUntil(lambda: load_settings().saved_messages != [], timeout=5000)
    assert load_settings().saved_messages == [
        {"name": "Reminder", "text": "See you tomorrow, {{first_name|there}}."}
    ]


def test_export_and_import_saved_messages_as_a_small_file(qtbot, make_step, tmp_path):
    step = make_step()
    step.saved_button.save_as("Reminder", "See you tomorrow.")
    step.saved_button.save_as("Offer", "20% off. Reply STOP to opt out.")
    manager = step.saved_button.open_manager()
    exported = tmp_path / "shared" / "messages.json"
    manager.export_to(exported)
    assert manager.status.text() == f"Saved 2 messages to {exported}."
    assert exported.stat().st_size < 1000
    # On another computer (here: after deleting them), importing brings both back.
    step.saved_button.set_messages([])
    step.saved_button.save_as("Offer", "A different offer")
    manager.import_from(exported)
    assert manager.status.text() == "Added 2 messages from messages.json."
    assert [m.name for m in step.saved_button.messages()] == [
        "Offer", "Reminder", "Offer (imported)"
    ]  # fmt: skip
    not_ours = tmp_path / "notes.json"
    not_ours.write_text('{"hello": 1}', encoding="utf-8")
    manager.import_from(not_ours)
    assert manager.status.text() == (
        "“notes.json” is not a saved-messages file exported by Trackly Desktop."
    )
    manager.close()


def test_starters_are_useful_and_have_an_opt_out_line(make_step):
    step = make_step()
    assert [s.name for s in STARTERS] == ["Appointment reminder", "Order ready", "Special offer"]
    offer = STARTERS[2].text
    assert offer.endswith("Reply STOP to opt out.")
    step.use_message(offer)
    step.refresh()
    assert step.is_complete()
    assert not step.opt_out_label.isVisible()


def test_the_last_message_comes_back_at_the_next_start():
    first = Session(Settings(default_country="US"), None)
    assert first.template_text == DEFAULT_TEMPLATE
    first.set_template_text("Your table is ready, {{first_name|friend}}.")
    assert first.settings.last_message == "Your table is ready, {{first_name|friend}}."
    first.save_settings()
    again = Session(load_settings(), None)
    assert again.template_text == "Your table is ready, {{first_name|friend}}."


# --- plain characters -----------------------------------------------------------------------
def test_use_plain_characters_names_them_and_shows_the_saving(qtbot, make_step, session):
    session.settings.price_per_part = "0.01"
    session.settings.currency = "USD"
    step = make_step()
    # 95 characters with a curly apostrophe and a long dash: 2 special-character parts.
    text = "We\u2019re open late tonight \u2014 come by for your order." + " See you." * 5
    _set_text(step, text)
    assert step.plain_button.isVisible()
    assert step.plain_label.text() == (
        "Plain characters instead of \u2019 \u2014 would make this message 1 part instead "
        "of 2 (about $0.16 less for 16 people)."
    )
    qtbot.mouseClick(step.plain_button, Qt.MouseButton.LeftButton)
    step.refresh()
    assert step.editor.toPlainText().startswith("We're open late tonight - come by")
    assert not step.plain_button.isVisible()
    assert "standard characters, 1 part" in step.count_label.text()


def test_no_plain_characters_offer_where_it_would_save_nothing(make_step):
    step = make_step()
    # The emoji keeps the message special whatever happens to the dash.
    _set_text(step, "Party tonight \U0001f389 \u2014 don\u2019t miss it" + " ok" * 30)
    assert step.count_label.text().startswith("This message: ")
    assert not step.plain_button.isVisible()
    _set_text(step, "Short \u2014 one part either way")
    assert not step.plain_button.isVisible()


# --- fields -------------------------------------------------------------------------------
def test_outlook_export_fields_filled_first_searchable_and_inside_1024x700(
    qtbot, make_step, outlook_csv
):
    assert len(OUTLOOK_COM_HEADER) == 61
    step = make_step(outlook_csv, size=(1024, 640))
    buttons = [
        step.fields_layout.itemAt(i).widget().text() for i in range(1, step.fields_layout.count())
    ]
    # Named roles, then columns that have values; the other 50-odd are behind "All fields".
    assert buttons == ["First name", "Last name", "E-mail Address", "Company", "Birthday",
                       "A&ll fields (60)…"]  # fmt: skip
    more = step.fields_box.findChild(type(step.plain_button), "allFieldsButton")
    qtbot.mouseClick(more, Qt.MouseButton.LeftButton)
    picker = step.picker
    qtbot.waitUntil(picker.isVisible)
    qtbot.waitUntil(picker.search.hasFocus)
    shown = [picker.list.item(i).text() for i in range(5)]
    assert shown[2].startswith("E-mail Address") and "e.g. maria@example.com" in shown[2]
    assert picker.list.item(picker.list.count() - 1).text().endswith("(empty in this file)")
    geometry = picker.frameGeometry()
    assert geometry.height() <= 700 and geometry.width() <= 1024
    qtbot.keyClicks(picker.search, "compa")
    visible = [picker.list.item(i).text().split("  ")[0] for i in range(picker.list.count())
               if not picker.list.item(i).isHidden()]  # fmt: skip
    assert visible == ["Company", "Company Main Phone", "Company Yomi"]
    assert picker.fallback_label.text() == "When a person's <b>Company</b> is empty, write:"
    picker.fallback.setText("your company")
    qtbot.mouseClick(picker.insert_button, Qt.MouseButton.LeftButton)
    assert step.editor.toPlainText().endswith("{{Company|your company}}")


def _hover(editor, cursor) -> None:
    point = editor.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, editor.viewport().mapToGlobal(point))
    QApplication.sendEvent(editor.viewport(), event)


def test_hovering_a_field_explains_it_in_words(qtbot, make_step):
    step = make_step()
    _set_text(step, "Hi {{first_name|there}}, bye")
    editor = step.editor
    cursor = editor.textCursor()
    cursor.setPosition(8)  # inside the field
    _hover(editor, cursor)
    assert editor.shown_tip == "Replaced by each person's first name. When it is empty: “there”."
    cursor.setPosition(len("Hi {{first_name|there}}, b"))
    _hover(editor, cursor)
    assert editor.shown_tip == ""


# --- emoji and keys ---------------------------------------------------------------------------
def _formats_with_background(editor) -> list[tuple[int, int]]:
    block = editor.document().firstBlock()
    return [
        (r.start, r.length)
        for r in block.layout().formats()
        if r.format.background().style() != Qt.BrushStyle.NoBrush
    ]


def test_special_character_mark_lands_on_the_right_character_after_emoji(qtbot, make_step):
    step = make_step()
    # Two emoji (two UTF-16 units each) before the dash: the mark must cover the dash.
    text = "\U0001f389\U0001f382 Party \u2014 today"
    _set_text(step, text)
    marked = _formats_with_background(step.editor)
    dash_unit = len(text[: text.index("\u2014")].encode("utf-16-le")) // 2
    assert (dash_unit, 1) in marked
    assert (0, 4) in marked  # both emoji marked whole (Qt joins the two ranges)
    # The unknown-field underline also lands on the field, not next to it.
    _set_text(step, "\U0001f389 {{nope}} x")
    block = step.editor.document().firstBlock()
    underlined = [
        (r.start, r.length)
        for r in block.layout().formats()
        if r.format.underlineStyle() != r.format.UnderlineStyle.NoUnderline
    ]
    assert underlined == [(3, 8)]


@pytest.mark.parametrize(
    "emoji",
    ["\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f44d\U0001f3fd", "\U0001f1ec\U0001f1e7",
     "\U0001f600"],
    ids=["family", "skin-tone", "flag", "plain"],
)  # fmt: skip
def test_backspace_and_delete_remove_an_emoji_whole(qtbot, make_step, emoji):
    step = make_step()
    editor = step.editor
    _set_text(step, f"ab{emoji}cd")
    cursor = editor.textCursor()
    cursor.setPosition(2 + len(emoji.encode("utf-16-le")) // 2)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == "abcd"
    _set_text(step, f"ab{emoji}cd")
    cursor.setPosition(2)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.toPlainText() == "abcd"


def test_alt_letter_never_types_into_the_editor(qtbot, make_step):
    step = make_step()
    _set_text(step, "Hello")
    step.editor.move_cursor_to_end()
    step.plain_button.setEnabled(False)
    qtbot.keyClick(step.editor, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(step.editor, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    assert step.editor.toPlainText() == "Hello"
    qtbot.keyClick(step.editor, Qt.Key.Key_X)
    assert step.editor.toPlainText() == "Hellox"


def test_arriving_on_the_step_puts_the_cursor_at_the_end(qtbot, make_step):
    step = make_step()
    _set_text(step, "Hi {{first_name|there}}, see you soon")
    cursor = step.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    step.editor.setTextCursor(cursor)
    step.on_enter()
    assert step.editor.textCursor().position() == len(step.editor.toPlainText())




def test_no_jargon_left_in_the_advanced_switches(make_step):
    step = make_step()
    labels = [box.text() for box in step.advanced.boxes.values()]
    assert "Skip the journey check" not in labels
    journey = step.advanced.boxes["skip_journey_check"]
    assert journey.text() == "Text people even while an automated Trackly journey is texting them"
    assert journey.toolTip().startswith("A journey is a series of texts Trackly sends on its own")
