"""Cells the app writes into files the operator opens in a spreadsheet program stay text.

A cell starting with "=", "+", "-", "@" (or a tab or carriage return) is run as a formula
by Excel and LibreOffice when the file is opened: a name like "=HYPERLINK(...)" from a
contact list must never become a live formula in an export. Such a cell gets a leading
apostrophe, which spreadsheet programs show as the text itself.
"""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
