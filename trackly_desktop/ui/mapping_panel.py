"""Which column holds what: one drop-down per role, with the suggested columns pre-selected.

Speaks plain dicts (role -> column name or None); the Contacts step turns them into a
`core.mapping.ColumnMapping`, so this widget knows nothing about validation.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QWidget

# role -> (label, tooltip). The order is the order on screen.
ROLE_LABELS: dict[str, tuple[str, str]] = {
    "phone": ("Mobile number", "The column with the numbers the messages go to (required)."),
    "first_name": ("First name", "Used for {first_name} in the message, and to name people."),
    "last_name": ("Last name", "Used for {last_name} in the message."),
    "timezone": (
        "Time zone",
        "Optional. A column like “America/New_York”, “EST” or “UTC-5”: quiet hours use "
        "each person's own time.",
    ),
    "state": (
        "State",
        "Optional. The state or province: its texting-hours law applies, and its time zone "
        "when there is no time-zone column.",
    ),
    "postal_code": (
        "ZIP",
        "Optional. A US ZIP or Canadian postal code places the person when there is no "
        "state or time-zone column.",
    ),
    "consent": (
        "Consent to texts",
        "Who agreed to texts (“Accepts SMS Marketing”, “SMS consent”) or who opted out "
        "(“Do Not Text”, “Unsubscribed”). People who said no are never texted.",
    ),
}
NOT_USED = "(not in this file)"


class MappingPanel(QGroupBox):
    """A form of role drop-downs; `mapping_changed(dict)` when the operator picks another."""

    mapping_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Which column holds what?", parent)
        self.setObjectName("mappingPanel")
        # One row of label + drop-down pairs, so the contacts table below keeps the width.
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.setSpacing(8)
        self.boxes: dict[str, QComboBox] = {}
        for role, (label, tip) in ROLE_LABELS.items():
            box = QComboBox()
            box.setObjectName(f"mapping_{role}")
            box.setAccessibleName(label)
            box.setToolTip(tip)
            box.setMinimumContentsLength(14)
            box.currentIndexChanged.connect(self._emit)
            caption = QLabel(f"{label}:")
            caption.setBuddy(box)
            caption.setToolTip(tip)
            row.addWidget(caption)
            row.addWidget(box, 1)
            row.addSpacing(10)
            self.boxes[role] = box
        self._quiet = False

    def set_columns(self, columns: list[str], mapping: dict[str, str | None]) -> None:
        """Offer `columns` in every drop-down and pre-select `mapping` (no signal)."""
        self._quiet = True
        try:
            for role, box in self.boxes.items():
                box.clear()
                if role != "phone":
                    box.addItem(NOT_USED, None)
                for column in columns:
                    box.addItem(column, column)
                chosen = mapping.get(role)
                index = box.findData(chosen) if chosen else -1
                if index < 0 and role != "phone":
                    index = 0  # "(not in this file)"
                # No phone column guessed: leave it blank so the operator has to choose.
                box.setCurrentIndex(index)
        finally:
            self._quiet = False

    def mapping(self) -> dict[str, str | None]:
        return {role: box.currentData() for role, box in self.boxes.items()}

    def select(self, role: str, column: str | None) -> None:
        """Choose `column` for `role` as the operator would (emits mapping_changed)."""
        box = self.boxes[role]
        box.setCurrentIndex(box.findData(column) if column else 0)

    def _emit(self, _index: int) -> None:
        if not self._quiet:
            self.mapping_changed.emit(self.mapping())
