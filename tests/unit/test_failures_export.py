"""Failures export: CSV with BOM and XLSX, read back; formulas are never live."""

from __future__ import annotations

import csv
import zipfile

import pytest
from openpyxl import load_workbook

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.journal.schema import FailureRow
from trackly_desktop.core.results.export import HEADERS, export_failures

ROWS = [
    FailureRow(2, "Zoë Ñúñez", "+14155550101", "not_sendable", "Trackly cannot text it.", False),
    FailureRow(7, '=HYPERLINK("http://evil")', "-12+A1", "opted_out", "@SUM(A1)", False),
    FailureRow(9, "\tTabbed", "\rCR", "invalid_phone", "plain", True),
    FailureRow(11, "Bell\x07 name", "", "x", "emoji 🎉", True),
]


def test_csv_has_bom_headers_and_inert_formulas(tmp_path):
    path = export_failures(ROWS, tmp_path / "out" / "failures.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        data = list(csv.reader(handle))
    assert tuple(data[0]) == HEADERS
    # The phone number stays usable by other programs: no apostrophe in front of it.
    assert data[1] == ["2", "Zoë Ñúñez", "+14155550101", "Trackly cannot text it.", "not_sendable"]
    assert data[2] == ["7", '\'=HYPERLINK("http://evil")', "'-12+A1", "'@SUM(A1)", "opted_out"]
    assert data[3][1:3] == ["'\tTabbed", "'\rCR"]
    assert data[4][3] == "emoji 🎉"
    for line in data[2:]:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_cells_are_strings_never_formulas(tmp_path):
    path = export_failures(ROWS, tmp_path / "failures.xlsx")
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == HEADERS
    assert values[1] == [2, "Zoë Ñúñez", "+14155550101", "Trackly cannot text it.", "not_sendable"]
    assert values[2][1] == '=HYPERLINK("http://evil")'
    assert values[4][1] == "Bell name"  # a control character XLSX cannot hold is dropped
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type in ("s", "n", "inlineStr")  # never "f"
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_empty_export_still_has_headers(tmp_path):
    path = export_failures([], tmp_path / "none.csv")
    assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(HEADERS)]


def test_unknown_suffix_is_refused_in_plain_words(tmp_path):
    with pytest.raises(TracklyDesktopError, match=r"\.csv or \.xlsx"):
        export_failures(ROWS, tmp_path / "failures.txt")


def test_unwritable_place_is_one_sentence(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TracklyDesktopError, match="Could not save"):
        export_failures(ROWS, blocker / "sub" / "failures.csv")
    assert not list(tmp_path.glob("**/.failures-*"))
