# ruff: noqa: E501 - the XML namespaces and content types of real workbooks are long
"""Hostile spreadsheet shapes, generated, and a reader run in a child process that reports
its peak memory (VmHWM on Linux, else resource.getrusage ru_maxrss) and what it said.

The child runs under an address-space limit (RLIMIT_AS), so a reader that runs away fails
there with MemoryError instead of taking the shared machine down with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

GB = 1024**3
MB = 1024**2

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.errors import TracklyDesktopError
def peak_kb():
    # VmHWM is this process image's own peak; ru_maxrss also carries the peak of the
    # (v)forked parent image it replaced at exec, i.e. the test runner's size.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
baseline = peak_kb()
start = time.perf_counter()
try:
    table = read_table(Path(sys.argv[1]))
    outcome = f"read {len(table)} rows of {len(table.columns)} columns"
except TracklyDesktopError as exc:
    outcome = "refused: " + str(exc)
except MemoryError:
    outcome = "MemoryError"
print(json.dumps({
    "outcome": outcome,
    "seconds": time.perf_counter() - start,
    "peak_mb": peak_kb() / 1024,
    "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "baseline_mb": baseline / 1024,
}))
"""


def read_in_child(path: Path, *, address_limit: int = 3 * GB, timeout: float = 300) -> dict:
    """Read `path` with read_table in a fresh interpreter; {outcome, seconds, peak_mb, ...}.

    A child killed by the system (or aborting in native code) reports its exit status."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(address_limit)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        return {"outcome": f"crashed ({done.returncode}): {done.stderr.strip()[-300:]}",
                "peak_mb": float("nan"), "seconds": float("nan")}  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- text files ---------------------------------------------------------------------------


def commas_first_line(path: Path) -> Path:
    """118 KB: a first line of 100,000 commas, then two ordinary rows (issue 11, §1)."""
    path.write_bytes(b"," * 100_000 + b"\nPhone,Name\n+14155550100,Ada\n")
    return path


def ten_mb_of_commas(path: Path) -> Path:
    """10 MB of comma lines, 100,000 commas each."""
    line = b"," * 100_000 + b"\n"
    path.write_bytes(line * 100)
    return path


def wide_header(path: Path, columns: int = 20_000, rows: int = 50) -> Path:
    header = ",".join(f"c{i}" for i in range(columns))
    body = ",".join("x" for _ in range(columns))
    path.write_text(header + "\n" + "\n".join([body] * rows) + "\n")
    return path


def long_cell(path: Path, size: int = 40 * MB) -> Path:
    """One header, then a row whose second cell is `size` characters with no delimiter."""
    with path.open("wb") as out:
        out.write(b"Phone,Note\n+14155550100,")
        chunk = b"a" * MB
        for _ in range(size // MB):
            out.write(chunk)
        out.write(b"\n")
    return path


def unclosed_quote(path: Path, size: int = 40 * MB) -> Path:
    with path.open("wb") as out:
        out.write(b'Phone,Note\n+14155550100,"never closed\n')
        line = b"more text, with commas, on many lines\n"
        for _ in range(size // len(line)):
            out.write(line)
    return path


def many_blank_lines(path: Path, lines: int = 30_000_000) -> Path:
    path.write_bytes(b"Phone\n" + b"\n" * lines)
    return path


def many_short_rows(path: Path, rows: int = 1_100_000) -> Path:
    """Over Excel's row limit, one short column."""
    path.write_bytes(b"Phone\n" + b"+14155550100\n" * rows)
    return path


# -- workbooks --------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{overrides}</Types>"
)
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_WS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def xlsx(path: Path, sheets: list[str | Callable[[zipfile.ZipFile, str], None]]) -> Path:
    """A minimal valid .xlsx (as Excel lays it out) whose sheet i holds `sheets[i]`, the
    <sheetData> XML, or is written by a callable(archive, member_name)."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{_SHEET_TYPE}"/>'
        for i in range(len(sheets))
    )
    names = "".join(
        f'<sheet name="Sheet{i + 1}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
        for i in range(len(sheets))
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{_WS}" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheets))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=overrides))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_RNS}><sheets>{names}'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for i, sheet in enumerate(sheets):
            member = f"xl/worksheets/sheet{i + 1}.xml"
            if callable(sheet):
                sheet(archive, member)
            else:
                archive.writestr(
                    member,
                    f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>'
                    f"<sheetData>{sheet}</sheetData></worksheet>",
                )
    return path


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


_HEADER_ROW = '<row r="1">' + _cell("A1", "Phone") + _cell("B1", "Name") + "</row>"


def xlsx_far_corner(path: Path) -> Path:
    """Two cells, A1 and XFD1048576: a reader that makes the sheet dense holds 17 billion."""
    far = '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"
    return xlsx(path, [_HEADER_ROW + far])


def xlsx_many_sheets(path: Path, count: int = 2_000) -> Path:
    return xlsx(path, [_HEADER_ROW] * count)


def xlsx_deep_xml(path: Path, depth: int = 1_000_000) -> Path:
    """A sheet whose one cell sits under a million nested unknown elements."""
    deep = "<x>" * depth + "</x>" * depth
    return xlsx(path, [_HEADER_ROW + f'<row r="2">{deep}</row>'])


def xlsx_zip_bomb(path: Path, size: int = 64 * MB) -> Path:
    """A sheet whose XML unpacks to `size` bytes of whitespace (compressed ~1000x)."""

    def write(archive: zipfile.ZipFile, member: str) -> None:
        with archive.open(member, "w", force_zip64=True) as out:
            out.write(f"<worksheet {_NS}><sheetData>{_HEADER_ROW}".encode())
            blank = b" " * MB
            for _ in range(size // MB):
                out.write(blank)
            out.write(b"</sheetData></worksheet>")

    return xlsx(path, [write])


def xlsx_wide_row(path: Path, columns: int = 16_384, rows: int = 50) -> Path:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i + 1) for i in range(columns)]

    def write(archive: zipfile.ZipFile, member: str) -> None:
        with archive.open(member, "w") as out:
            out.write(f"<worksheet {_NS}><sheetData>".encode())
            for r in range(1, rows + 1):
                cells = "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters)
                out.write(f'<row r="{r}">{cells}</row>'.encode())
            out.write(b"</sheetData></worksheet>")

    return xlsx(path, [write])


def ods_repeated(path: Path, rows: int = 1_048_576, columns: int = 16_384) -> Path:
    """An .ods whose one row of text is repeated `rows` times, `columns` cells wide: a
    few hundred bytes that a reader expanding repeats turns into billions of cells."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Phone</text:p>'
        "</table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" '
        'office:value-type="string"><text:p>+14155550100</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)  # fmt: skip
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def xls_wide(path: Path, columns: int = 256, rows: int = 30_000) -> Path:
    """An .xls as wide as the format allows (256 columns)."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for c in range(columns):
        sheet.write(0, c, f"c{c}")
    for r in range(1, rows):
        for c in range(0, columns, 16):
            sheet.write(r, c, r)
    book.save(str(path))
    return path


SHAPES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "commas-first-line": (".csv", commas_first_line),
    "10mb-of-commas": (".csv", ten_mb_of_commas),
    "wide-header": (".csv", wide_header),
    "long-cell": (".csv", long_cell),
    "unclosed-quote": (".csv", unclosed_quote),
    "many-blank-lines": (".csv", many_blank_lines),
    "over-excel-rows": (".csv", many_short_rows),
    "xlsx-far-corner": (".xlsx", xlsx_far_corner),
    "xlsx-many-sheets": (".xlsx", xlsx_many_sheets),
    "xlsx-deep-xml": (".xlsx", xlsx_deep_xml),
    "xlsx-zip-bomb": (".xlsx", xlsx_zip_bomb),
    "xlsx-wide-rows": (".xlsx", xlsx_wide_row),
    "ods-repeated": (".ods", ods_repeated),
    "ods-million-by-6": (".ods", lambda p: ods_repeated(p, rows=1_000_000, columns=6)),
    "ods-300k-by-6": (".ods", lambda p: ods_repeated(p, rows=300_000, columns=6)),
    "xls-wide": (".xls", xls_wide),
}
