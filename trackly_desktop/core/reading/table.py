"""The spreadsheet as the rest of the app sees it: named text columns plus row numbers.

Every cell is a Python `str` ("" when empty): never NaN, None or a float, so nothing
downstream can turn a phone number into `4155551234.0`. `row_numbers[i]` is the row the
operator sees in Excel or a text editor for the i-th kept row; every message about a row
names that number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class Table:
    """One sheet of a spreadsheet, read as text, header row already found and removed.

    `frame` has one column per name in `columns` (object dtype holding Python `str`).
    `header_row` is the file row of the header, None when the file had no header row
    (its columns are then named A, B, C... like Excel's column letters).
    """

    source: Path
    sheet: str | None
    columns: list[str]
    frame: pd.DataFrame
    row_numbers: np.ndarray
    header_row: int | None = None
    # Plain-language notes about what the reader tidied up (e.g. renamed repeated headers),
    # for the window to show under the preview.
    notes: list[str] = field(default_factory=list)
    # Text files only: how the bytes were decoded (core.text_encoding.TextEncoding).
    encoding: Any = None

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def display_name(self) -> str:
        """The file name, plus the sheet for workbooks: "customers.xlsx (Sheet2)"."""
        if self.sheet is None:
            return self.source.name
        return f"{self.source.name} ({self.sheet})"

    def column_values(self, name: str) -> list[str]:
        """All values of one column, in row order."""
        return self.frame[name].tolist()

    def row(self, index: int) -> dict[str, str]:
        """The i-th kept row (0-based position, not the file row number) as header -> text."""
        values = self.frame.iloc[index].tolist()
        return dict(zip(self.columns, values, strict=True))

    def row_number(self, index: int) -> int:
        """The row number the operator sees for the i-th kept row."""
        return int(self.row_numbers[index])

    def head(self, count: int) -> list[list[str]]:
        """The first `count` rows as lists of text, for previews and sniffing."""
        return self.frame.head(count).to_numpy(dtype=object).tolist()
