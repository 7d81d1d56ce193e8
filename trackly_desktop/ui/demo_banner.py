"""The strip across the top of the window in demo mode, so nobody mistakes it for real sending."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

DEMO_TEXT = "Demo — nobody receives these messages"


class DemoBanner(QLabel):
    """A bold amber strip; fixed colours so it reads the same in light and dark schemes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(DEMO_TEXT, parent)
        self.setObjectName("demoBanner")
        self.setAccessibleName(DEMO_TEXT)
        self.setToolTip(
            "The app is talking to a practice server inside itself. Messages are recorded "
            "there and go nowhere, so you can try every step safely."
        )
        self.setStyleSheet(
            "QLabel#demoBanner { background: #f6c343; color: #222; font-weight: 600;"
            " padding: 6px 12px; }"
        )
