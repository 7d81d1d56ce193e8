"""From a raw text grid to a Table: find the header row, name the columns, drop blank rows.

The header is the first row, among the first HEADER_SEARCH_ROWS non-blank rows, that is
about as wide as the data (so a title such as "Customer list — exported 1 Nov" above it
is skipped) and looks like names rather than values (no phone numbers, e-mail addresses
or plain numbers). When the first wide row holds values, the file has no header row and
the columns are named by their Excel letters A, B, C...

Rows whose cells are all empty are dropped wherever they are (blank separators, and the
formatting-only rows Excel leaves at the end); every kept row keeps its file row number.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from trackly_desktop.core.reading.header_words import is_known_header
from trackly_desktop.core.reading.limits import HEADER_SEARCH_ROWS
from trackly_desktop.core.reading.table import Table

_LOOKS_LIKE_VALUE = re.compile(
    r"@|https?://|www\.|\d[\d\s().+\-/]{5,}\d"  # e-mail, link, phone-like digit run
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = str.maketrans("", "", "\ufeff\u200b\u200c\u200d\u2060")
_WIDTH_SAMPLE_ROWS = 200
_BLOCK_ROWS = 65_536  # a few ms of GIL-held numpy work per call


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def build_table(
    source: Path,
    sheet: str | None,
    grid: pd.DataFrame,
    row_numbers: np.ndarray,
    first_column: int = 0,
) -> Table:
    """The Table for a raw grid (integer column labels, text cells, file row numbers)."""
    grid, row_numbers = _drop_blank_rows(grid, row_numbers)
    notes: list[str] = []
    if grid.shape[1] == 0 or len(grid) == 0:
        return Table(source, sheet, [], pd.DataFrame(dtype=object), row_numbers[:0], None)
    header_at = find_header_index(grid)
    if header_at is None:
        header_row = None
        raw_names = [""] * grid.shape[1]
        body, numbers = grid, row_numbers
    else:
        header_row = int(row_numbers[header_at])
        raw_names = [clean_header(v) for v in grid.iloc[header_at].tolist()]
        body = grid.iloc[header_at + 1 :]
        numbers = row_numbers[header_at + 1 :]
    keep = [
        i for i, label in enumerate(grid.columns) if raw_names[i] or _column_has_data(body[label])
    ]
    names = unique_names([raw_names[i] for i in keep], [first_column + i for i in keep], notes)
    # Copy-on-write (pandas 3): these are cheap views until someone writes to them.
    frame = body.iloc[:, keep] if keep != list(range(grid.shape[1])) else body
    frame = frame.set_axis(pd.Index(names, dtype=object), axis=1)
    frame = frame.set_axis(pd.RangeIndex(len(frame)), axis=0)
    return Table(
        source=source,
        sheet=sheet,
        columns=names,
        frame=frame,
        row_numbers=np.ascontiguousarray(numbers, dtype=np.int64),
        header_row=header_row,
        notes=notes,
    )


def _drop_blank_rows(
    grid: pd.DataFrame, row_numbers: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    if len(grid) == 0:
        return grid, row_numbers
    # Narrow the candidate rows column by column: the first column with real data rules
    # out almost every row, so later columns cost next to nothing. Cells of spaces count
    # as blank; str.isspace runs only on cells of the rows still in question. Done in
    # blocks of rows: each numpy call over object cells holds the GIL throughout (a
    # million-cell comparison took 45-70 ms, stalling the window).
    columns = [grid[label].to_numpy(dtype=object) for label in grid.columns]
    blank = np.zeros(len(grid), dtype=bool)
    for start in range(0, len(grid), _BLOCK_ROWS):
        candidates = np.arange(start, min(start + _BLOCK_ROWS, len(grid)))
        for column in columns:
            if not len(candidates):
                break
            values = column[candidates]
            empty = values == ""
            filled = np.flatnonzero(~empty)
            if len(filled):
                empty[filled] = np.fromiter(
                    map(str.isspace, values[filled]), dtype=bool, count=len(filled)
                )
            candidates = candidates[empty]
        blank[candidates] = True
    if not blank.any():
        return grid, row_numbers
    keep = ~blank
    return grid.loc[keep], row_numbers[keep]


def _column_has_data(values: pd.Series) -> bool:
    array = values.to_numpy(dtype=object)
    return bool((array != "").any())


def _filled(cells: list[str]) -> list[str]:
    return [c for c in (str(v).strip() for v in cells) if c]


def find_header_index(grid: pd.DataFrame) -> int | None:
    """Position (not file row) of the header row in a grid without blank rows, or None."""
    sample = grid.head(_WIDTH_SAMPLE_ROWS).to_numpy(dtype=object).tolist()
    widths = [len(_filled(row)) for row in sample]
    widest = max(widths, default=0)
    if widest == 0:
        return None
    needed = max(2, (widest + 1) // 2) if widest >= 2 else 1
    # A wide-enough row naming a known column ("Phone", "First Name") is the header even
    # below a title that is as wide (one-column lists have one-cell titles).
    for position, row in enumerate(sample[:HEADER_SEARCH_ROWS]):
        if widths[position] >= needed and any(is_known_header(c) for c in _filled(row)):
            return position
    for position, row in enumerate(sample[:HEADER_SEARCH_ROWS]):
        if widths[position] < needed:
            continue  # a title or a note above the table
        return position if looks_like_header(_filled(row), sample[position + 1 :]) else None
    return None


def looks_like_header(cells: list[str], below: list[list[str]]) -> bool:
    if any(is_known_header(c) for c in cells):
        return True
    if any(_LOOKS_LIKE_VALUE.search(c) or not _HAS_LETTER.search(c) for c in cells):
        return False
    # All cells are words. If the rows below are words as well (a names-only list), a
    # header is still the likelier reading unless the first row repeats below.
    return not any(_filled(row) == cells for row in below[:50])


def clean_header(value: object) -> str:
    text = str(value).translate(_INVISIBLE)
    return _WHITESPACE.sub(" ", text).strip()


def unique_names(raw: list[str], positions: list[int], notes: list[str]) -> list[str]:
    """Blank names become the column letter; repeats get " (2)", " (3)"..."""
    names: list[str] = []
    seen: set[str] = set()
    for name, position in zip(raw, positions, strict=True):
        base = name or column_letter(position)
        candidate, count = base, 1
        while candidate.casefold() in seen:
            count += 1
            candidate = f"{base} ({count})"
        if name and candidate != name:
            notes.append(
                f"The column header “{name}” appears more than once; "
                f"the repeat is called “{candidate}”."
            )
        seen.add(candidate.casefold())
        names.append(candidate)
    return names
