"""From a raw text grid to a Table: find the header row, name the columns, drop blank rows.

The header is the row, among the first HEADER_SEARCH_ROWS non-blank rows, that best
names the columns holding data below it (see `find_header_index`), so a title such as
"Customer list — exported 1 Nov", blank rows and a merged group row above it are
skipped. When no row above the data looks like names rather than values (phone numbers,
e-mail addresses, plain numbers), the file has no header row and the columns are named
by their Excel letters A, B, C... The operator can name the header row instead
(`header_row`, a spreadsheet row number; 0 for "no header row").

Rows whose cells are all empty are dropped wherever they are (blank separators, and the
formatting-only rows Excel leaves at the end); every kept row keeps its file row number.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.reading.footer_rows import MAX_FOOTER_ROWS, footer_count, footer_note
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
    *,
    header_row: int | None = None,
) -> Table:
    """The Table for a raw grid (integer column labels, text cells, file row numbers).

    `header_row` (a spreadsheet row number, 0 for none) overrides the header found.
    """
    grid, row_numbers = _drop_blank_rows(grid, row_numbers)
    notes: list[str] = []
    if grid.shape[1] == 0 or len(grid) == 0:
        return Table(source, sheet, [], pd.DataFrame(dtype=object), row_numbers[:0], None)
    if header_row is None:
        header_at = find_header_index(grid)
    else:
        header_at = _chosen_header(source, grid, row_numbers, header_row)
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
    body, numbers = _drop_footers(body, numbers, len(keep), notes)
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


def _chosen_header(
    source: Path, grid: pd.DataFrame, row_numbers: np.ndarray, header_row: int
) -> int | None:
    if header_row == 0:
        return None  # the operator says the file has no header row
    at = np.flatnonzero(row_numbers == header_row)
    if not len(at):
        raise InputFileError(
            f"Row {header_row:,} of {source.name} is empty or past the end: choose the row "
            "that holds the column names."
        )
    return int(at[0])


def _drop_footers(
    body: pd.DataFrame, numbers: np.ndarray, width: int, notes: list[str]
) -> tuple[pd.DataFrame, np.ndarray]:
    tail = body.tail(MAX_FOOTER_ROWS).to_numpy(dtype=object).tolist()
    count = footer_count(tail, width)
    if not count:
        return body, numbers
    for row, number in zip(tail[-count:], numbers[-count:], strict=True):
        text = " ".join(c for c in (str(v).strip() for v in row) if c)
        notes.append(footer_note(int(number), text))
    return body.iloc[:-count], numbers[:-count]


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
    """Position (not file row) of the header row in a grid without blank rows, or None.

    Each of the first HEADER_SEARCH_ROWS rows is scored by how many of the columns that
    hold data below it it names with a header-like word (a known header such as "Phone"
    counts double). A title ("Customer list — November") names one column, a merged
    group row above the header ("Customer", "Contact details") a few, the real header
    all of them. A row holding a value (a phone number, an e-mail) is data, not a header.
    """
    sample = grid.head(_WIDTH_SAMPLE_ROWS).to_numpy(dtype=object).tolist()
    cells = [[str(v).strip() for v in row] for row in sample]
    widths = [sum(1 for c in row if c) for row in cells]
    if max(widths, default=0) == 0:
        return None
    best: tuple[float, int] | None = None
    for position, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        if any(_LOOKS_LIKE_VALUE.search(c) for c in row if c):
            break  # data: the header, if any, is above it
        score = _header_score(row, cells[position + 1 :])
        if score is not None and (best is None or score > best[0]):
            best = (score, position)
    if best is None:
        return None
    position = best[1]
    if not looks_like_header(_filled(cells[position]), cells[position + 1 :]):
        return None
    return position


def _header_score(row: list[str], below: list[list[str]]) -> float | None:
    """How well `row` names the data columns below it; None when it cannot be the header."""
    rows = below[:100]
    if not rows:  # a header with nothing under it: "no contacts", not a contact
        return 0.5 * sum(1 for c in row if _HAS_LETTER.search(c))
    data_columns = [
        column
        for column in range(len(row))
        if sum(1 for r in rows if column < len(r) and r[column]) * 4 >= len(rows)
    ]
    if not data_columns:
        return None
    score = 0.0
    for column in data_columns:
        cell = row[column]
        if not cell or not _HAS_LETTER.search(cell):
            continue
        score += 2.0 if is_known_header(cell) else 1.0
    return score if score > 0 else None


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
