"""The empty Contacts step: a large drop target, "choose a file", and the sample contacts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# Kept here (and checked against core.spreadsheet.SUPPORTED_SUFFIXES by a test) so that
# hovering a file over the window does not import pandas on the GUI thread.
SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")
FILE_DIALOG_FILTER = (
    "Spreadsheets (" + " ".join(f"*{s}" for s in SPREADSHEET_SUFFIXES) + ");;All files (*)"
)


def spreadsheet_in(paths: list[Path]) -> Path | None:
    """The first path that looks like a spreadsheet, or None."""
    for path in paths:
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            return path
    return None


class DropZone(QFrame):
    """Accepts one spreadsheet by drag and drop; offers a file dialog and the sample."""

    file_dropped = Signal(Path)
    choose_requested = Signal()
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setAccessibleName("Drop your spreadsheet here")
        self.setMinimumHeight(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(14)
        layout.addStretch(1)
        self.title = QLabel("Drop your spreadsheet here, or choose a file")
        self.title.setObjectName("dropTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.subtitle = QLabel(
            "Excel (.xlsx, .xls), OpenDocument (.ods) or CSV. One row per customer, with a "
            "column of mobile numbers."
        )
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.choose_button = QPushButton("&Choose a file…")
        self.choose_button.setObjectName("chooseFileButton")
        self.choose_button.setAccessibleName("Choose a spreadsheet file")
        self.choose_button.clicked.connect(self.choose_requested)
        self.sample_button = QPushButton("&Try it with sample contacts")
        self.sample_button.setObjectName("sampleButton")
        self.sample_button.setAccessibleName("Try it with sample contacts")
        self.sample_button.clicked.connect(self.sample_requested)
        for button in (self.choose_button, self.sample_button):
            button.setMinimumHeight(38)
            button.setStyleSheet("padding: 6px 18px;")
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.rejection = QLabel()
        self.rejection.setObjectName("dropRejection")
        self.rejection.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rejection.setWordWrap(True)
        layout.addWidget(self.rejection)
        layout.addStretch(1)
        self._set_hover(False)

    def _set_hover(self, hover: bool) -> None:
        colour = "palette(highlight)" if hover else "palette(mid)"
        self.setStyleSheet(
            f"QFrame#dropZone {{ border: 2px dashed {colour}; border-radius: 12px; }}"
        )

    @staticmethod
    def _paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if spreadsheet_in(self._paths(event)) is not None:
            event.acceptProposedAction()
            self._set_hover(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt's name
        self._set_hover(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        self._set_hover(False)
        path = spreadsheet_in(self._paths(event))
        if path is None:
            self.rejection.setText("That is not a spreadsheet. Please drop a CSV or Excel file.")
            event.ignore()
            return
        self.rejection.clear()
        event.acceptProposedAction()
        self.file_dropped.emit(path)
