"""The Contacts step (being built: this first version only holds the step's place)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from trackly_desktop.ui.session import Session


class ContactsStep(QWidget):
    step_title = "Contacts"
    completion_changed = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        QVBoxLayout(self).addWidget(QLabel("Contacts"))

    def is_complete(self) -> bool:
        return False

    def choose_file(self) -> None:
        pass

    def open_file(self, path: Path) -> None:
        pass

    def open_sample(self) -> None:
        pass
