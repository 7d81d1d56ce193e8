"""A thin strip with what is happening, a progress bar and Cancel; hidden when idle."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class ProgressStrip(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressStrip")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 6, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("progressLabel")
        self.bar = QProgressBar()
        self.bar.setObjectName("progressBar")
        self.bar.setAccessibleName("Progress")
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.setVisible(False)

    def start(self, what: str) -> None:
        self.label.setText(what)
        self.bar.setRange(0, 0)  # busy until the first report says how much there is
        self.setVisible(True)

    def report(self, done: int, total: int, what: str) -> None:
        if total > 0:
            # QProgressBar holds an int; per-mille keeps huge totals in range.
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))
            self.bar.setFormat(f"{done:,} of {total:,}")
        if what:
            self.label.setText(what)

    def stop(self) -> None:
        self.setVisible(False)
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
