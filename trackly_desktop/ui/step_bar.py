"""The row of steps across the top of the window: 1 Contacts › 2 Message › 3 Review › 4 Send.

The current step is highlighted; a step can be clicked once every step before it is done,
so going back is always possible and skipping ahead past unfinished work is not. The
current step itself is never shown disabled, even when the window shows it without its
earlier steps being done (a past campaign's results opened from History).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class StepBar(QWidget):
    """Numbered, checkable step buttons; `step_clicked(index)` when one is chosen."""

    step_clicked = Signal(int)

    def __init__(self, titles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepBar")
        self.setAccessibleName("Steps")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        self.buttons: list[QPushButton] = []
        for index, title in enumerate(titles):
            if index:
                arrow = QLabel("›")
                arrow.setAccessibleName("then")
                arrow.setEnabled(False)
                layout.addWidget(arrow)
            button = QPushButton(f"{index + 1}  {title}")
            button.setObjectName(f"step_{title.lower()}")
            button.setCheckable(True)
            button.setFlat(True)
            button.setAccessibleName(f"Step {index + 1}: {title}")
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, i=index: self.step_clicked.emit(i))
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        self._current = 0
        self._last_reachable = len(titles) - 1
        self.set_current(0)

    @property
    def current(self) -> int:
        return self._current

    def set_current(self, index: int) -> None:
        self._current = index
        for i, button in enumerate(self.buttons):
            button.setChecked(i == index)
            font = QFont(button.font())
            font.setBold(i == index)
            button.setFont(font)
            # Screen readers announce the current step.
            title = button.text().split("  ", 1)[1]
            suffix = " (current)" if i == index else ""
            button.setAccessibleName(f"Step {i + 1}: {title}{suffix}")
        self._apply_reachable()

    def set_reachable(self, last_reachable: int) -> None:
        """Steps after `last_reachable` cannot be clicked yet (the current one stays lit)."""
        self._last_reachable = last_reachable
        self._apply_reachable()

    def _apply_reachable(self) -> None:
        for i, button in enumerate(self.buttons):
            reachable = i <= self._last_reachable or i == self._current
            button.setEnabled(reachable)
            button.setCursor(
                Qt.CursorShape.PointingHandCursor if reachable else Qt.CursorShape.ArrowCursor
            )
