"""The message editor: fields in colour, unknown fields underlined, special characters marked.

The highlighter is told the problems (from `core.templates.find_template_problems`) and
the characters that force special-character sending (from `core.segments.measure`); it
knows no template rules of its own.

Positions: Python counts characters (code points), Qt counts UTF-16 units, so an emoji is
one character to the core and two units to Qt. Every position handed to Qt is converted,
or the marks would land one place to the right after each emoji. Backspace and Delete
remove a whole visible character (an emoji with its skin tone, a flag, a family), as Qt's
own cursor moves do, not one code point of it.
"""

from __future__ import annotations

import re
from itertools import accumulate

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from trackly_desktop.core.messages.templates import TemplateProblem
from trackly_desktop.ui import theme

_FIELD = re.compile(r"\{\{([^{}|]*)(?:\|([^{}]*))?\}\}")


def utf16_offsets(text: str) -> list[int]:
    """`offsets[i]` is where Python character i starts in Qt's UTF-16 units (len+1 items)."""
    return [0, *accumulate(2 if c > "\uffff" else 1 for c in text)]


def field_explanation(name: str, fallback: str | None) -> str:
    """What `{{name|fallback}}` means, in words, for the hover tip."""
    shown = name.replace("_", " ").strip()
    text = f"Replaced by each person's {shown}."
    if not fallback:
        return text + " When it is empty, nothing is put there."
    return text + f" When it is empty: “{fallback}”."


class TemplateHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._problems: list[TemplateProblem] = []
        self._problem_units: list[tuple[int, int]] = []  # UTF-16 (start, end) in the document
        self._special: frozenset[str] = frozenset()
        self.field_format = QTextCharFormat()
        self.field_format.setFontWeight(QFont.Weight.DemiBold)
        self.problem_format = QTextCharFormat()
        self.problem_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.special_format = QTextCharFormat()
        self.special_format.setBackground(QColor(255, 167, 38, 110))
        self._colour_formats()
        theme.scheme.changed.connect(self._scheme_changed)

    def _colour_formats(self) -> None:
        # The palette's link colour reads well on both the light and the dark scheme.
        self.field_format.setForeground(QApplication.palette().color(QPalette.ColorRole.Link))
        problem = theme.status_colour("attention")
        self.problem_format.setUnderlineColor(problem)
        self.problem_format.setForeground(problem)

    def _scheme_changed(self) -> None:
        self._colour_formats()
        self.rehighlight()

    def set_marks(self, problems: list[TemplateProblem], special: tuple[str, ...]) -> None:
        if problems == self._problems and frozenset(special) == self._special:
            return
        self._problems = list(problems)
        offsets = utf16_offsets(self.document().toPlainText()) if problems else []
        last = len(offsets) - 1
        self._problem_units = [
            (offsets[min(p.position, last)], offsets[min(p.position + p.length, last)])
            for p in problems
        ]
        self._special = frozenset(special)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        offsets = utf16_offsets(text)
        for match in _FIELD.finditer(text):
            start, end = offsets[match.start()], offsets[match.end()]
            self.setFormat(start, end - start, self.field_format)
        if self._special:
            for i, char in enumerate(text):
                if char in self._special:
                    self.setFormat(offsets[i], offsets[i + 1] - offsets[i], self.special_format)
        start = self.currentBlock().position()
        end = start + offsets[-1]
        for problem_start, problem_end in self._problem_units:
            lo, hi = max(problem_start, start), min(problem_end, end)
            if lo < hi:
                self.setFormat(lo - start, hi - lo, self.problem_format)


class MessageEditor(QPlainTextEdit):
    """Plain text only (no pasted formatting); Tab moves focus instead of typing a tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageEditor")
        self.setAccessibleName("Your message")
        self.setPlaceholderText("Type your message. Use “Insert field” to add each person's name.")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.highlighter = TemplateHighlighter(self.document())
        self.setMinimumHeight(120)
        self.shown_tip = ""  # the last hover explanation (read by tests and screen readers)

    def insert_field(self, name: str, fallback: str = "") -> None:
        """Put `{{name}}` (or `{{name|fallback}}`) at the cursor, replacing any selection."""
        fallback = fallback.replace("{", "").replace("}", "").strip()
        cursor = self.textCursor()
        cursor.insertText("{{" + name + (f"|{fallback}" if fallback else "") + "}}")
        self.setTextCursor(cursor)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def replace_all(self, text: str) -> None:
        """Put `text` in place of everything, as one step Ctrl+Z can undo; cursor at the end."""
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        self.setTextCursor(cursor)

    def move_cursor_to_end(self) -> None:
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)

    def append_sentence(self, sentence: str) -> None:
        text = self.toPlainText().rstrip()
        joiner = " " if text and not text.endswith("\n") else ""
        self.replace_all(text + joiner + sentence)

    # --- keys and hover ---------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        modifiers = event.modifiers()
        alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if alt and not ctrl:
            # Alt+letter is a button's shortcut; when that button is disabled the key must
            # not type the letter here. (AltGr arrives as Ctrl+Alt on Windows and types.)
            event.ignore()
            return
        key = event.key()
        if (
            key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
            and not self.textCursor().hasSelection()
            and not (modifiers & ~Qt.KeyboardModifier.KeypadModifier)
        ):
            # One visible character at a time, like the cursor moves over it.
            cursor = self.textCursor()
            move = (
                QTextCursor.MoveOperation.PreviousCharacter
                if key == Qt.Key.Key_Backspace
                else QTextCursor.MoveOperation.NextCharacter
            )
            if cursor.movePosition(move, QTextCursor.MoveMode.KeepAnchor):
                cursor.removeSelectedText()
                self.setTextCursor(cursor)
            return
        super().keyPressEvent(event)

    def field_at(self, cursor: QTextCursor) -> tuple[str, str | None] | None:
        """The (name, fallback) of the `{{field}}` under `cursor`, if it is on one."""
        block = cursor.block().text()
        offsets = utf16_offsets(block)
        unit = cursor.positionInBlock()
        for match in _FIELD.finditer(block):
            if offsets[match.start()] <= unit < offsets[match.end()]:
                return match.group(1).strip(), match.group(2)
        return None

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Hovering a field explains it in words: `{{first_name|there}}` is no puzzle.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            found = self.field_at(self.cursorForPosition(event.pos()))
            self.shown_tip = field_explanation(*found) if found is not None else ""
            if self.shown_tip:
                QToolTip.showText(event.globalPos(), self.shown_tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
