"""How many SMS parts a body costs, and why.

GSM-7 ("standard characters") packs 160 septets in one part, 153 per part when split;
the extension characters (^ { } \\ [ ] ~ | € and form feed) take 2 septets and are never
split across parts. One character outside GSM-7 turns the whole body into UCS-2
("special characters"): 70 UTF-16 units in one part, 67 per part when split, and an emoji
(a surrogate pair) is never split either. `{{messageId}}` is replaced by the server with
an 8-character id, so it counts as 8 standard characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Literal

import numpy as np

GSM_7 = "GSM-7"
UCS_2 = "UCS-2"
Encoding = Literal["GSM-7", "UCS-2"]

# What the window calls the two encodings.
STANDARD_CHARACTERS = "standard characters"
SPECIAL_CHARACTERS = "special characters"
ENCODING_NAMES = {GSM_7: STANDARD_CHARACTERS, UCS_2: SPECIAL_CHARACTERS}

MESSAGE_ID_MACRO = "{{messageId}}"
MESSAGE_ID_LENGTH = 8

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[]~|€\f")
_GSM_ALL = GSM_BASIC | GSM_EXTENDED

GSM_SINGLE, GSM_PART = 160, 153
UCS_SINGLE, UCS_PART = 70, 67


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """`units`: septets (GSM-7) or UTF-16 code units (UCS-2).

    `special_characters`: the distinct characters that forced UCS-2, in order of first
    appearance (empty for GSM-7), so the window can highlight them.
    """

    encoding: Encoding
    units: int
    segments: int
    special_characters: tuple[str, ...] = ()

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES[self.encoding]


def body_length(body: str) -> int:
    """The body's length in characters as the server will send it ({{messageId}} = 8)."""
    count = body.count(MESSAGE_ID_MACRO)
    return len(body) - count * (len(MESSAGE_ID_MACRO) - MESSAGE_ID_LENGTH)


def _pack(sizes: list[int], total: int, single: int, part: int) -> int:
    """Parts needed for characters of the given sizes, never splitting one character."""
    if total <= single:
        return 1
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts += 1
            used = 0
        used += size
    return parts


# ASCII characters GSM-7 lacks (the backtick, control characters other than LF and CR), and
# the extension characters, for the quick path taken by plain ASCII bodies.
_ASCII_NOT_GSM = re.compile(r"[`\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")
_EXTENDED_IN_ASCII = re.compile(r"[\^{}\\\[\]~|]")


def measure(body: str) -> SegmentInfo:
    """Encoding, length and part count of a rendered body."""
    text = body.replace(MESSAGE_ID_MACRO, "0" * MESSAGE_ID_LENGTH) if "{{" in body else body
    if text.isascii() and _ASCII_NOT_GSM.search(text) is None:
        # The common case, decided by two C-speed scans instead of a set per character.
        extended = len(_EXTENDED_IN_ASCII.findall(text))
        units = len(text) + extended
        if units <= GSM_SINGLE:
            return SegmentInfo(GSM_7, units, 1)
        if not extended:
            return SegmentInfo(GSM_7, units, -(-units // GSM_PART))
    if _GSM_ALL.issuperset(text):
        extended = sum(text.count(c) for c in GSM_EXTENDED if c in text)
        units = len(text) + extended
        if units <= GSM_SINGLE or not extended:
            segments = 1 if units <= GSM_SINGLE else -(-units // GSM_PART)
            return SegmentInfo(GSM_7, units, segments)
        sizes = [2 if c in GSM_EXTENDED else 1 for c in text]
        return SegmentInfo(GSM_7, units, _pack(sizes, units, GSM_SINGLE, GSM_PART))
    special = tuple(dict.fromkeys(c for c in text if c not in _GSM_ALL))
    wide = sum(1 for c in text if c > "\uffff")
    units = len(text) + wide
    if units <= UCS_SINGLE or not wide:
        segments = 1 if units <= UCS_SINGLE else -(-units // UCS_PART)
        return SegmentInfo(UCS_2, units, segments, special)
    sizes = [2 if c > "\uffff" else 1 for c in text]
    return SegmentInfo(UCS_2, units, _pack(sizes, units, UCS_SINGLE, UCS_PART), special)


# Characters that are one septet each: a body made of these alone needs no closer look.
_NOT_ONE_SEPTET = re.compile("[^" + "".join(re.escape(c) for c in sorted(GSM_BASIC)) + "\x00]")
# The same characters as Latin-1 bytes: `bytes.translate` deletes them ~10x faster than the
# regex scans, so a chunk of plain bodies is cleared in one call.
_ONE_SEPTET_BYTES = bytes(ord(c) for c in sorted(GSM_BASIC) if ord(c) < 256) + b"\x00"
_MEASURE_MEMO = 4096
_MACRO_BRACES = sum(c not in GSM_BASIC for c in MESSAGE_ID_MACRO)  # "{{" and "}}"


def _one_septet_each(text: str, macros: int) -> bool:
    """Is every character of `text` one septet, but the braces of its `macros` message ids?"""
    try:
        others = text.encode("latin-1").translate(None, _ONE_SEPTET_BYTES)
    except UnicodeEncodeError:  # beyond Latin-1: the regex finds which bodies
        return False
    return len(others) == _MACRO_BRACES * macros  # the macros' own braces survive, no more


def measure_bodies(bodies: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """`measure` and `body_length` for many bodies: (encodings, part counts, lengths).

    Most bodies are standard characters alone; their lengths and parts come from one scan
    over all of them and numpy arithmetic. Only bodies with another character (an
    extension character, anything beyond GSM-7) are measured one by one.
    """
    count = len(bodies)
    joined = "\x00".join(bodies)
    if joined.count("\x00") != count - 1:  # a body holds the separator: one by one
        infos = [measure(body) for body in bodies]
        lengths = np.fromiter(map(body_length, bodies), dtype=np.int64, count=count)
        return [i.encoding for i in infos], np.array([i.segments for i in infos]), lengths
    lengths = np.fromiter(map(len, bodies), dtype=np.int64, count=count)
    macros = joined.count(MESSAGE_ID_MACRO)
    if macros:  # measured as the 8 characters the server puts there
        found = np.fromiter(map(str.count, bodies, repeat(MESSAGE_ID_MACRO)), np.int64, count)
        lengths -= found * (len(MESSAGE_ID_MACRO) - MESSAGE_ID_LENGTH)
    parts = np.where(lengths <= GSM_SINGLE, 1, -(-lengths // GSM_PART))
    encodings = [GSM_7] * count
    if not _one_septet_each(joined, macros):  # which bodies have another character
        joined = joined.replace(MESSAGE_ID_MACRO, "0" * MESSAGE_ID_LENGTH) if macros else joined
        odd = {m.start() for m in _NOT_ONE_SEPTET.finditer(joined)}
        starts = np.cumsum(lengths + 1) - (lengths + 1)
        rows = np.unique(np.searchsorted(starts, sorted(odd), side="right") - 1)
        memo: dict[str, SegmentInfo] = {}
        for row in rows.tolist():
            body = bodies[row]
            info = memo.get(body)
            if info is None:
                info = measure(body)
                if len(memo) < _MEASURE_MEMO:
                    memo[body] = info
            encodings[row], parts[row] = info.encoding, info.segments
    return encodings, parts, lengths
