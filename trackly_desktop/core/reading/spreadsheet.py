"""Reading a customer spreadsheet into a Table: the one entry point for window and CLI.

    table = read_table(Path("customers.xlsx"))            # first sheet with data
    table = read_table(path, sheet="March", progress=cb, cancel=token)

Every problem is an InputFileError whose text is one sentence naming the file. The file
kind is decided by its first bytes, not only its name, so a PDF renamed .xlsx or a
workbook renamed .csv is recognised. See `cell_text` for how numeric cells become text
and `header_row` for how the header is found.
"""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineSheet, CalamineWorkbook

from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.progress import CancelToken, ProgressCallback, no_progress
from trackly_desktop.core.reading import workbooks
from trackly_desktop.core.reading.header_row import build_table
from trackly_desktop.core.reading.limits import (
    EXCEL_MAX_ROWS,
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
)
from trackly_desktop.core.reading.table import Table
from trackly_desktop.core.reading.text_files import read_text_grid

__all__ = [
    "EXCEL_MAX_ROWS",
    "HEADER_SEARCH_ROWS",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "SUPPORTED_SUFFIXES",
    "first_sheet_with_data",
    "list_sheets",
    "read_table",
]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and Excel's encrypted .xlsx wrapper
_FOREIGN = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a picture",
    b"\xff\xd8\xff": "a picture",
    b"GIF8": "a picture",
    b"{\\rtf": "a Word document",
    b"\x1f\x8b": "a compressed archive",
    b"Rar!": "a compressed archive",
    b"7z\xbc\xaf": "a compressed archive",
}


def _kind(path: Path) -> str:
    """ "text", "zip" (xlsx/xlsm/ods) or "ole" (xls / encrypted xlsx), from the first bytes."""
    size = _checked_size(path)
    if size == 0:
        raise InputFileError(f"{path.name} is empty: there are no contacts in it.")
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise cannot_open(path, exc) from exc
    if head.startswith((_ZIP, _EMPTY_ZIP)):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    for magic, what in _FOREIGN.items():
        if head.startswith(magic):
            raise InputFileError(
                f"{path.name} is {what}, not a spreadsheet: save your contacts as .xlsx "
                "or .csv and try again."
            )
    if path.suffix.lower() in WORKBOOK_SUFFIXES and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(
        b"<"
    ):
        # Web apps' "Export to Excel" often writes an HTML or XML page named .xls; Excel
        # opens it, we cannot.
        raise InputFileError(
            f"{path.name} is a web page saved with an Excel name, not a real workbook: "
            "open it in Excel, save it as .xlsx and try again."
        )
    # Anything else is read as text whatever its name: those same exports often write
    # tab-separated text named .xls. Damaged workbooks and garbage fail the text checks.
    return "text"


def _checked_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputFileError(f"{path.name} was not found: it may have been moved.") from exc
    except OSError as exc:
        raise cannot_open(path, exc) from exc
    if path.is_dir():
        raise InputFileError(f"{path.name} is a folder, not a spreadsheet.")
    if size > MAX_FILE_BYTES:
        raise InputFileError(
            f"{path.name} is {size / 1024**3:.1f} GB, far larger than a contact list "
            f"(the limit is {MAX_FILE_BYTES // 1024**2} MB): save just the contacts in a "
            "smaller file and try again."
        )
    return size


def _open_workbook(path: Path, kind: str) -> CalamineWorkbook:
    if kind == "zip":
        workbooks.check_zip_container(path)
    elif _is_encrypted_ooxml(path):
        raise workbooks.password_protected(path)
    return workbooks.open_workbook(path)


def _is_encrypted_ooxml(path: Path) -> bool:
    # A password-protected .xlsx is an OLE container with an "EncryptedPackage" stream;
    # its directory entry names are UTF-16.
    marker = "EncryptedPackage".encode("utf-16-le")
    try:
        with path.open("rb") as handle:
            return marker in handle.read()
    except OSError as exc:
        raise cannot_open(path, exc) from exc


def list_sheets(path: Path) -> list[str]:
    """Worksheet names in workbook order (hidden and chart sheets left out); [] for text."""
    path = Path(path)
    kind = _kind(path)
    if kind == "text":
        return []
    workbook = _open_workbook(path, kind)
    try:
        return workbooks.worksheet_names(workbook)
    finally:
        workbook.close()


def first_sheet_with_data(path: Path) -> str | None:
    """The first worksheet holding any value, None for text files or a workbook of blanks."""
    path = Path(path)
    kind = _kind(path)
    if kind == "text":
        return None
    workbook = _open_workbook(path, kind)
    try:
        for name in workbooks.worksheet_names(workbook):
            if workbooks.sheet_has_data(workbooks.load_sheet(path, workbook, name)):
                return name
    finally:
        workbook.close()
    return None


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
) -> Table:
    """Read one sheet (or the text file) as a Table of text cells with file row numbers.

    Progress: (rows done, rows in file, "Reading") about every 1%, and for workbooks first
    (0, 0, "Opening the workbook") while calamine unpacks the sheet (no total known).
    Cancel is checked between chunks. `header_row` (spreadsheet row number, 0 for none)
    overrides the header found; `encoding` names a text file's encoding instead of
    detecting it. Raises InputFileError (one sentence naming the file) or Cancelled.
    """
    path = Path(path)
    kind = _kind(path)
    if kind == "text":
        if sheet is not None:
            raise InputFileError(f"{path.name} is a text file: it has no sheet “{sheet}”.")
        data = _read_bytes(path)
        if data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
            raise _empty(path)  # a bare BOM; blank-only files end as an empty table below
        grid, row_numbers, found = read_text_grid(path, data, progress, cancel, encoding)
        del data
        table = build_table(path, None, grid, row_numbers, header_row=header_row)
        table.encoding = found
    else:
        # calamine unpacks a sheet in one call that reports nothing and cannot stop: say
        # so with an open-ended step (total 0), then count rows while turning cells to text.
        progress(0, 0, "Opening the workbook")
        workbook = _open_workbook(path, kind)
        try:
            names = workbooks.worksheet_names(workbook)
            if sheet is None:
                sheet, loaded = _first_with_data(path, workbook, names)
            else:
                loaded = workbooks.load_sheet(path, workbook, sheet)
            grid, row_numbers, first_col = workbooks.read_sheet_grid(path, loaded, progress, cancel)
        finally:
            workbook.close()
        table = build_table(path, sheet, grid, row_numbers, first_col, header_row=header_row)
    if not table.columns or len(table) == 0:
        raise _empty(path, sheet)
    return table


def _first_with_data(
    path: Path, workbook: CalamineWorkbook, names: list[str]
) -> tuple[str, CalamineSheet]:
    """The first sheet holding data, already loaded (loading is most of a read's time)."""
    for name in names:
        loaded = workbooks.load_sheet(path, workbook, name)
        if workbooks.sheet_has_data(loaded):
            return name, loaded
    raise _empty(path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise cannot_open(path, exc) from exc


def cannot_open(path: Path, exc: OSError) -> InputFileError:
    if isinstance(exc, PermissionError):
        return InputFileError(
            f"{path.name} could not be opened: another program (often Excel) has it locked, "
            "or you may not read it. Close it there and try again."
        )
    return InputFileError(f"{path.name} could not be read: {exc.strerror or exc}.")


def _empty(path: Path, sheet: str | None = None) -> InputFileError:
    where = f"The sheet “{sheet}” in {path.name}" if sheet else path.name
    return InputFileError(f"{where} has no contacts in it: it is empty or holds only a header.")
