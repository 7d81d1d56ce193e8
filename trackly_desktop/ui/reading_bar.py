"""How the open file was read, each part changeable right there: the header row, the
characters' encoding (text files) and the country numbers without a + code are read as.

    Headers in row [4 ▾]   Characters: [Windows-1251 ▾]   These look like UK numbers,
    read as [United Kingdom (+44) ▾]

Emits `header_row_chosen(int)` (0: no header row), `encoding_chosen(str)` and
`country_chosen(str)`; the Contacts step reads the file again or checks it again. When
the encoding guess is unsure, the bar says so and shows how the first names read, so the
operator can see mojibake and pick another encoding.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from trackly_desktop.core.reading.legacy_encodings import CHOICES
from trackly_desktop.ui import theme
from trackly_desktop.ui.country_box import CountryBox

_PREVIEW_ROWS = 3


class ReadingBar(QWidget):
    header_row_chosen = Signal(int)
    encoding_chosen = Signal(str)
    country_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingBar")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("headerRow")
        self.header_spin.setAccessibleName("Row that holds the column names")
        self.header_spin.setToolTip(
            "The row of your spreadsheet that holds the column names. Rows above it "
            "(titles, notes) are not read; choose “no header row” when the first row is a "
            "contact."
        )
        self.header_spin.setRange(0, 1_048_576)
        self.header_spin.setPrefix("Headers in row ")
        self.header_spin.setSpecialValueText("No header row")
        self.header_spin.setKeyboardTracking(False)  # typing "12" is one choice, not two
        self.header_spin.valueChanged.connect(self._header_changed)
        row.addWidget(self.header_spin)
        self.encoding_caption = QLabel("Characters:")
        self.encoding_box = QComboBox()
        self.encoding_box.setObjectName("encodingChooser")
        self.encoding_box.setAccessibleName("How the file's characters are stored")
        self.encoding_box.setToolTip(
            "How the file's letters are stored. If names show odd characters (“Ã©”, "
            "“Òåëåôîí”), choose another."
        )
        self.encoding_caption.setBuddy(self.encoding_box)
        self.encoding_box.activated.connect(self._encoding_changed)
        row.addSpacing(12)
        row.addWidget(self.encoding_caption)
        row.addWidget(self.encoding_box)
        row.addSpacing(12)
        self.country_caption = QLabel()
        self.country_caption.setObjectName("countryWords")
        self.country_box = CountryBox()
        self.country_box.setObjectName("fileCountry")
        self.country_box.setAccessibleName("Country of numbers without a + code")
        self.country_caption.setBuddy(self.country_box)
        self.country_box.activated.connect(self._country_changed)
        row.addWidget(self.country_caption)
        row.addWidget(self.country_box)
        row.addStretch(1)
        outer.addLayout(row)
        self.unsure_label = QLabel()
        self.unsure_label.setObjectName("encodingUnsure")
        self.unsure_label.setWordWrap(True)
        self.unsure_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the file's cells
        theme.show_in_colour(self.unsure_label, "warning")
        self.unsure_label.setVisible(False)
        outer.addWidget(self.unsure_label)
        self._quiet = False

    def show_file(self, table: Any, reading: Any | None) -> None:
        """Show how `table` was read and, once checked, how its numbers are (`reading`)."""
        self._quiet = True
        try:
            self.header_spin.setValue(table.header_row or 0)
            encoding = getattr(table, "encoding", None)
            text_file = encoding is not None
            self.encoding_caption.setVisible(text_file)
            self.encoding_box.setVisible(text_file)
            if text_file:
                self._fill_encodings(encoding.label)
            self.unsure_label.setVisible(bool(text_file and encoding.unsure))
            if text_file and encoding.unsure:
                self.unsure_label.setText(
                    f"Not sure how this file's letters are stored; read as {encoding.label}. "
                    f"The first rows read: {_preview(table)}. If they look wrong, choose "
                    "another under “Characters”."
                )
            self.country_caption.setVisible(reading is not None)
            self.country_box.setVisible(reading is not None)
            if reading is not None:
                self.country_caption.setText(_country_words(reading))
                self.country_box.set_code(reading.country)
        finally:
            self._quiet = False

    def _fill_encodings(self, current: str) -> None:
        self.encoding_box.clear()
        labels = list(CHOICES)
        if not any(label.split(" (")[0] == current for label in labels):
            self.encoding_box.addItem(current, "")  # "UTF-8 and Windows-1252 (mixed)", UTF-16
        for label in labels:
            self.encoding_box.addItem(label, CHOICES[label])
        for index in range(self.encoding_box.count()):
            if self.encoding_box.itemText(index).split(" (")[0] == current:
                self.encoding_box.setCurrentIndex(index)
                return
        self.encoding_box.setCurrentIndex(0)

    def _header_changed(self, value: int) -> None:
        if not self._quiet:
            self.header_row_chosen.emit(value)

    def _encoding_changed(self, index: int) -> None:
        codec = self.encoding_box.itemData(index)
        if not self._quiet and codec:
            self.encoding_chosen.emit(codec)

    def _country_changed(self, _index: int) -> None:
        if not self._quiet:
            self.country_chosen.emit(self.country_box.code())


def _country_words(reading: Any) -> str:
    from trackly_desktop.core.phones.country_guess import INFERRED, short_name  # noqa: PLC0415

    if reading.source == INFERRED:
        return f"These look like {short_name(reading.country)} numbers, read as"
    return "Numbers without a + code are read as"


def _preview(table: Any) -> str:
    rows = table.head(_PREVIEW_ROWS)
    texts = [" ".join(c for c in row if c and not c.isspace())[:40] for row in rows]
    return "; ".join(f"“{t}”" for t in texts if t) or "(nothing)"
