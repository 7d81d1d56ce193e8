"""Which phone columns to try, and in which order: a list to tick and reorder.

Contact exports have a mobile, a home and a work number; the app proposes mobile
first. Each row is texted at the first number of this list that can be texted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class PhoneOrderDialog(QDialog):
    """Tick the phone columns and put them in order; `chosen()` after accept."""

    def __init__(self, columns: list[str], phones: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Phone columns")
        self.setObjectName("phoneOrderDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Each person is texted at the first number, from the top, that can be texted. "
            "Tick the columns that hold phone numbers and drag them into order (mobile first)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("phoneOrderList")
        self.list.setAccessibleName("Phone columns in the order they are tried")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        for column in phones + [c for c in columns if c not in phones]:
            item = QListWidgetItem(column)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if column in phones else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.up_button = QPushButton("Move &up")
        self.up_button.setObjectName("phoneUp")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton("Move &down")
        self.down_button.setObjectName("phoneDown")
        self.down_button.clicked.connect(lambda: self.move(1))
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(420, 360)

    def move(self, step: int) -> None:
        """Move the selected column up (-1) or down (+1)."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def chosen(self) -> list[str]:
        """The ticked columns, top first."""
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
