"""Reading workbooks (.xlsx, .xlsm, .xls, .ods) with python-calamine, every cell as text.

Before calamine opens a zip-based workbook, its central directory is checked so a zip
bomb is refused without unpacking anything. Cells become text by `cell_text` rules.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine as calamine

from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.progress import CancelToken, ProgressCallback
from trackly_desktop.core.reading.cell_text import cell_text, cell_texts
from trackly_desktop.core.reading.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_WORKBOOK_CELLS,
    RATIO_CHECK_MIN_BYTES,
)
from trackly_desktop.core.reading.text_files import cell_too_long, too_many_cells
from trackly_desktop.core.reading.workbook_extent import largest_sheet_cells

_CHUNKS = 100  # report progress about every 1%


def check_zip_container(path: Path) -> None:
    """Refuse a corrupt zip or a zip bomb, reading only the central directory."""
    damaged = InputFileError(
        f"{path.name} is damaged: it is not a complete workbook. "
        "Open it in Excel, save it again and try again."
    )
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # zipfile raises many kinds (BadZipFile, NotImplementedError...)
        raise damaged from exc
    with archive:
        total = 0
        for member in archive.infolist():
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size >= RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise _too_big(path)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _too_big(path)
        try:
            cells = largest_sheet_cells(path, archive)
        except Exception as exc:  # a damaged member: zipfile and zlib raise many kinds
            raise damaged from exc
    if cells > MAX_WORKBOOK_CELLS:
        raise too_many_workbook_cells(path, cells)


def too_many_workbook_cells(path: Path, cells: int) -> InputFileError:
    return InputFileError(
        f"{path.name} has a sheet spanning {cells:,} cells from its first to its last used "
        f"cell, more than the {MAX_WORKBOOK_CELLS:,} this app reads from a workbook: delete "
        "the rows and columns you do not need (or save it as CSV) and try again."
    )


def _too_big(path: Path) -> InputFileError:
    return InputFileError(
        f"{path.name} unpacks to far more data than a contact list holds, so it was not "
        "opened: save just the contacts in a new workbook and try again."
    )


def open_workbook(path: Path) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise password_protected(path) from exc
    except Exception as exc:  # calamine raises many kinds for broken files; all mean one thing
        raise InputFileError(
            f"{path.name} could not be opened as a workbook: it is damaged or not really "
            f"a {path.suffix.lower() or 'spreadsheet'} file. Open it in Excel, save it "
            "again and try again."
        ) from exc


def password_protected(path: Path) -> InputFileError:
    return InputFileError(
        f"{path.name} is password-protected: open it in Excel, remove the password, "
        "save it and try again."
    )


def worksheet_names(workbook: calamine.CalamineWorkbook) -> list[str]:
    """Visible worksheets in workbook order (chart sheets and hidden sheets left out)."""
    metadata = workbook.sheets_metadata
    worksheets = [m for m in metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    visible = [m.name for m in worksheets if m.visible == calamine.SheetVisibleEnum.Visible]
    return visible or [m.name for m in worksheets] or list(workbook.sheet_names)


def load_sheet(
    path: Path, workbook: calamine.CalamineWorkbook, name: str
) -> calamine.CalamineSheet:
    if name not in workbook.sheet_names:
        raise InputFileError(f"{path.name} has no sheet named “{name}”.")
    try:
        return workbook.get_sheet_by_name(name)
    except calamine.PasswordError as exc:
        raise password_protected(path) from exc
    except Exception as exc:
        raise InputFileError(
            f"The sheet “{name}” in {path.name} is damaged and could not be read. "
            "Open the file in Excel, save it again and try again."
        ) from exc


def sheet_has_data(sheet: calamine.CalamineSheet) -> bool:
    if sheet.start is None:
        return False
    return any(cell_text(v).strip() for row in sheet.to_python(nrows=200) for v in row)


def _text_block(chunk: list[list[object]]) -> np.ndarray:
    """Rows of calamine values as a 2-D array of text; only non-text cells are converted."""
    width = max(map(len, chunk))
    cells = list(itertools.chain.from_iterable(chunk))
    if len(cells) != width * len(chunk):  # ragged rows: not seen from calamine, but pad
        cells = [c for row in chunk for c in (*row, *[""] * (width - len(row)))]
    # Flat and filled by slice: np.array() on nested lists or on type objects is slow.
    flat = np.empty(len(cells), dtype=object)
    flat[:] = cells
    types = np.fromiter(map(type, flat), dtype=object, count=len(flat))
    not_text = np.flatnonzero(types != str)  # noqa: E721 - element-wise, over a numpy array
    if len(not_text):
        flat[not_text] = cell_texts(flat[not_text])
    return flat.reshape(len(chunk), width)


def _first_long_row(block: np.ndarray) -> int | None:
    flat = block.reshape(-1)
    if not len(flat) or max(map(len, flat)) < MAX_CELL_CHARS:  # C-speed; rarely more
        return None
    lengths = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
    return int(np.argmax(lengths >= MAX_CELL_CHARS)) // block.shape[1]


def read_sheet_grid(
    path: Path,
    sheet: calamine.CalamineSheet,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> tuple[pd.DataFrame, np.ndarray, int]:
    """The sheet as a text grid: (frame with integer column labels, row numbers, first column).

    Row numbers are Excel's (1-based); the first column is Excel's 0-based index of the
    frame's column 0, so names like "C" match the letters the operator sees.
    """
    end = sheet.end
    if end is None:
        return pd.DataFrame(), np.zeros(0, dtype=np.int64), 0
    last_row, last_col = end
    if last_row + 1 > MAX_ROWS:
        raise InputFileError(
            f"{path.name} has {last_row + 1:,} rows, more than Excel allows; "
            "split it into smaller files and try again."
        )
    if last_col + 1 > MAX_COLUMNS:
        raise InputFileError(f"{path.name} has more columns than Excel allows.")
    total = last_row + 1
    if total * max(sheet.width, 1) > MAX_CELLS:
        raise too_many_cells(path, sheet.width)
    if sheet.height * sheet.width > MAX_WORKBOOK_CELLS:  # .xls: not measured before opening
        raise too_many_workbook_cells(path, sheet.height * sheet.width)
    chunk_rows = max(1_000, total // _CHUNKS)
    rows_iter = sheet.iter_rows()
    too_long_at: int | None = None  # position of the first over-long cell's row
    blocks: list[np.ndarray] = []
    done = 0
    progress(0, total, "Reading")
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        chunk = list(itertools.islice(rows_iter, chunk_rows))
        if not chunk:
            break
        block = _text_block(chunk)
        if too_long_at is None:
            too_long_at = _first_long_row(block)
            if too_long_at is not None:
                too_long_at += done
        blocks.append(block)
        done += len(chunk)
        progress(min(done, total), total, "Reading")
    width = blocks[0].shape[1] if blocks else 0
    # calamine yields rows up to the last used one; it may start at row 1 or at the first
    # used row depending on version, so derive the offsets from the end position.
    first_row = last_row + 1 - done
    first_col = last_col + 1 - width
    if too_long_at is not None:
        raise cell_too_long(path, first_row + too_long_at + 1)
    grid = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
    frame = pd.DataFrame(grid, dtype=object)
    row_numbers = np.arange(first_row + 1, first_row + 1 + done, dtype=np.int64)
    return frame, row_numbers, first_col
