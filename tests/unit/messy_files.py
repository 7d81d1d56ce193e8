"""Generators of the messy files customers really send, for any test that needs one.

Each function writes one file under `folder` and returns its path, so every case is
visible in code. Text files are written byte for byte (encoding, BOM, delimiter, line
ends chosen explicitly); workbooks with openpyxl (.xlsx), xlwt (.xls) or by hand (.ods).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Sequence
from pathlib import Path

CONTACT_HEADER = ("First Name", "Last Name", "Phone", "Notes")
CONTACT_ROWS = (
    ("José", "García", "(415) 555-0101", "café on 5th"),
    ("Zoë", "Müller", "415.555.0102", "prefers SMS"),
    ("Anna", "Smith", "+1 415 555 0103", ""),
)


def delimited_text(
    rows: Sequence[Sequence[str]], delimiter: str = ",", line_end: str = "\r\n"
) -> str:
    """Rows as delimited text, quoting cells that need it (like Excel does)."""
    out = io.StringIO()
    for row in rows:
        cells = []
        for cell in row:
            needs_quotes = any(ch in cell for ch in (delimiter, '"', "\n", "\r"))
            cells.append('"' + cell.replace('"', '""') + '"' if needs_quotes else cell)
        out.write(delimiter.join(cells) + line_end)
    return out.getvalue()


def write_text(
    folder: Path,
    name: str,
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    delimiter: str = ",",
    line_end: str = "\r\n",
) -> Path:
    data = delimited_text(rows, delimiter, line_end).encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[
            encoding
        ] + data
    path = folder / name
    path.write_bytes(data)
    return path


def contacts() -> list[tuple[str, ...]]:
    return [CONTACT_HEADER, *CONTACT_ROWS]


def cp1252_csv(folder: Path) -> Path:
    """Excel's plain "CSV" on Windows: Windows-1252, comma, CRLF."""
    return write_text(folder, "cp1252.csv", contacts(), encoding="cp1252")


def utf8_bom_csv(folder: Path) -> Path:
    """Excel's "CSV UTF-8": a BOM before the first header."""
    return write_text(folder, "bom.csv", contacts(), bom=True)


def utf16_unicode_text(folder: Path) -> Path:
    """Excel's "Unicode text": UTF-16 LE with BOM, tab-delimited."""
    return write_text(
        folder, "unicode.txt", contacts(), encoding="utf-16-le", bom=True, delimiter="\t"
    )


def semicolon_csv(folder: Path) -> Path:
    """A European Excel CSV: semicolons, decimal commas in a notes column."""
    rows = [(*r[:3], "paid 12,50") for r in contacts()[1:]]
    return write_text(folder, "semicolon.csv", [CONTACT_HEADER, *rows], delimiter=";")


def title_rows_csv(folder: Path) -> Path:
    """A title, a date line and a blank line above the header."""
    rows = [("Customer list — exported 1 Nov",), ("",), *contacts(), ("",), ("",)]
    return write_text(folder, "titled.csv", rows)


def quoted_newline_csv(folder: Path) -> Path:
    """A notes cell spanning two lines, so later records start a line further down."""
    rows = [
        CONTACT_HEADER,
        ("Ann", "Lee", "4155550101", "line one\nline two"),
        ("Bob", "Ray", "4155550102", "one line"),
    ]
    return write_text(folder, "multiline.csv", rows, line_end="\n")


def scientific_csv(folder: Path) -> Path:
    """What Excel leaves after opening and re-saving a CSV of long numbers."""
    rows = [("Name", "Phone"), ("Ann", "1.41555E+10"), ("Bob", "4.479E+11"), ("Cy", "4155550103")]
    return write_text(folder, "scientific.csv", rows)


def xlsx(
    folder: Path,
    name: str,
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    hidden: Sequence[str] = (),
) -> Path:
    """A workbook with one sheet per entry; None cells stay empty."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        if title in hidden:
            sheet.sheet_state = "hidden"
    path = folder / name
    workbook.save(path)
    return path


def numeric_phones_xlsx(folder: Path) -> Path:
    """Phones typed as numbers (floats in the file), plus Excel-damaged ones."""
    return xlsx(
        folder,
        "numeric.xlsx",
        {
            "Contacts": [
                ("Name", "Phone"),
                ("Ann", 4155550101),
                ("Bob", 14155550102),
                ("Cy", 4155550103.5),
                ("Di", 1.2345678901234567e19),
                ("Ed", "1.41555E+10"),
            ]
        },
    )


def formatted_tail_xlsx(folder: Path) -> Path:
    """A title row, data, then rows that only carry formatting (Excel keeps those)."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Clients"
    sheet["A1"] = "Customer list — exported 1 Nov"
    sheet.append([])
    for row in contacts():
        sheet.append(list(row))
    for row in range(8, 40):
        for column in range(1, 7):
            cell = sheet.cell(row=row, column=column)
            cell.fill = PatternFill("solid", fgColor="FFFF00")
            cell.font = Font(bold=True)
    path = folder / "formatted.xlsx"
    workbook.save(path)
    return path


def xls(folder: Path, rows: Sequence[Sequence[object]], name: str = "legacy.xls") -> Path:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Contacts")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    path = folder / name
    workbook.save(str(path))
    return path


def ods(folder: Path, rows: Sequence[Sequence[object]], name: str = "calc.ods") -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (mimetype first, stored)."""
    from xml.sax.saxutils import escape

    cells_xml = []
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, (int, float)):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    '<table:table-cell office:value-type="string">'
                    f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                )
        cells_xml.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Contacts">'
        + "".join(cells_xml)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


# --- bad input -----------------------------------------------------------------------


def empty_file(folder: Path, name: str = "empty.csv") -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def pdf_renamed_xlsx(folder: Path) -> Path:
    path = folder / "invoice.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 20)
    return path


def truncated_xlsx(folder: Path) -> Path:
    """A real workbook cut off half way, as after a failed download."""
    whole = xlsx(folder, "whole.xlsx", {"Contacts": contacts()})
    path = folder / "truncated.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return path


def password_xlsx(folder: Path) -> Path:
    """A real Excel-encrypted workbook (password "secret")."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = xlsx(folder, "plain.xlsx", {"Contacts": contacts()})
    path = folder / "locked.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    return path


def zip_bomb_xlsx(folder: Path, unpacked_mb: int = 64) -> Path:
    """A workbook whose sheet is megabytes of one repeated byte: tiny packed, huge unpacked."""
    whole = xlsx(folder, "normal.xlsx", {"Contacts": contacts()})
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                continue
            target.writestr(item, source.read(item.filename), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(unpacked_mb):
                sheet.write(block)
    return path


def huge_sparse_file(folder: Path, gigabytes: int = 3, name: str = "huge.csv") -> Path:
    """A file that reports several GB but occupies no disk (sparse)."""
    path = folder / name
    with path.open("wb") as handle:
        handle.truncate(gigabytes * 1024**3)
    return path


def long_cell_csv(folder: Path, chars: int = 1024 * 1024) -> Path:
    rows = [
        ("Name", "Phone", "Notes"),
        ("Ann", "4155550101", "x" * chars),
        ("Bob", "4155550102", ""),
    ]
    return write_text(folder, "long_cell.csv", rows)


def binary_garbage(folder: Path, name: str = "garbage.csv", size: int = 200_000) -> Path:
    path = folder / name
    path.write_bytes(random.Random(7).randbytes(size))
    return path
