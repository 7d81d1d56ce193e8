"""Placeholder start-up until the window lands (issue: the desktop app)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel  # noqa: PLC0415 - keep start-up lazy

    app = QApplication(sys.argv if argv is None else argv)
    label = QLabel("Trackly Desktop")
    label.show()
    return app.exec()
