"""phonenumbers' verdict on a whole column, exactly, at a microsecond or two a value.

A full phonenumbers check (parse, is_valid_number, number_type, format E.164) costs
~30 µs: Python walks the metadata one pattern at a time, for +1 up to 25 regions in turn.
Here a column is checked in three steps:

1. `plain_keys`: a plain value (digits with spaces, dashes, dots, brackets, no-break
   spaces, at most one leading "+" or Excel's apostrophe, full-width digits) is read by
   phonenumbers from its digits alone: its key. Anything else goes to phonenumbers itself.
2. `reading.PlainReader` follows `parse` on a key to (country code, national number).
   Most keys need none of it: one whose first digit starts no prefix is read as written.
3. `national.NationalRules` decides validity and landline for all the national numbers
   of one (country code, length) at once, with an automaton numpy steps (`automaton`).

The Excel and 00-prefix rules of `check` apply on top, as in `check_phone`. Only public
metadata and `re` are used; what could drift is phonenumbers' own logic, so the fast path
runs only on the releases it was proven on (`TESTED_PHONENUMBERS`, pyproject's pin), and
tests/unit/test_phones_differential.py compares every row of the four benchmark lists
and a million messy values with phonenumbers' own verdicts.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from functools import cache
from itertools import chain, compress

import numpy as np
import phonenumbers

from trackly_desktop.core.phones.check import (
    INVALID_FOR_COUNTRY,
    LANDLINE,
    TOO_LONG,
    TOO_SHORT,
    check_phone,
    excel_precheck,
    international_00_reading,
)
from trackly_desktop.core.phones.national import INVALID, LANDLINE_NUMBER, national_rules
from trackly_desktop.core.phones.reading import LOCAL_ONLY, LONG, SHORT, PlainReader, region
from trackly_desktop.core.progress import CancelToken, ProgressCallback, no_progress

# The phonenumbers releases whose parse/validate logic this module follows (pyproject pins
# the same range; tests/unit/test_phones_differential.py proves each release CI installs).
TESTED_PHONENUMBERS = ((9, 0, 0), (9, 1, 0))  # from, up to (excluded)

# Full-width digits and plus, as Japanese/Chinese input methods type them, and no-break
# spaces: phonenumbers reads them as ASCII digits, "+" and a space.
_WIDE = [(chr(0xFF10 + d), str(d)) for d in range(10)] + [("\uff0b", "+"), ("\u00a0", " ")]
# Optional apostrophe and brackets, at most one leading "+", then digits and separators.
_PLAIN = re.compile(r"[ \u00a0]*'?[ \u00a0(]*[+\uff0b]?[0-9\uff10-\uff19 \u00a0\-.()]*")
_NOT_DIGITS = b" '-.()"  # what plain values hold besides digits and a "+"
_SEPARATOR = "\x1e"  # joins a chunk's values for one translate; checked absent
# At least 3 digits: with fewer, punctuation matters to phonenumbers ("12" vs "1 2").
# Longer text: parse's own limit is 250; nobody types a 64-character phone number by hand.
_MIN_DIGITS = 3
_MIN_NSN, _MAX_NSN = 2, 17  # parse refuses shorter and longer national numbers
_MAX_TEXT = 64

Verdict = tuple[str | None, str | None, str | None]  # (e164, reason, warning)
Columns = tuple[list[str | None], list[str | None], list[str | None]]
CHUNK = 8192
# `is_possible_number_with_reason` on an invalid number, as a reason code.
_LENGTH_REASON = {LOCAL_ONLY: TOO_SHORT, SHORT: TOO_SHORT, LONG: TOO_LONG}


def plain_keys(values: Sequence[str]) -> list[str | None]:
    """For each plain value its digits, after a "+" when it has one; None for anything else.

    The separators go in one `translate` over the whole chunk, not one call per value.
    """
    joined = _SEPARATOR.join(values)
    if joined.count(_SEPARATOR) != len(values) - 1:  # a value holds it: that one is not plain
        values = ["" if _SEPARATOR in value else value for value in values]
        joined = _SEPARATOR.join(values)
    if not joined.isascii():
        for wide, ascii_form in _WIDE:
            if wide in joined:
                joined = joined.replace(wide, ascii_form)
    # Any other non-ASCII character becomes "?", which no plain value holds.
    stripped = joined.encode("ascii", "replace").translate(None, _NOT_DIGITS).decode("ascii")
    # A "+" or an apostrophe anywhere but at the start makes a value not plain; digits after
    # one "+" mean one plus: first, with no apostrophe, the rest is as _PLAIN wants.
    return [
        key
        if (key.isdigit() or (key[:1] == "+" and key[1:].isdigit()))
        and len(key) - (key[0] == "+") >= _MIN_DIGITS
        and len(value) <= _MAX_TEXT
        and (("'" not in value and (key[0] != "+" or value[0] == "+")) or _PLAIN.fullmatch(value))
        else None
        for key, value in zip(stripped.split(_SEPARATOR), values, strict=True)
    ]


def plain_key(value: str) -> str | None:
    return plain_keys([value])[0]


def fast_path_available() -> bool:
    """Is the installed phonenumbers a release this module was proven on?"""
    try:
        version = tuple(int(part) for part in phonenumbers.__version__.split(".")[:3])
    except ValueError:
        return False
    return TESTED_PHONENUMBERS[0] <= version < TESTED_PHONENUMBERS[1]


@cache
def _invalid_reason(code: int, length: int) -> str:
    """Why a `length`-digit national number of `code` that is not valid is refused."""
    main = region(code, phonenumbers.region_code_for_country_code(code))
    if main is None:
        return INVALID_FOR_COUNTRY
    return _LENGTH_REASON.get(main.length_check(length), INVALID_FOR_COUNTRY)


class FastChecker:
    """`check_phone` for one country, a whole column at a time."""

    def __init__(self, country: str) -> None:
        self.country = country
        self._reader: PlainReader | None = None
        if fast_path_available():
            with contextlib.suppress(ValueError):  # an unknown region: phonenumbers decides
                self._reader = PlainReader(country)
        self._slow: dict[str, Verdict] = {}  # values phonenumbers checked itself
        self.phonenumbers_checks = 0  # for tests and benchmarks: values phonenumbers checked

    def _chunk(self, values: Sequence[str]) -> Columns:
        """The verdicts on some values: each read on its own, then decided group by group.

        A value written with a leading 00 also gets its "+" reading as row `count + row`,
        which replaces a refusal when it is valid (`check.with_00_prefix_rule`).
        """
        count = len(values)
        e164s, reasons, warnings = (np.full(2 * count, None, dtype=object) for _ in range(3))
        groups: dict[int, tuple[list[int], list[str]]] = {}  # code * 32 + length -> rows
        slow: list[int] = []  # rows phonenumbers checks itself
        reader = self._reader
        if reader is None:  # phonenumbers decides every value
            found = [self._phonenumbers(value) for value in values]
            return [f[0] for f in found], [f[1] for f in found], [f[2] for f in found]
        read, plus_route, idd = reader.read, reader.plus_route, reader.default.idd
        routes = reader.plus_routes
        plain_starts, idd_starts = reader.plain_starts, reader.idd_starts
        own_group = reader.default.code * 32
        keys = plain_keys(values)
        plus_readings: list[tuple[int, str]] = []
        for row, plain in chain(enumerate(keys), plus_readings):
            key = plain
            if row < count:
                value = values[row]
                if key is not None and "." in value:
                    # A dot may be a decimal Excel made of a number: the Excel rules first.
                    text, reasons[row] = excel_precheck(value)
                    if text is None:
                        continue
                    if text != value:  # a numeric cell's ".0", dropped
                        value, key = text, plain_key(text)
                if key is None:
                    slow.append(row)
                    continue
                # Fewer digits after 00 make no valid number: nothing to read again.
                if key[0] == "0" == key[1] and len(key) > 4 and international_00_reading(value):
                    plus_readings.append((count + row, "+" + key[2:]))
            if len(key) <= _MAX_NSN and (
                key[0] in plain_starts or (key[0] in idd_starts and idd(key) is None)
            ):
                group_key, national = own_group + len(key), key  # read as it is written
            else:
                route = None
                if key[0] == "+" and len(key) > 3:
                    route = routes.get(key[1:4]) or plus_route(key)
                national = key[route[1] :] if route else ""
                if route and _MIN_NSN <= len(national) <= _MAX_NSN and national[:2] not in route[2]:
                    group_key = route[0] * 32 + len(national)  # the code, no national prefix
                else:
                    found = read(key)
                    if isinstance(found, str):
                        reasons[row] = found
                        continue
                    group_key, national = found[0] * 32 + len(found[1]), found[1]
            group = groups.get(group_key)
            if group is None:
                group = groups[group_key] = ([], [])
            group[0].append(row)
            group[1].append(national)
        for group_key, (rows, nationals) in groups.items():
            code, length = divmod(group_key, 32)
            outcomes = national_rules(code, length).outcomes(nationals)
            if outcomes is None:  # patterns beyond the automaton's syntax
                slow.extend(row % count for row in rows)
                continue
            at, valid = np.asarray(rows), outcomes != INVALID
            numbers = list(map(f"+{code}".__add__, compress(nationals, valid.tolist())))
            e164s[at[valid]] = np.array(numbers, dtype=object)
            warnings[at[outcomes == LANDLINE_NUMBER]] = LANDLINE
            reasons[at[~valid]] = _invalid_reason(code, length)
        for plus_row, _key in plus_readings:
            row = plus_row - count
            if e164s[plus_row] is not None and e164s[row] is None:
                e164s[row], reasons[row], warnings[row] = e164s[plus_row], None, warnings[plus_row]
        for row in slow:
            e164s[row], reasons[row], warnings[row] = self._phonenumbers(values[row])
        return e164s[:count].tolist(), reasons[:count].tolist(), warnings[:count].tolist()

    def _phonenumbers(self, value: str) -> Verdict:
        found = self._slow.get(value)
        if found is None:
            self.phonenumbers_checks += 1
            check = check_phone(value, self.country)
            found = check.e164, check.reason, check.warning
            if len(self._slow) < 1 << 20:  # a bound on memory for hostile files
                self._slow[value] = found
        return found

    def check_columns(
        self,
        values: Sequence[str],
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> tuple[list[str | None], list[str | None], list[str | None]]:
        """(E.164s, reasons, warnings) for every value, in order."""
        total = len(values)
        step = max(CHUNK, total // 100)
        columns: Columns = ([], [], [])
        for start in range(0, total, step):
            if cancel is not None:
                cancel.raise_if_cancelled()
            found = self._chunk(values[start : start + step])
            for column, part in zip(columns, found, strict=True):
                column.extend(part)
            progress(min(start + step, total), total, "Checking numbers")
        if total == 0:
            progress(0, 0, "Checking numbers")
        return columns
