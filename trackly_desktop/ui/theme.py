"""Follow the system's light or dark scheme, and keep following it when it changes.

Fusion draws the same everywhere and takes any palette, so the window looks right on a
Linux desktop whose native style ignores the dark setting. The palette is rebuilt when the
operator switches scheme while the app is open, and so are the status colours drawn on top
of it: the labels `show_in_colour` paints, and whatever listens to `scheme.changed`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# What a row's status colour means -> (on the light palette, on the dark one). The light
# ones read at 4.5:1 or better on white but fall to 3:1 or less on the dark palette's
# near-black (the purple to 2:1): the dark scheme has lighter shades of the same hues.
STATUS_COLOURS = {
    "ready": ("#2e7d32", "#81c995"),
    "attention": ("#c62828", "#f28b82"),
    "duplicate": ("#8d6e00", "#e2c05a"),
    "excluded": ("#6a1b9a", "#c58af9"),  # may not be texted: neither a fault nor ready
    "retryable": ("#8a5a00", "#f0b35a"),  # failed, worth sending again
    "warning": ("#8a5a00", "#f0b35a"),  # be careful (was #b26a00: 3.6:1 on the light window)
}


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def status_colour(meaning: str, *, dark: bool | None = None) -> QColor:
    """The colour of a status ("ready", "attention", …) in the scheme on screen (or `dark`)."""
    light_name, dark_name = STATUS_COLOURS[meaning]
    return QColor(dark_name if (is_dark() if dark is None else dark) else light_name)


# Words in the ordinary text colour (a label that showed a problem before).
PLAIN_STYLE = "color: palette(text);"
# A widget property, "meaning:bold", on the labels `show_in_colour` painted.
_COLOURED = "tracklyStatusColour"


def colour_style(meaning: str, *, bold: bool = False) -> str:
    """A label's style sheet for words in a status colour, in the scheme on screen."""
    weight = " font-weight: 600;" if bold else ""
    return f"color: {status_colour(meaning).name()};{weight}"


def show_in_colour(widget: QWidget, meaning: str | None, *, bold: bool = False) -> None:
    """`widget`'s words in a status colour ("attention", "warning"…; None: the ordinary
    text colour), in the scheme on screen now and in the new one after every change."""
    widget.setProperty(_COLOURED, f"{meaning}:{int(bold)}" if meaning else "")
    widget.setStyleSheet(colour_style(meaning, bold=bold) if meaning else PLAIN_STYLE)


class _Scheme(QObject):
    changed = Signal()  # the palette of a newly chosen scheme is set: draw colours again


scheme = _Scheme()


# A row status (core.recipients) -> the meaning its colour shows.
ROW_STATUS_MEANINGS = {
    "ready": "ready",
    "invalid": "attention",
    "duplicate": "duplicate",
    "excluded": "excluded",
}
_brushes: dict[tuple[str, bool], QBrush] = {}


def status_brush(meaning: str) -> QBrush:
    """`status_colour` as a brush for a model's ForegroundRole, made once per scheme."""
    key = (meaning, is_dark())
    brush = _brushes.get(key)
    if brush is None:
        brush = _brushes[key] = QBrush(status_colour(meaning, dark=key[1]))
    return brush


def row_status_brush(status: str) -> QBrush | None:
    """The brush for a row status ("ready", "invalid", …), None for one without a colour."""
    meaning = ROW_STATUS_MEANINGS.get(status)
    return status_brush(meaning) if meaning is not None else None


def summary_colours() -> dict[str, str]:
    """The colours of a send's counts (core.results.loader.summary_html) in this scheme."""
    meanings = {"sent": "ready", "failed": "attention", "uncertain": "retryable"}
    return {
        count: status_colour(meanings.get(count, count)).name()
        for count in ("sent", "failed", "uncertain", "excluded")
    }


def dark_palette() -> QPalette:
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
    app.setPalette(dark_palette() if is_dark() else app.style().standardPalette())
    for widget in app.allWidgets():
        painted = widget.property(_COLOURED)
        if painted:
            meaning, bold = painted.split(":")
            widget.setStyleSheet(colour_style(meaning, bold=bold == "1"))
    scheme.changed.emit()


def follow_system_scheme(app: QApplication) -> None:
    """Use Fusion with the system's light or dark palette, now and after every change."""
    from trackly_desktop.ui import focus_ring  # noqa: PLC0415

    app.setStyle("Fusion")
    focus_ring.follow(app)
    apply_scheme(app)
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_scheme(app))
