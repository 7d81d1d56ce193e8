"""A cell that holds several phone numbers, offered one by one, never glued into one.

Google Contacts joins a contact's numbers of one type with " ::: "; people type
"(415) 555-0132 / (415) 555-0199", "0412 345 678; 02 9374 4000", "555-0132 or 555-0199"
or put each number on its own line. Read whole, such a cell is "not a phone number", or
worse, its digits run together into a different one.

Separators that never occur inside one number (" ::: ", ";", a line break, the word
"or") always split. "/" and "," also occur inside one number ("0171/1234567" is one
German mobile, "030/1234567" one Berlin line), so they split only when every part is
long enough to be a number of its own (at least 7 digits).
"""

from __future__ import annotations

import re

_ALWAYS = re.compile(r"\s*(?::::|;|\r?\n|\bor\b|\boder\b|\bou\b|\bo\b)\s*", re.IGNORECASE)
_IF_WHOLE = re.compile(r"\s*[/,|&]\s*")
_DIGIT = re.compile(r"\d")
MIN_OWN_DIGITS = 7
# Characters that must appear in a cell for it to be split at all (a fast first look).
SEPARATOR_MARKS = (":::", ";", "\n", "/", ",", "|", "&", " or ", " OR ", " Or ", " o ", " ou ")


def may_hold_several(value: str) -> bool:
    """Cheap test: could `value` hold more than one number?"""
    return any(mark in value for mark in SEPARATOR_MARKS)


def _digits(text: str) -> int:
    return len(_DIGIT.findall(text))


def split_numbers(value: str) -> list[str]:
    """The numbers in one cell, in the order written; [value] when it holds one."""
    if not may_hold_several(value):
        return [value]
    parts: list[str] = []
    for raw in _ALWAYS.split(value):
        piece = raw.strip()
        if not piece:
            continue
        pieces = [p.strip() for p in _IF_WHOLE.split(piece)]
        if len(pieces) > 1 and all(_digits(p) >= MIN_OWN_DIGITS for p in pieces):
            parts.extend(pieces)
        else:
            parts.append(piece)
    with_digits = [p for p in parts if _digits(p)]
    return with_digits if len(with_digits) > 1 else [value]
