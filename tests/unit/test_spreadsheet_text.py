"""Reading .csv / .tsv / .txt files: encodings, delimiters, header rows, row numbers."""

from __future__ import annotations

import itertools

import messy_files  # tests/unit is on sys.path (pytest rootdir-less test modules)
import numpy as np
import pytest

from trackly_desktop.core.errors import Cancelled
from trackly_desktop.core.progress import CancelToken
from trackly_desktop.core.reading.spreadsheet import list_sheets, read_table

NAMES = ["José", "Zoë", "Anna"]
LAST = ["García", "Müller", "Smith"]


def _assert_contacts(table) -> None:
    assert table.columns == list(messy_files.CONTACT_HEADER)
    assert table.column_values("First Name") == NAMES
    assert table.column_values("Last Name") == LAST
    assert table.column_values("Phone") == ["(415) 555-0101", "415.555.0102", "+1 415 555 0103"]
    assert table.header_row == 1
    assert table.row_numbers.tolist() == [2, 3, 4]
    assert table.row_numbers.dtype == np.int64
    assert len(table) == 3
    assert set(map(str, table.frame.dtypes)) == {"object"}


@pytest.mark.parametrize(
    "make",
    [
        messy_files.cp1252_csv,
        messy_files.utf8_bom_csv,
        messy_files.utf16_unicode_text,
    ],
)
def test_encodings_come_out_right(tmp_path, make) -> None:
    table = read_table(make(tmp_path))
    _assert_contacts(table)
    assert table.sheet is None
    assert not any("\ufeff" in name for name in table.columns)


def test_plain_utf8_and_utf16_without_bom(tmp_path) -> None:
    rows = messy_files.contacts()
    plain = messy_files.write_text(tmp_path, "plain.csv", rows, line_end="\n")
    _assert_contacts(read_table(plain))
    no_bom = messy_files.write_text(
        tmp_path, "nobom.txt", rows, encoding="utf-16-le", delimiter="\t"
    )
    _assert_contacts(read_table(no_bom))


@pytest.mark.parametrize(("delimiter", "suffix"), [(";", ".csv"), ("\t", ".tsv"), ("|", ".txt")])
def test_delimiters_are_detected(tmp_path, delimiter, suffix) -> None:
    path = messy_files.write_text(
        tmp_path, f"contacts{suffix}", messy_files.contacts(), delimiter=delimiter
    )
    _assert_contacts(read_table(path))


def test_semicolon_csv_with_decimal_commas(tmp_path) -> None:
    table = read_table(messy_files.semicolon_csv(tmp_path))
    assert table.columns == list(messy_files.CONTACT_HEADER)
    assert table.column_values("Notes") == ["paid 12,50"] * 3


def test_title_rows_are_skipped_and_row_numbers_kept(tmp_path) -> None:
    table = read_table(messy_files.title_rows_csv(tmp_path))
    assert table.columns == list(messy_files.CONTACT_HEADER)
    assert table.header_row == 3
    assert table.row_numbers.tolist() == [4, 5, 6]
    assert table.column_values("First Name") == NAMES


def test_quoted_newlines_keep_the_line_where_a_record_starts(tmp_path) -> None:
    calls: list[tuple[int, int]] = []
    table = read_table(
        messy_files.quoted_newline_csv(tmp_path), progress=lambda d, t, w: calls.append((d, t))
    )
    assert calls[-1] == (4, 4)  # 3 records on 4 lines: the bar still ends full
    assert table.column_values("Notes") == ["line one\nline two", "one line"]
    # Ann's record starts on line 2 and spans line 3, so Bob's starts on line 4.
    assert table.row_numbers.tolist() == [2, 4]


def test_blank_rows_dropped_everywhere_keeping_numbers(tmp_path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("Phone,Name\n\n4155550101,Ann\n,\n4155550102,Bob\n\n,\n\n", encoding="utf-8")
    table = read_table(path)
    assert table.column_values("Name") == ["Ann", "Bob"]
    assert table.row_numbers.tolist() == [3, 5]


def test_no_header_row_gets_column_letters(tmp_path) -> None:
    path = tmp_path / "bare.csv"
    path.write_text("4155550101,Ann,Lee\n4155550102,Bob,Ray\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["A", "B", "C"]
    assert table.header_row is None
    assert table.row_numbers.tolist() == [1, 2]
    assert table.column_values("A") == ["4155550101", "4155550102"]


def test_blank_and_repeated_headers_made_unique(tmp_path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("Phone,,phone,Name,\n1,2,3,Ann,\n4,5,6,Bob,\n", encoding="utf-8")
    table = read_table(path)
    # The empty 5th column (no header, no data) is dropped; the blank 2nd gets its letter.
    assert table.columns == ["Phone", "B", "phone (2)", "Name"]
    assert table.column_values("phone (2)") == ["3", "6"]
    assert any("phone (2)" in note for note in table.notes)


def test_every_cell_is_text_never_a_number(tmp_path) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text(
        "Phone,Zip,Amount\n004420794609,02134,1.50\n4155551234,,NaN\n1.41555E+10,N/A,null\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.column_values("Phone") == ["004420794609", "4155551234", "1.41555E+10"]
    assert table.column_values("Zip") == ["02134", "", "N/A"]
    assert table.column_values("Amount") == ["1.50", "NaN", "null"]
    for column in table.columns:
        assert all(type(v) is str for v in table.column_values(column))


def test_scientific_notation_text_is_kept_as_written(tmp_path) -> None:
    table = read_table(messy_files.scientific_csv(tmp_path))
    assert table.column_values("Phone") == ["1.41555E+10", "4.479E+11", "4155550103"]


def test_ragged_rows_widen_the_table(tmp_path) -> None:
    lines = ["Phone,Name"] + [f"41555501{i:02d},N{i}" for i in range(40)] + ["4155550199,Zed,extra"]
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["Phone", "Name", "C"]
    assert table.column_values("C")[-1] == "extra"
    assert table.column_values("C")[0] == ""
    assert table.row_numbers[-1] == 42


def test_single_column_of_phones(tmp_path) -> None:
    path = tmp_path / "phones.txt"
    path.write_text("Mobile\n415-555-0101\n415-555-0102\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["Mobile"]
    assert table.column_values("Mobile") == ["415-555-0101", "415-555-0102"]


def test_text_files_have_no_sheets(tmp_path) -> None:
    assert list_sheets(messy_files.cp1252_csv(tmp_path)) == []


def test_progress_reaches_the_end_and_cancel_stops(tmp_path) -> None:
    rows = [("Phone", "Name")] + [(f"415555{i:04d}", f"N{i}") for i in range(30_000)]
    path = messy_files.write_text(tmp_path, "many.csv", rows)
    calls: list[tuple[int, int, str]] = []
    table = read_table(path, progress=lambda d, t, w: calls.append((d, t, w)))
    assert len(table) == 30_000
    assert table.row_numbers[-1] == 30_001
    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1]
    assert len(calls) >= 3
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(calls))

    token = CancelToken()

    def cancel_after_first(done: int, total: int, what: str) -> None:
        if done > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        read_table(path, progress=cancel_after_first, cancel=token)


def test_excel_sep_hint_line(tmp_path) -> None:
    path = tmp_path / "hinted.csv"
    path.write_text("sep=;\nPhone;Name,Title\n4155550101;Ann, Dr\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["Phone", "Name,Title"]
    assert table.column_values("Name,Title") == ["Ann, Dr"]
    assert table.header_row == 2
    assert table.row_numbers.tolist() == [3]


def test_classic_mac_line_ends(tmp_path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Phone,Name\r4155550101,Ann\r4155550102,Bob\r")
    table = read_table(path)
    assert table.column_values("Name") == ["Ann", "Bob"]
    assert table.row_numbers.tolist() == [2, 3]


def test_one_column_list_under_a_title(tmp_path) -> None:
    path = tmp_path / "titled_phones.txt"
    path.write_text("Customer list\n\nPhone\n415-555-0101\n415-555-0102\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["Phone"]
    assert table.header_row == 3
    assert table.row_numbers.tolist() == [4, 5]


def test_title_as_wide_as_the_table(tmp_path) -> None:
    path = tmp_path / "wide_title.csv"
    path.write_text(
        "Store report,November,2024\nPhone,First Name,Order\n4155550101,Ann,A-1\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.columns == ["Phone", "First Name", "Order"]
    assert table.header_row == 2


def test_table_accessors(tmp_path) -> None:
    table = read_table(messy_files.title_rows_csv(tmp_path))
    assert table.display_name == "titled.csv"
    assert table.row(1) == {
        "First Name": "Zoë",
        "Last Name": "Müller",
        "Phone": "415.555.0102",
        "Notes": "prefers SMS",
    }
    assert table.row_number(1) == 5
    assert table.head(2) == [
        ["José", "García", "(415) 555-0101", "café on 5th"],
        ["Zoë", "Müller", "415.555.0102", "prefers SMS"],
    ]


def test_excel_text_formula_wrappers_are_unwrapped(tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        'Phone,Zip,Formula\n="00442079460958",="02134",=SUM(A1)\n4155550101,="",x\n',
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.column_values("Phone") == ["00442079460958", "4155550101"]
    assert table.column_values("Zip") == ["02134", ""]
    assert table.column_values("Formula") == ["=SUM(A1)", "x"]
    assert set(map(str, table.frame.dtypes)) == {"object"}


def test_windows_1252_found_only_after_a_long_ascii_head(tmp_path) -> None:
    # The head (over 1 MB of plain ASCII) is valid UTF-8; the accent near the end is not.
    rows = [("Phone", "Name")] + [(f"415555{i % 10000:04d}", "Smith") for i in range(70_000)]
    rows.append(("4155559999", "Müller"))
    path = messy_files.write_text(tmp_path, "late_accent.csv", rows, encoding="cp1252")
    assert path.stat().st_size > 1024 * 1024
    table = read_table(path)
    assert table.column_values("Name")[-1] == "Müller"
    assert table.row_numbers[-1] == 70_002
