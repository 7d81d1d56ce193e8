"""Follow the system's light or dark scheme, and keep following it when it changes.

Fusion draws the same everywhere and takes any palette, so the window looks right on a
Linux desktop whose native style ignores the dark setting. The palette is rebuilt when the
operator switches scheme while the app is open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# Colours the steps use for row status; chosen to read on both light and dark backgrounds.
READY_COLOUR = QColor("#2e7d32")
ATTENTION_COLOUR = QColor("#c62828")
DUPLICATE_COLOUR = QColor("#8d6e00")
EXCLUDED_COLOUR = QColor("#6a1b9a")  # may not be texted: neither a fault nor ready


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def _dark_palette() -> QPalette:
    palette = QPalette()
    window, base, text = QColor("#202124"), QColor("#17181a"), QColor("#e8eaed")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#25272a"),
        QPalette.ColorRole.ToolTipBase: QColor("#303134"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2b2c2f"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.Highlight: QColor("#3d7bd9"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.PlaceholderText: QColor("#9aa0a6"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    disabled = QColor("#7f8388")
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_scheme(app: QApplication) -> None:
    app.setPalette(_dark_palette() if is_dark() else app.style().standardPalette())


def follow_system_scheme(app: QApplication) -> None:
    """Use Fusion with the system's light or dark palette, now and after every change."""
    from trackly_desktop.ui import focus_ring  # noqa: PLC0415

    app.setStyle("Fusion")
    focus_ring.follow(app)
    apply_scheme(app)
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_scheme(app))
