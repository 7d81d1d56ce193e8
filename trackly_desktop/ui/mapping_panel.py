"""Which column holds what: one drop-down per role, with the suggested columns pre-selected.

Speaks plain dicts (role -> column name or None); the Contacts step turns them into a
`core.mapping.ColumnMapping`, so this widget knows nothing about validation.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from trackly_desktop.ui.flow_layout import FlowLayout

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
    "full_name": (
        "Full name",
        "One column with the whole name (“Dr. Maria Gonzalez”, “Gonzalez, Maria”): its "
        "first word is the first name, the rest the last name, titles left out.",
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
        # Label + drop-down pairs that wrap onto a second line in a narrow window (eight
        # roles do not fit 1024 pixels in one row), so the table below keeps the width.
        row = FlowLayout(self, spacing=14)
        row.setContentsMargins(12, 6, 12, 6)
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
            pair = QWidget()
            pair_row = QHBoxLayout(pair)
            pair_row.setContentsMargins(0, 0, 0, 0)
            pair_row.setSpacing(6)
            pair_row.addWidget(caption)
            pair_row.addWidget(box)
            if role == "phone":
                # Further phone columns (home, work) tried when a row has no usable mobile.
                self.order_button = QPushButton("Order…")
                self.order_button.setObjectName("phoneOrderButton")
                self.order_button.setToolTip(
                    "Which phone columns to try, in order: each person is texted at the "
                    "first number that can be texted."
                )
                self.order_button.clicked.connect(self.choose_phone_order)
                pair_row.addWidget(self.order_button)
            row.addWidget(pair)
            self.boxes[role] = box
        self.columns: list[str] = []
        self.other_phones: list[str] = []
        self._quiet = False

    def set_columns(
        self,
        columns: list[str],
        mapping: dict[str, str | None],
        other_phones: tuple[str, ...] | list[str] = (),
    ) -> None:
        """Offer `columns` in every drop-down and pre-select `mapping` (no signal);
        `other_phones` are the phone columns tried after the first, in order."""
        self.columns = list(columns)
        self.other_phones = [c for c in other_phones if c in columns]
        self._show_order()
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

    def mapping(self) -> dict[str, Any]:
        """Role -> column; "phone" is a list (first choice first) when several are tried."""
        chosen: dict[str, Any] = {role: box.currentData() for role, box in self.boxes.items()}
        others = [c for c in self.other_phones if c != chosen["phone"]]
        if others and chosen["phone"]:
            chosen["phone"] = [chosen["phone"], *others]
        return chosen

    def phone_columns(self) -> list[str]:
        phone = self.boxes["phone"].currentData()
        return ([phone] if phone else []) + [c for c in self.other_phones if c != phone]

    def set_phone_order(self, phones: list[str]) -> None:
        """Use `phones` in this order (the operator's choice; emits mapping_changed)."""
        if not phones:
            return
        self._quiet = True
        try:
            box = self.boxes["phone"]
            box.setCurrentIndex(box.findData(phones[0]))
            self.other_phones = list(phones[1:])
        finally:
            self._quiet = False
        self._show_order()
        self.mapping_changed.emit(self.mapping())

    def choose_phone_order(self) -> None:
        from trackly_desktop.ui.phone_order import PhoneOrderDialog  # noqa: PLC0415

        dialog = PhoneOrderDialog(self.columns, self.phone_columns(), self)
        if dialog.exec() == PhoneOrderDialog.DialogCode.Accepted:
            self.set_phone_order(dialog.chosen())

    def _show_order(self) -> None:
        count = len(self.other_phones)
        self.order_button.setText(f"then {count} more…" if count else "Order…")
        self.order_button.setAccessibleName(
            f"Phone columns: {', '.join(self.phone_columns()) or 'none'}. Change the order"
        )

    def select(self, role: str, column: str | None) -> None:
        """Choose `column` for `role` as the operator would (emits mapping_changed)."""
        box = self.boxes[role]
        box.setCurrentIndex(box.findData(column) if column else 0)

    def _emit(self, _index: int) -> None:
        if not self._quiet:
            self._show_order()
            self.mapping_changed.emit(self.mapping())
