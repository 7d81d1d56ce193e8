"""Step 2, Message: write the text, insert fields, see it exactly as one person will get it.

Only the previewed contact's message is rendered here (one row, instantly); every row's
message is rendered in the background when the Review step opens.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trackly_desktop.core.contacts.mapping import PLACE_ROLES
from trackly_desktop.core.contacts.names import full_name
from trackly_desktop.core.errors import TemplateError
from trackly_desktop.core.messages.cost import format_money, plain_characters, plain_saving
from trackly_desktop.core.messages.segments import measure
from trackly_desktop.core.messages.templates import find_template_problems, parse_template
from trackly_desktop.ui import theme
from trackly_desktop.ui.advanced_options import AdvancedOptions
from trackly_desktop.ui.field_picker import FieldPicker, field_choices
from trackly_desktop.ui.flow_layout import FlowLayout
from trackly_desktop.ui.message_editor import MessageEditor
from trackly_desktop.ui.saved_messages import SavedMessagesButton
from trackly_desktop.ui.session import Session
from trackly_desktop.ui.step_page import StepPage

# "Reply STOP", "text STOP to opt out", "unsubscribe"... in any case.
_OPT_OUT = re.compile(r"\b(stop|unsubscribe|opt[\s-]?out)\b", re.IGNORECASE)
OPT_OUT_SENTENCE = "Reply STOP to opt out."
WRAP_LINKS_LABEL = "&Shorten and track links"
WRAP_LINKS_TIP = "Trackly replaces each web address with a short link and counts who opened it."
WRAP_LINKS_UNAVAILABLE_LABEL = "&Shorten and track links (not available with the Advanced switches)"
WRAP_LINKS_UNAVAILABLE_TIP = (
    "Messages sent with an Advanced switch on go out exactly as written: Trackly cannot "
    "shorten or track their links. Turn the switches off to track links."
)
ROLE_BUTTONS = {"first_name": "First name", "last_name": "Last name"}
FIELD_BUTTONS = 6  # fields offered as buttons; the rest are one click away in "All fields…"
BUBBLE_CHARS = 46  # the preview bubble's widest, in average characters (padding included)


def has_opt_out_wording(text: str) -> bool:
    return _OPT_OUT.search(text) is not None


def render_around_problems(
    text: str,
    problems: list[Any],
    fields: list[str],
    values: dict[str, str],
    roles: dict[str, str] | None = None,
) -> str:
    """The message for one contact, with any faulty part left exactly as typed.

    Each problem span is swapped for a brace-free token, the rest is rendered by the core
    (the same rendering as Review, `trackly check` and the send; `roles` is the mapping),
    and the tokens are put back, so one typo does not hide the whole preview.
    """
    spans = sorted((p.position, p.position + p.length) for p in problems)
    pieces, kept, last = [], [], 0
    for number, (start, end) in enumerate(spans):
        if start < last:
            continue  # overlapping spans: the first one already covers it
        pieces.append(text[last:start])
        pieces.append(f"\x00{number}\x00")
        kept.append((f"\x00{number}\x00", text[start:end]))
        last = end
    pieces.append(text[last:])
    try:
        body = parse_template("".join(pieces), fields).render(values, roles)
    except TemplateError:
        return text
    for token, original in kept:
        body = body.replace(token, original)
    return body


class MessageStep(StepPage):
    step_title = "Message"
    next_text = "&Next: review ›"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._preview_index = 0
        self._ready_for: Any = None  # the recipients `_ready` was counted for
        self._ready = 0
        self._build()
        self.editor.setPlainText(session.template_text)
        self._refresh_timer = QTimer(self, singleShot=True, interval=120)
        self._refresh_timer.timeout.connect(self.refresh)
        self.editor.textChanged.connect(self._refresh_timer.start)
        session.mapping_changed.connect(self._fields_changed)
        session.source_changed.connect(self._fields_changed)
        self._fields_changed()

    # --- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(18)

        left = QVBoxLayout()
        heading = QLabel("<b>Your message</b>")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        left.addLayout(top)
        self.fields_box = QWidget()
        self.fields_box.setObjectName("insertFields")
        self.fields_layout = FlowLayout(self.fields_box, spacing=6)
        left.addWidget(self.fields_box)
        self.editor = MessageEditor()
        heading.setBuddy(self.editor)
        self.saved_button = SavedMessagesButton(self.session, self.editor.toPlainText)
        self.saved_button.chosen.connect(self.use_message)
        top.addWidget(self.saved_button)
        self.editor.setMaximumHeight(260)
        left.addWidget(self.editor)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        left.addWidget(self.count_label)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        theme.show_in_colour(self.problem_label, "attention")
        left.addWidget(self.problem_label)
        plain_row = QHBoxLayout()
        self.plain_label = QLabel()
        self.plain_label.setObjectName("plainLabel")
        self.plain_label.setWordWrap(True)
        self.plain_button = QPushButton("Use &plain characters")
        self.plain_button.setObjectName("plainButton")
        self.plain_button.setToolTip(
            "Swap curly quotes, long dashes and “…” for their plain look-alikes, "
            "so each part holds 160 characters instead of 70."
        )
        self.plain_button.clicked.connect(self.use_plain_characters)
        plain_row.addWidget(self.plain_label, 1)
        plain_row.addWidget(self.plain_button)
        left.addLayout(plain_row)
        reminder = QHBoxLayout()
        self.opt_out_label = QLabel(
            "Tip: people expect a way to stop these texts, for example “Reply STOP to opt out”."
        )
        self.opt_out_label.setObjectName("optOutReminder")
        self.opt_out_label.setWordWrap(True)
        self.opt_out_button = QPushButton("&Add it")
        self.opt_out_button.setAccessibleName("Add Reply STOP to opt out")
        self.opt_out_button.clicked.connect(lambda: self.editor.append_sentence(OPT_OUT_SENTENCE))
        reminder.addWidget(self.opt_out_label, 1)
        reminder.addWidget(self.opt_out_button)
        left.addLayout(reminder)
        self.wrap_links = QCheckBox(WRAP_LINKS_LABEL)
        self.wrap_links.setObjectName("wrapLinks")
        self.wrap_links.setToolTip(WRAP_LINKS_TIP)
        self.wrap_links.toggled.connect(self._options_changed)
        # What the operator chose, kept while an advanced switch makes tracking unavailable.
        self._wrap_wanted = False
        left.addWidget(self.wrap_links)
        self.advanced = AdvancedOptions()
        self.advanced.changed.connect(self._options_changed)
        left.addWidget(self.advanced)
        left.addStretch(1)
        outer.addLayout(left, 3)

        right = QGroupBox("Preview")
        right.setObjectName("previewBox")
        column = QVBoxLayout(right)
        chooser = QHBoxLayout()
        self.prev_button = QPushButton("‹")
        self.prev_button.setAccessibleName("Previous contact")
        self.prev_button.setFixedWidth(32)
        self.prev_button.clicked.connect(lambda: self.show_contact(self._preview_index - 1))
        self.contact_spin = QSpinBox()
        self.contact_spin.setObjectName("previewContact")
        self.contact_spin.setAccessibleName("Spreadsheet row to preview")
        self.contact_spin.setToolTip("Type a row number of your spreadsheet to preview it.")
        self.contact_spin.setPrefix("Row ")
        self.contact_spin.setMinimum(1)
        self.contact_spin.valueChanged.connect(self._row_typed)
        self.of_label = QLabel()
        self.next_contact_button = QPushButton("›")
        self.next_contact_button.setAccessibleName("Next contact")
        self.next_contact_button.setFixedWidth(32)
        self.next_contact_button.clicked.connect(lambda: self.show_contact(self._preview_index + 1))
        chooser.addWidget(self.prev_button)
        chooser.addWidget(self.contact_spin)
        chooser.addWidget(self.of_label)
        chooser.addWidget(self.next_contact_button)
        chooser.addStretch(1)
        column.addLayout(chooser)
        self.who_label = QLabel()
        self.who_label.setObjectName("previewWho")
        column.addWidget(self.who_label)
        self.bubble = QLabel()
        self.bubble.setObjectName("previewBubble")
        self.bubble.setAccessibleName("Preview of the message")
        self.bubble.setWordWrap(True)
        self.bubble.setTextFormat(Qt.TextFormat.PlainText)
        self.bubble.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bubble.setStyleSheet(
            "QLabel#previewBubble { background: #dcf3e4; color: #111; border-radius: 14px;"
            " padding: 10px 12px; }"
        )
        # As wide as a phone's bubble (about 40 characters), not the whole preview: on a
        # wide window one long line did not look like what the person receives.
        self.bubble.setMaximumWidth(self.bubble.fontMetrics().averageCharWidth() * BUBBLE_CHARS)
        column.addWidget(self.bubble)
        self.preview_count = QLabel()
        self.preview_count.setObjectName("previewCount")
        column.addWidget(self.preview_count)
        column.addStretch(1)
        outer.addWidget(right, 2)

    # --- state ----------------------------------------------------------------------------
    def fields(self) -> list[str]:
        return list(self.session.table.columns) if self.session.table is not None else []

    def _fields_changed(self) -> None:
        while self.fields_layout.count():
            item = self.fields_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        label = QLabel("Insert field:")
        self.fields_layout.addWidget(label)
        mapping = self.session.mapping
        chosen = mapping.as_dict() if mapping is not None else {}
        # A state or ZIP column places people for quiet hours and stays a field.
        chosen = {role: column for role, column in chosen.items() if role not in PLACE_ROLES}
        self.choices = field_choices(self.session.table, chosen, ROLE_BUTTONS)
        for choice in self.choices[:FIELD_BUTTONS]:
            if not choice.filled and choice.name not in ROLE_BUTTONS:
                break  # empty columns only through "All fields…"
            button = QPushButton(choice.label)
            button.setObjectName(f"insert_{choice.name}")
            button.setAccessibleName(f"Insert field {choice.label}")
            button.setToolTip(f"Puts each person's {choice.label} in the message.")
            button.clicked.connect(lambda _c=False, n=choice.name: self.pick_field(n))
            self.fields_layout.addWidget(button)
        if len(self.choices) > FIELD_BUTTONS or any(not c.filled for c in self.choices):
            more = QPushButton(f"A&ll fields ({len(self.choices)})…")
            more.setObjectName("allFieldsButton")
            more.setToolTip("Search every column of your spreadsheet")
            more.clicked.connect(lambda: self.pick_field(None))
            self.fields_layout.addWidget(more)
        count = len(self.session.table) if self.session.table is not None else 0
        self.contact_spin.blockSignals(True)
        if count:
            numbers = self.session.table.row_numbers
            self.contact_spin.setRange(int(numbers[0]), int(numbers[-1]))
        self.contact_spin.blockSignals(False)
        self._preview_index = min(self._preview_index, max(0, count - 1))
        self._show_position()
        self.refresh()

    def _options_changed(self, *_args: object) -> None:
        from trackly_desktop.core.campaign.spec import SendOptions  # noqa: PLC0415

        flags = self.advanced.flags()
        raw = any(flags.values())
        if self.wrap_links.isEnabled():
            self._wrap_wanted = self.wrap_links.isChecked()
        # The advanced switches send through Trackly's raw API, which cannot track links
        # (core.campaign.SendOptions.check_compatible): show that here, before Send refuses.
        self.wrap_links.blockSignals(True)
        self.wrap_links.setEnabled(not raw)
        self.wrap_links.setChecked(self._wrap_wanted and not raw)
        self.wrap_links.setText(WRAP_LINKS_UNAVAILABLE_LABEL if raw else WRAP_LINKS_LABEL)
        self.wrap_links.setToolTip(WRAP_LINKS_UNAVAILABLE_TIP if raw else WRAP_LINKS_TIP)
        self.wrap_links.blockSignals(False)
        wrap = self.wrap_links.isChecked()
        self.session.set_send_options(SendOptions(wrap_links=wrap, **flags))
        if not raw and self.session.settings.wrap_links != wrap:
            self.session.settings.wrap_links = wrap

    def pick_field(self, name: str | None) -> FieldPicker:
        """Ask which field (or confirm `name`) and what to write when it is empty; insert it."""
        picker = FieldPicker(self.choices, name, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.picker = picker

        def done(result: int) -> None:
            chosen = picker.chosen() if result == FieldPicker.DialogCode.Accepted else None
            if chosen is not None:
                self.editor.insert_field(*chosen)
            else:
                self.editor.setFocus()

        picker.finished.connect(done)
        picker.open()
        return picker

    def use_message(self, text: str) -> None:
        """Put a saved message in the editor (Ctrl+Z brings the previous text back)."""
        self.editor.replace_all(text)
        self.editor.setFocus()

    def use_plain_characters(self) -> None:
        text = self.editor.toPlainText()
        plain = plain_characters(text)
        if plain != text:
            self.editor.replace_all(plain)
        self.editor.setFocus()

    def on_enter(self) -> None:
        options = self.session.get_send_options()
        self.wrap_links.blockSignals(True)
        self.wrap_links.setChecked(options.wrap_links)
        self.wrap_links.blockSignals(False)
        if self.wrap_links.isEnabled():
            self._wrap_wanted = options.wrap_links
        self.editor.move_cursor_to_end()
        self.editor.setFocus()
        self.refresh()

    def show_contact(self, index: int) -> None:
        count = len(self.session.table) if self.session.table is not None else 0
        if count == 0:
            return
        self._preview_index = max(0, min(index, count - 1))
        self._show_position()
        self._refresh_preview(self.editor.toPlainText())

    def _row_typed(self, row_number: int) -> None:
        # Rows can be missing (blank lines are skipped): take the first row at or after it.
        numbers = self.session.table.row_numbers if self.session.table is not None else []
        self.show_contact(bisect.bisect_left(numbers, row_number))

    def _show_position(self) -> None:
        table = self.session.table
        count = len(table) if table is not None else 0
        if not count:
            self.of_label.setText("")
            return
        self.contact_spin.blockSignals(True)
        self.contact_spin.setValue(table.row_number(self._preview_index))
        self.contact_spin.blockSignals(False)
        self.of_label.setText(f"contact {self._preview_index + 1:,} of {count:,}")

    def _roles(self) -> dict[str, str]:
        mapping = self.session.mapping
        return mapping.as_dict() if mapping is not None else {}

    def refresh(self) -> None:
        text = self.editor.toPlainText()
        self.session.set_template_text(text)
        problems = find_template_problems(text, self.fields())
        self.problem_label.setText(problems[0].message if problems else "")
        self.problem_label.setVisible(bool(problems))
        self.opt_out_label.setVisible(bool(text.strip()) and not has_opt_out_wording(text))
        self.opt_out_button.setVisible(self.opt_out_label.isVisible())
        special = self._refresh_preview(text, problems)
        self.editor.highlighter.set_marks(problems, special)
        self._set_complete(bool(text.strip()) and not problems and self.session.table is not None)

    def _refresh_preview(self, text: str, problems: list[Any] | None = None) -> tuple[str, ...]:
        table = self.session.table
        if problems is None:
            problems = find_template_problems(text, self.fields())
        if table is None or len(table) == 0:
            body = text
            self.who_label.setText("Open a spreadsheet to preview.")
        else:
            index = self._preview_index
            row = self.session.table.row(index)
            body = render_around_problems(text, problems, self.fields(), row, self._roles())
            name = self._name(index)
            self.who_label.setText(f"To {name}")
        self.bubble.setText(body or " ")
        info = measure(body)
        kind = "standard characters" if info.encoding == "GSM-7" else "special characters"
        parts = "1 part" if info.segments == 1 else f"{info.segments} parts"
        self.preview_count.setText(f"{len(body):,} characters · {kind} · {parts}")
        summary = f"This message: {len(body):,} characters, {kind}, {parts}."
        if info.special_characters:
            shown = " ".join(info.special_characters[:8])
            summary += (
                f" Marked in orange: {shown} — these need special characters, so each part "
                "holds 70 characters instead of 160."
            )
        self.count_label.setText(summary)
        technical = "GSM-7" if info.encoding == "GSM-7" else "UCS-2"
        self.count_label.setToolTip(f"Encoding: {technical}, {info.units} units")
        self._show_plain_offer(body)
        return info.special_characters

    def _show_plain_offer(self, body: str) -> None:
        # Offered only where the special characters cost parts and plain ones would not.
        saving = plain_saving(body)
        offer = saving.worth_offering
        self.plain_label.setVisible(offer)
        self.plain_button.setVisible(offer)
        if not offer:
            return
        people = self._ready_count()
        price = self.session.price_per_part()
        less = ""
        if price is not None and people:
            currency = self.session.settings.currency
            money = format_money(price * saving.saves_parts * people, currency)
            less = f"about {money} less for {people:,} people"
        self.plain_label.setText(saving.words("this message", less))

    def _ready_count(self) -> int:
        """People who will get this message (counted once per change of the contacts)."""
        recipients = self.session.recipients
        if recipients is None:
            return 0
        if self._ready_for is not recipients:
            self._ready_for, self._ready = recipients, int(recipients.summary().ready)
        return self._ready

    def _name(self, index: int) -> str:
        row = self.session.table.row(index)
        roles = self._roles()
        parts = (row.get(roles[r], "") for r in ("first_name", "last_name") if roles.get(r))
        return full_name(*parts) or "this contact"

    def hint_text(self) -> str:
        if self.session.table is None:
            return "Open a spreadsheet first."
        return "" if self._complete else "Write a message to go on."
