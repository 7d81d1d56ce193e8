"""Write the rows that failed to a CSV or Excel file the operator can open, fix and reuse.

CSV is UTF-8 with a BOM so Excel reads accents and emoji right. Any cell that starts like
a formula (`=`, `+`, `-`, `@`, tab or carriage return) is made inert: an apostrophe in
front in CSV (what Excel itself does), and in XLSX a plain string cell, never a formula.
Phone numbers start with "+", so this matters for every row, not only hostile ones.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from trackly_desktop.atomic_files import write_atomically
from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.formula_safety import csv_safe
from trackly_desktop.core.journal.schema import FailureRow

HEADERS = ("Spreadsheet row", "Name", "Phone", "What went wrong", "Code")
def _cells(row: FailureRow) -> tuple[object, ...]:
    return (row.row, row.name, row.phone, row.explanation, row.code)


def export_failures(rows: Iterable[FailureRow], path: str | Path) -> Path:
    """Write `rows` to `path` (.csv, or .xlsx for Excel); returns the path written.

    The file appears whole or not at all (written beside it, then moved into place).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise TracklyDesktopError(
            f"Cannot save the failures as “{path.name}”: choose a name ending in .csv or .xlsx."
        )
    write = _write_csv if suffix == ".csv" else _write_xlsx
    try:
        return write_atomically(path, lambda tmp: write(rows, tmp), prefix=".failures-")
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _cannot_write(path: Path, exc: OSError) -> TracklyDesktopError:
    reason = exc.strerror or type(exc).__name__
    return TracklyDesktopError(
        f"Could not save the failures to “{path}” ({reason}); "
        "choose another folder or close the file if it is open in Excel."
    )


def _write_csv(rows: Iterable[FailureRow], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([csv_safe(c) if isinstance(c, str) else c for c in _cells(row)])


def _write_xlsx(rows: Iterable[FailureRow], path: Path) -> None:
    # Imported only when someone exports to Excel.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Failures")
    sheet.append(list(HEADERS))
    for row in rows:
        cells = []
        for value in _cells(row):
            if isinstance(value, str):
                # openpyxl treats a str starting with "=" as a formula; force a string cell.
                # Control characters are not allowed in XLSX at all.
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = TYPE_STRING
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(path)
