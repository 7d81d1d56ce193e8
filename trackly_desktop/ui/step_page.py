"""The base of a main-window step: whether the operator may go on, and when that changes.

MainWindow reads `step_title`, `next_text`, `is_complete()` and listens to
`completion_changed` and `hint_changed`; a step calls `_set_complete` as its state moves.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class StepPage(QWidget):
    step_title = ""
    next_text = "&Next ›"
    completion_changed = Signal(bool)
    hint_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._complete = False

    def is_complete(self) -> bool:
        return self._complete

    def _set_complete(self, complete: bool) -> None:
        # Only a change is signalled, so the Next button is not re-laid out on every keystroke.
        if complete != self._complete:
            self._complete = complete
            self.completion_changed.emit(complete)
