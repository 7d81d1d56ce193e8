"""Reading workbooks (.xlsx, .xlsm, .xls, .ods): sheets, numeric cells, header rows."""

from __future__ import annotations

import datetime as dt
import shutil

import messy_files  # tests/unit is on sys.path (pytest rootdir-less test modules)
import numpy as np
import pytest

from trackly_desktop.core.errors import Cancelled, InputFileError
from trackly_desktop.core.progress import CancelToken
from trackly_desktop.core.reading.cell_text import cell_text, cell_texts
from trackly_desktop.core.reading.spreadsheet import first_sheet_with_data, list_sheets, read_table


def test_xlsx_contacts_with_accents(tmp_path) -> None:
    path = messy_files.xlsx(tmp_path, "c.xlsx", {"Contacts": messy_files.contacts()})
    table = read_table(path)
    assert table.sheet == "Contacts"
    assert table.columns == list(messy_files.CONTACT_HEADER)
    assert table.column_values("First Name") == ["José", "Zoë", "Anna"]
    assert table.column_values("Notes") == ["café on 5th", "prefers SMS", ""]
    assert table.row_numbers.tolist() == [2, 3, 4]
    assert table.display_name == "c.xlsx (Contacts)"
    assert set(map(str, table.frame.dtypes)) == {"object"}


def test_xlsm_is_read_like_xlsx(tmp_path) -> None:
    path = messy_files.xlsx(tmp_path, "c.xlsx", {"Contacts": messy_files.contacts()})
    macro = tmp_path / "c.xlsm"
    shutil.copy(path, macro)
    assert read_table(macro).column_values("Last Name") == ["García", "Müller", "Smith"]


def test_numeric_phone_cells_become_their_digits(tmp_path) -> None:
    table = read_table(messy_files.numeric_phones_xlsx(tmp_path))
    assert table.column_values("Phone") == [
        "4155550101",
        "14155550102",
        "4155550103.5",  # a decimal: visibly not a phone number
        "1.23456789012346E+19",  # too big for Excel's 15 digits: scientific
        "1.41555E+10",  # scientific text stays exactly as stored
    ]


CELL_CASES = [
    (4155551234.0, "4155551234"),
    (-5.0, "-5"),
    (0.1 + 0.2, "0.3"),
    (4155551234.5, "4155551234.5"),
    (1e15, "1E+15"),
    (999_999_999_999_999.0, "999999999999999"),
    (12345678901234567890, "1.23456789012346E+19"),
    (42, "42"),
    (True, "TRUE"),
    (False, "FALSE"),
    (None, ""),
    (float("nan"), ""),
    ("0044 20", "0044 20"),
    (dt.datetime(2024, 11, 1, 13, 5), "2024-11-01 13:05:00"),
    (dt.datetime(2024, 11, 1), "2024-11-01"),
    (dt.date(2024, 11, 2), "2024-11-02"),
    (dt.time(9, 30), "09:30:00"),
    (dt.timedelta(hours=26, minutes=3), "26:03:00"),
]


@pytest.mark.parametrize(("value", "text"), CELL_CASES)
def test_cell_text_rules(value, text) -> None:
    assert cell_text(value) == text


def test_cell_texts_of_a_column_follow_the_same_rules() -> None:
    cases = [
        *CELL_CASES,
        (-0.0, "0"),
        (float("inf"), ""),
        (9.5, "9.5"),
        (-999_999_999_999_999.0, "-999999999999999"),
        (-1e15, "-1E+15"),
        (1e-7, "1E-07"),
    ]
    values = np.empty(len(cases), dtype=object)
    values[:] = [value for value, _text in cases]
    assert cell_texts(values) == [text for _value, text in cases]
    assert cell_texts(np.empty(0, dtype=object)) == []


def test_several_sheets_listed_and_first_with_data_chosen(tmp_path) -> None:
    path = messy_files.xlsx(
        tmp_path,
        "multi.xlsx",
        {
            "Cover": [],
            "Secret": [("Phone",), ("1",)],
            "March": messy_files.contacts(),
            "April": [("Mobile", "Name"), ("4155550199", "Eve")],
        },
        hidden=["Secret"],
    )
    assert list_sheets(path) == ["Cover", "March", "April"]
    assert first_sheet_with_data(path) == "March"
    assert read_table(path).sheet == "March"
    april = read_table(path, sheet="April")
    assert april.columns == ["Mobile", "Name"]
    assert april.column_values("Name") == ["Eve"]
    with pytest.raises(InputFileError, match=r"multi\.xlsx has no sheet named “May”"):
        read_table(path, sheet="May")
    with pytest.raises(InputFileError, match=r"“Cover” in multi\.xlsx has no contacts"):
        read_table(path, sheet="Cover")


def test_title_rows_and_formatting_only_rows(tmp_path) -> None:
    table = read_table(messy_files.formatted_tail_xlsx(tmp_path))
    assert table.header_row == 3
    assert table.columns == list(messy_files.CONTACT_HEADER)
    assert table.row_numbers.tolist() == [4, 5, 6]


def test_table_starting_away_from_a1_keeps_excel_numbers_and_letters(tmp_path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["C4"], sheet["D4"] = "4155550101", "Ann"
    sheet["C5"], sheet["D5"] = "4155550102", "Bob"
    sheet["D9"] = "Cy"
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.header_row is None
    assert table.columns == ["C", "D"]
    assert table.row_numbers.tolist() == [4, 5, 9]
    assert table.column_values("C") == ["4155550101", "4155550102", ""]


def test_xls_is_read(tmp_path) -> None:
    path = messy_files.xls(tmp_path, [("Cell #", "Name"), (4155550101, "José"), (None, "Zoë")])
    table = read_table(path)
    assert table.columns == ["Cell #", "Name"]
    assert table.column_values("Cell #") == ["4155550101", ""]
    assert table.column_values("Name") == ["José", "Zoë"]
    assert list_sheets(path) == ["Contacts"]


def test_ods_is_read(tmp_path) -> None:
    path = messy_files.ods(
        tmp_path, [("Móvil", "Nombre"), (4155550101, "José"), ("+34 600", "Zoë")]
    )
    table = read_table(path)
    assert table.columns == ["Móvil", "Nombre"]
    assert table.column_values("Móvil") == ["4155550101", "+34 600"]
    assert table.row_numbers.tolist() == [2, 3]


def test_workbook_renamed_csv_is_still_read(tmp_path) -> None:
    path = messy_files.xlsx(tmp_path, "c.xlsx", {"Contacts": messy_files.contacts()})
    renamed = tmp_path / "export.csv"
    shutil.copy(path, renamed)
    assert read_table(renamed).column_values("First Name") == ["José", "Zoë", "Anna"]


def test_workbook_progress_and_cancel(tmp_path) -> None:
    rows = [("Phone", "Name")] + [(4155500000 + i, f"N{i}") for i in range(5_000)]
    path = messy_files.xlsx(tmp_path, "many.xlsx", {"Contacts": rows})
    calls: list[tuple[int, int]] = []
    table = read_table(path, progress=lambda d, t, w: calls.append((d, t)))
    assert len(table) == 5_000
    assert table.column_values("Phone")[-1] == "4155504999"
    assert table.row_numbers[-1] == 5_001
    assert calls[0] == (0, 0)  # opening: no total yet
    assert calls[1] == (0, 5_001)
    assert calls[-1] == (5_001, 5_001)
    assert len(calls) >= 5
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_table(path, cancel=token)


def test_tab_separated_text_named_xls_is_read(tmp_path) -> None:
    # What many web apps' "Export to Excel" buttons produce.
    path = tmp_path / "export.xls"
    path.write_text("Phone\tName\n4155550101\tAnn\n", encoding="utf-8")
    table = read_table(path)
    assert table.sheet is None
    assert table.columns == ["Phone", "Name"]
    assert list_sheets(path) == []
