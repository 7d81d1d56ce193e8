"""Cells the app writes into files the operator opens in a spreadsheet program stay text.

A cell starting with "=", "+", "-", "@" (or a tab or carriage return) is run as a formula
by Excel and LibreOffice when the file is opened: a name like "=HYPERLINK(...)" from a
contact list must never become a live formula in an export. Such a cell gets a leading
apostrophe, which spreadsheet programs show as the text itself.

A phone number in international form (+14155550123), or any other plain signed number,
is left as it is: a spreadsheet reads it as a number at worst, never as a command, and
other programs reading the file need the number itself, not '+1415....
"""

from __future__ import annotations

import re

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-][0-9]{1,20}(?:\.[0-9]{1,20})?")


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
