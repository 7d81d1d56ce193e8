"""How many cells a workbook's sheets will hold once opened, found before they are opened.

calamine turns a sheet into one dense block from its first to its last used cell: an
.xlsx of two cells, A1 and XFD1048576, asks for 17 billion cells and the process dies
in native code (no exception to catch). An .ods row "repeated" a million times, sixteen
thousand cells wide, is a few hundred bytes that unpack the same way. So the sheets'
XML is scanned first, streamed and unpacked a megabyte at a time, for the span their
cells cover (xlsx) or the cells their repeats expand to (ods), and the file is refused
when a sheet's block would be over MAX_WORKBOOK_CELLS.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

_CHUNK = 1 << 20
# A cell's reference attribute: letters then digits (rows' r="7" have no letters).
_XLSX_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,9})"')
_ODS_TAG = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table(?=[\s>]))\b([^>]*?)(/?)>"
    rb"|</table:(table-row)>"
)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]{1,12})"')


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, overlap: int) -> Iterator[bytes]:
    """The member unpacked in pieces; each piece repeats the previous one's last `overlap`
    bytes, so a match cut at a piece boundary is seen whole in the next."""
    tail = b""
    with archive.open(member) as stream:
        while True:
            piece = stream.read(_CHUNK)
            if not piece:
                return
            yield tail + piece
            tail = piece[-overlap:]


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def xlsx_sheet_cells(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Cells in the dense block from the sheet's first to its last referenced cell."""
    rows: list[int] = []
    columns: set[bytes] = set()
    for piece in _chunks(archive, member, overlap=16):
        refs = _XLSX_REF.findall(piece)
        if refs:
            columns.update(letters for letters, _ in refs)
            numbers = [int(row) for _, row in refs]
            rows += (min(numbers), max(numbers))
    if not rows:
        return 0
    numbers = [_column_number(letters) for letters in columns]
    return (max(rows) - min(rows) + 1) * (max(numbers) - min(numbers) + 1)


def ods_sheet_cells(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Cells in the largest table's dense block once repeats are expanded: rows down to
    the last row holding a value, cells across to the last cell holding one (LibreOffice
    ends every sheet with a thousand empty repeated cells and a million empty rows)."""
    largest = height = width = rows_seen = row_repeat = row_cells = pending_empty = 0
    for piece in _chunks(archive, member, overlap=0):
        for tag, attrs, closed, end_row in _ODS_TAG.findall(piece):
            if tag == b"table":
                largest = max(largest, height * width)
                height = width = rows_seen = 0
            elif tag == b"table-row":
                repeat = _ODS_REPEAT.search(attrs)
                row_repeat = int(repeat.group(1)) if repeat else 1
                row_cells = pending_empty = 0
                if closed:  # <table:table-row/>: no cells at all
                    rows_seen += row_repeat
            elif tag:
                repeat = _ODS_REPEAT.search(attrs)
                count = int(repeat.group(1)) if repeat else 1
                if b"value-type" in attrs or not closed:  # a value, or text inside
                    row_cells += pending_empty + count
                    pending_empty = 0
                else:
                    pending_empty += count
            elif end_row:
                rows_seen += row_repeat
                if row_cells:
                    height = rows_seen
                    width = max(width, row_cells)
    return max(largest, height * width)


def largest_sheet_cells(path: Path, archive: zipfile.ZipFile) -> int:
    """The most cells any sheet of this .xlsx/.xlsm/.ods would be opened as."""
    largest = 0
    for member in archive.infolist():
        name = member.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            largest = max(largest, xlsx_sheet_cells(archive, member))
        elif name == "content.xml":
            largest = max(largest, ods_sheet_cells(archive, member))
    return largest
