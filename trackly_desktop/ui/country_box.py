"""A drop-down of countries by name, holding two-letter region codes ("US", "GB")."""

from __future__ import annotations

import phonenumbers
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox, QWidget


def _country_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    if territory == QLocale.Country.AnyTerritory:
        return code
    return QLocale.territoryToString(territory)


class CountryBox(QComboBox):
    """Countries sorted by name; `code()` / `set_code()` speak region codes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        entries = sorted(
            (_country_name(code), code)
            for code in phonenumbers.SUPPORTED_REGIONS
            if code != "001"  # "world" pseudo-region for satellite numbers
        )
        for name, code in entries:
            calling = phonenumbers.country_code_for_region(code)
            self.addItem(f"{name} (+{calling})", code)
        # Typing a few letters jumps to a country, which beats scrolling 240 names.
        self.setEditable(False)
        self.setMaxVisibleItems(20)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code.upper())
        if index >= 0:
            self.setCurrentIndex(index)
