"""The collapsed "Advanced" section of the Message step: the provider's skip flags.

Each flag turns off a protection Trackly applies on its side, so the section stays shut
until opened and says plainly what each one risks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QToolButton, QVBoxLayout, QWidget

from trackly_desktop.ui import theme

# flag -> (what the operator reads, what it risks)
SKIP_FLAGS: dict[str, tuple[str, str]] = {
    "skip_contact_validation": (
        "Text people who unsubscribed or are blocked",
        "Skips Trackly's opt-out check: people who replied STOP would get this message.",
    ),
    "skip_duplicate_check": (
        "Allow the same text to the same person twice within 10 minutes",
        "Skips Trackly's duplicate check, which protects against double sends.",
    ),
    "skip_rate_limit": (
        "Skip Trackly's sending pace limit",
        "Sends as fast as possible; carriers may filter bursts as spam.",
    ),
    "skip_journey_check": (
        "Text people even while an automated Trackly journey is texting them",
        "A journey is a series of texts Trackly sends on its own (a welcome series, "
        "reminders). Trackly normally holds this message for anyone in the middle of one, "
        "so nobody gets two conversations at once.",
    ),
}


class AdvancedOptions(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.toggle = QToolButton()
        self.toggle.setObjectName("advancedToggle")
        self.toggle.setText("Advanced")
        self.toggle.setAccessibleName("Show advanced sending options")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self._set_open)
        layout.addWidget(self.toggle)
        self.body = QWidget()
        self.body.setObjectName("advancedBody")
        inner = QVBoxLayout(self.body)
        inner.setContentsMargins(18, 0, 0, 0)
        warning = QLabel(
            "⚠ These switch off protections Trackly applies for you. Leave them off unless "
            "Trackly support asked you to turn one on."
        )
        warning.setObjectName("advancedWarning")
        warning.setWordWrap(True)
        theme.show_in_colour(warning, "warning", bold=True)
        inner.addWidget(warning)
        self.boxes: dict[str, QCheckBox] = {}
        for flag, (label, risk) in SKIP_FLAGS.items():
            box = QCheckBox(label)
            box.setObjectName(flag)
            box.setToolTip(f"{risk} (technical name: {flag})")
            box.setAccessibleName(label)
            box.toggled.connect(self.changed)
            inner.addWidget(box)
            self.boxes[flag] = box
        layout.addWidget(self.body)
        self.body.setVisible(False)

    def _set_open(self, opened: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        self.body.setVisible(opened)

    def flags(self) -> dict[str, bool]:
        return {flag: box.isChecked() for flag, box in self.boxes.items()}
