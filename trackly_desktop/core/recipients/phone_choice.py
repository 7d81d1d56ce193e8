"""Per row, the first usable number among the phone columns and the numbers in a cell.

The phone role takes columns in an order of preference (mobile first, see
`phone_columns`); a cell may hold several numbers (`cell_numbers`). Each row is sent to
the first candidate that is a valid number: column by column in that order, and within a
cell number by number. A row with none gets the reason of its first candidate that is
not blank (the most useful thing to fix), or "missing".

The work goes candidate slot by candidate slot, each slot one call of the fast checker
over the rows still without a number, so the common file (one column, one number per
cell) costs exactly one fast check, and the input column is passed on untouched.
Google's per-contact type columns ("Phone 2 - Type" = Mobile) reorder that row's columns
so its mobile number comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from trackly_desktop.core.contacts.phone_columns import is_mobile_label, kind_word
from trackly_desktop.core.phones.cell_numbers import (
    SEPARATOR_MARKS,
    may_hold_several,
    split_numbers,
)
from trackly_desktop.core.phones.check import MISSING
from trackly_desktop.core.phones.columns import check_phone_columns
from trackly_desktop.core.progress import CancelToken, ProgressCallback, no_progress
from trackly_desktop.core.recipients.reasons import describe

NO_COLUMN = -1


@dataclass
class PhoneChoice:
    """The number chosen for every row, column by column (no object per row)."""

    headers: tuple[str, ...]
    input_phone: list[str]  # the text the number was read from ("" when none)
    e164: list[str | None]
    reason: list[str | None]
    warning: list[str | None]
    # Index into `headers` of the column the number (or the reason) came from, NO_COLUMN
    # when the row has no number in any column; and which number of the cell (0 = first).
    column: np.ndarray
    part: np.ndarray
    # Per row, the column tried first (differs from 0 only with Google type columns).
    first: np.ndarray | None = None
    # Per header, the type/label cells beside it (Google), for the row notes.
    types: dict[int, Sequence[str]] = field(default_factory=dict)
    # Rows whose first choice held a number that cannot be texted: row -> its reason.
    skipped: dict[int, str] = field(default_factory=dict)

    def header(self, i: int) -> str | None:
        column = int(self.column[i])
        return self.headers[column] if column != NO_COLUMN else None

    def note(self, i: int) -> str:
        """Why row i's number is not from its first choice ("" when it is)."""
        first_reason = self.skipped.get(i)
        column, part = int(self.column[i]), int(self.part[i])
        first = int(self.first[i]) if self.first is not None else 0
        if column == NO_COLUMN:
            return ""
        word = self._word(column, i)
        if self.types and part == 0 and word not in ("mobile", ""):
            # Google's per-contact labels: this contact has no number labelled Mobile.
            return f"{word.capitalize()} number used: no mobile number in this row."
        if column == first and part == 0:
            return ""
        if column == first:
            return "The second number in the cell is used: the first one cannot be texted."
        used = self._word(column, i)
        wanted = self._word(first, i)
        used_text = f"{used.capitalize()} number used" if used else f"“{self.headers[column]}” used"
        why = describe(first_reason).rstrip(".").lower() if first_reason else ""
        if wanted:
            missing = f"no {wanted} number in this row"
            cannot = f"the {wanted} number in this row cannot be texted"
        else:
            missing = f"nothing in “{self.headers[first]}” in this row"
            cannot = f"the number in “{self.headers[first]}” cannot be texted"
        return f"{used_text}: {cannot} ({why})." if why else f"{used_text}: {missing}."

    def _word(self, column: int, i: int) -> str:
        types = self.types.get(column)
        return kind_word(self.headers[column], types[i] if types is not None else None)


def choose_phones(
    headers: Sequence[str],
    columns: Sequence[Sequence[str]],
    country: str,
    *,
    types: dict[int, Sequence[str]] | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> PhoneChoice:
    """The first usable number of every row among `columns` (in preference order)."""
    types = types or {}
    n = len(columns[0]) if columns else 0
    first_column = columns[0]
    if len(columns) == 1 and not _any_marks(first_column):
        e164, reason, warning = check_phone_columns(
            first_column, country, progress=progress, cancel=cancel
        )
        column = np.zeros(n, dtype=np.int16)
        column[[i for i, r in enumerate(reason) if r == MISSING]] = NO_COLUMN
        return PhoneChoice(
            tuple(headers), list(first_column) if not isinstance(first_column, list)
            else first_column, e164, reason, warning, column, np.zeros(n, dtype=np.int8),
        )  # fmt: skip
    order = _row_orders(columns, types, n)
    input_phone: list[str] = [""] * n
    e164s: list[str | None] = [None] * n
    reasons: list[str | None] = [MISSING] * n
    warnings: list[str | None] = [None] * n
    used = np.full(n, NO_COLUMN, dtype=np.int16)
    part = np.zeros(n, dtype=np.int8)
    pending = list(range(n))
    explained = np.zeros(n, dtype=bool)  # the row has its first non-blank reason already
    skipped: dict[int, str] = {}
    for slot in range(len(columns)):
        if not pending:
            break
        plain = order is None and not _any_marks(columns[slot])
        for k in range(8):  # at most 8 numbers in one cell
            texts: list[str]
            rows: list[int]
            if plain:
                if k:
                    break
                # One number per cell and the same column for every row: the cells as
                # they are (blank ones are "missing" to the fast checker).
                column = columns[slot]
                rows = pending
                texts = column if len(pending) == n else [column[i] for i in pending]
            else:
                texts, rows = [], []
                for i in pending:
                    c = order[i][slot] if order is not None else slot
                    parts = _parts(columns[c][i])
                    if k < len(parts):
                        rows.append(i)
                        texts.append(parts[k])
            if not rows:
                break
            checked = check_phone_columns(
                texts, country,
                progress=progress if slot == 0 and k == 0 else no_progress, cancel=cancel,
            )  # fmt: skip
            for i, text, number, why, warn in zip(rows, texts, *checked, strict=True):
                c = order[i][slot] if order is not None else slot
                if number is not None:
                    e164s[i], reasons[i], warnings[i] = number, None, warn
                    input_phone[i], used[i], part[i] = text, c, k
                elif why != MISSING and not explained[i]:
                    reasons[i], input_phone[i], used[i], part[i] = why, text, c, k
                    explained[i] = True
                    if slot == 0 and k == 0:
                        skipped[i] = why
            pending = [i for i in pending if e164s[i] is None]
    first = None
    if order is not None:
        first = np.fromiter((o[0] for o in order), dtype=np.int16, count=n)
    skipped = {i: why for i, why in skipped.items() if e164s[i] is not None}
    return PhoneChoice(
        tuple(headers), input_phone, e164s, reasons, warnings, used, part, first, types, skipped
    )


def _any_marks(values: Sequence[str]) -> bool:
    joined = "\x00".join(values)
    return any(mark in joined for mark in SEPARATOR_MARKS)


def _parts(value: str) -> list[str]:
    if not value or value.isspace():
        return []
    return split_numbers(value) if may_hold_several(value) else [value]


def _row_orders(
    columns: Sequence[Sequence[str]], types: dict[int, Sequence[str]], n: int
) -> list[list[int]] | None:
    """Per row, the columns in the order to try them; None when every row uses 0, 1, 2..."""
    if not types:
        return None
    static = list(range(len(columns)))
    orders: list[list[int]] = []
    for i in range(n):
        mobile = [c for c in static if c in types and is_mobile_label(types[c][i])]
        orders.append(mobile + [c for c in static if c not in mobile] if mobile else static)
    return orders
