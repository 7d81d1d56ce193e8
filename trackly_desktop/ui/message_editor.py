"""The message editor: fields in colour, unknown fields underlined, special characters marked.

The highlighter is told the problems (from `core.templates.find_template_problems`) and
the characters that force special-character sending (from `core.segments.measure`); it
knows no template rules of its own.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from trackly_desktop.core.templates import TemplateProblem

_FIELD = re.compile(r"\{\{[^{}]*\}\}")


class TemplateHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._problems: list[TemplateProblem] = []
        self._special: frozenset[str] = frozenset()
        self.field_format = QTextCharFormat()
        # The palette's link colour reads well on both the light and the dark scheme.
        self.field_format.setForeground(QApplication.palette().color(QPalette.ColorRole.Link))
        self.field_format.setFontWeight(QFont.Weight.DemiBold)
        self.problem_format = QTextCharFormat()
        self.problem_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.problem_format.setUnderlineColor(QColor("#d32f2f"))
        self.problem_format.setForeground(QColor("#d32f2f"))
        self.special_format = QTextCharFormat()
        self.special_format.setBackground(QColor(255, 167, 38, 110))

    def set_marks(self, problems: list[TemplateProblem], special: tuple[str, ...]) -> None:
        if problems == self._problems and frozenset(special) == self._special:
            return
        self._problems = list(problems)
        self._special = frozenset(special)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        for match in _FIELD.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.field_format)
        if self._special:
            for i, char in enumerate(text):
                if char in self._special:
                    self.setFormat(i, 1, self.special_format)
        start = self.currentBlock().position()
        end = start + len(text)
        for problem in self._problems:
            lo = max(problem.position, start)
            hi = min(problem.position + problem.length, end)
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

    def insert_field(self, name: str) -> None:
        """Put `{{name}}` at the cursor, replacing any selection, and keep typing there."""
        cursor = self.textCursor()
        cursor.insertText("{{" + name + "}}")
        self.setTextCursor(cursor)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def append_sentence(self, sentence: str) -> None:
        text = self.toPlainText().rstrip()
        joiner = " " if text and not text.endswith("\n") else ""
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text + joiner + sentence)
        self.setTextCursor(cursor)
