"""The header row, footers and legacy encodings of files as people really make them.

Every expected value is written by hand from the file the test writes.
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.unit import messy_files
from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.reading.spreadsheet import read_table


def _merged_workbook(tmp_path):
    """Title in row 1, blank row 2, a merged group row 3, the header in row 4, a footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Saturday pickups — week 45"
    sheet["A3"], sheet["C3"] = "Customer", "Contact"
    sheet.merge_cells("A3:B3")
    sheet.merge_cells("C3:D3")
    rows = [
        ("First", "Last", "Cell", "Email"),
        ("Ann", "Lee", "415-555-0101", "ann@example.com"),
        ("Bob", "Ray", "415-555-0102", ""),
        (None, None, None, None),
        ("Cy", "Young", "415-555-0103", "cy@example.com"),
        ("Dee", "Ko", "415-555-0104", ""),
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=4 + offset, column=column, value=value)
    sheet["A11"] = "Total pickups: 4"
    path = tmp_path / "pickups.xlsx"
    book.save(path)
    return path


def test_title_blank_and_merged_group_rows_above_the_header(tmp_path) -> None:
    table = read_table(_merged_workbook(tmp_path))
    assert table.header_row == 4
    assert table.columns == ["First", "Last", "Cell", "Email"]
    assert table.row_numbers.tolist() == [5, 6, 8, 9]
    assert table.column_values("First") == ["Ann", "Bob", "Cy", "Dee"]
    assert any("Row 11 (“Total pickups: 4”)" in note for note in table.notes)


def test_the_operator_names_another_header_row(tmp_path) -> None:
    path = _merged_workbook(tmp_path)
    table = read_table(path, header_row=3)
    assert table.header_row == 3
    assert table.columns[:3] == ["Customer", "B", "Contact"]
    assert table.row_numbers.tolist()[:2] == [4, 5]
    none = read_table(path, header_row=0)
    assert none.header_row is None
    assert none.row_numbers.tolist()[0] == 1
    with pytest.raises(InputFileError, match=r"Row 2 of pickups\.xlsx is empty"):
        read_table(path, header_row=2)


def test_footers_of_a_report_export_are_not_contacts(tmp_path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "Customer report\n"
        "Name,Phone,Visits\n"
        "Ann Lee,415-555-0101,3\n"
        "Total Fitness Gym,415-555-0109,1\n"
        ",,\n"
        "Total,,4\n"
        "Generated on 11/01/2024 by Square\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.header_row == 2
    # "Total Fitness Gym" has a number: a customer, not a total.
    assert table.column_values("Name") == ["Ann Lee", "Total Fitness Gym"]
    assert table.row_numbers.tolist() == [3, 4]
    assert len(table.notes) == 2


def test_a_header_with_a_year_column_and_no_known_names(tmp_path) -> None:
    path = messy_files.xlsx(
        tmp_path,
        "club.xlsx",
        {"Members": [("Member list", None), ("Who", "Contact"), ("Ann", "4155550101")]},
    )
    table = read_table(path)
    assert table.header_row == 2
    assert table.columns == ["Who", "Contact"]


CYRILLIC = "Имя,Фамилия,Телефон\nИван,Петров,+7 912 345-67-89\nОльга,Смирнова,8 916 123-45-67\n"


@pytest.mark.parametrize(
    ("codec", "text", "label", "first_cell"),
    [
        ("cp1251", CYRILLIC, "Windows-1251", "Иван"),
        ("koi8_r", CYRILLIC, "KOI8-R", "Иван"),
        (
            "cp1250",
            "Jméno,Příjmení,Telefon\nJiří,Dvořák,+420 601 123 456\nŽofie,Nováková,602 123 456\n",
            "Windows-1250",
            "Jiří",
        ),
        (
            "iso8859_2",
            "Imię,Nazwisko,Telefon\nŁukasz,Wiśniewski,512 345 678\nZofia,Wójcik,601 234 567\n",
            "ISO-8859-2",
            "Łukasz",
        ),
        (
            "cp1253",
            "Όνομα,Επώνυμο,Τηλέφωνο\nΓιάννης,Παπαδόπουλος,694 123 4567\n"
            "Μαρία,Γεωργίου,697 765 4321\n",
            "Windows-1253",
            "Γιάννης",
        ),
        (
            "cp1254",
            "Ad,Soyad,Telefon\nAyşe,Yılmaz,0532 123 45 67\nMehmet,Öztürk,0542 765 43 21\n"
            "Çağla,Şahin,0555 111 22 33\n",
            "Windows-1254",
            "Ayşe",
        ),
        (
            "cp932",
            "名前,姓,電話番号\n太郎,山田,090-1234-5678\n花子,鈴木,080-8765-4321\n",
            "Shift-JIS",
            "太郎",
        ),
        ("gb18030", "名字,姓,电话\n伟,王,138 0013 8000\n芳,李,139 1234 5678\n", "GB18030", "伟"),
        ("big5", "名字,姓,電話\n志明,陳,0912 345 678\n春嬌,林,0922 123 456\n", "Big5", "志明"),
        (
            "mac_roman",
            "First Name,Last Name,Phone\nJosé,Muñoz,415 555 0132\nZoë,Müller,415 555 0199\n",
            "Mac Roman",
            "José",
        ),
        (
            "cp1252",
            "First Name,Last Name,Phone\nRenée,Côté,416 555 0132\nJosé,Muñoz,415 555 0199\n",
            "Windows-1252",
            "Renée",
        ),
    ],
)
def test_legacy_code_pages_are_read_as_written(tmp_path, codec, text, label, first_cell) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(text.encode(codec))
    table = read_table(path)
    assert table.encoding.label == label
    assert table.column_values(table.columns[0])[0] == first_cell


def test_utf8_stays_exact_and_unguessed(tmp_path) -> None:
    path = tmp_path / "utf8.csv"
    path.write_bytes("\ufeffName,Phone\nZoë,415 555 0132\n".encode())
    table = read_table(path)
    assert table.encoding.label == "UTF-8"
    assert table.encoding.unsure is False
    assert table.column_values("Name") == ["Zoë"]


def test_a_file_mixing_utf8_and_windows_1252_lines(tmp_path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"Name,Phone\n"
        + "José Muñoz,415 555 0132\n".encode()
        + "Renée Côté,416 555 0199\n".encode("cp1252")
        + "Zoë Müller,415 555 0123\n".encode()
    )
    table = read_table(path)
    assert table.column_values("Name") == ["José Muñoz", "Renée Côté", "Zoë Müller"]
    assert table.encoding.label == "UTF-8 and Windows-1252 (mixed)"


def test_utf8_head_with_a_legacy_tail_is_read_line_by_line(tmp_path) -> None:
    ascii_rows = "".join(f"Person {i},415 555 {i:04d}\n" for i in range(30_000))
    path = tmp_path / "tail.csv"
    path.write_bytes(
        b"Name,Phone\n" + "Zoë,415 555 9999\n".encode() + ascii_rows.encode()
        + "Renée,416 555 0199\n".encode("cp1252")
    )  # fmt: skip
    table = read_table(path)
    names = table.column_values("Name")
    assert names[0] == "Zoë"
    assert names[-1] == "Renée"
    assert len(names) == 30_002


def test_the_operator_names_the_encoding(tmp_path) -> None:
    path = tmp_path / "turkish.csv"
    path.write_bytes("Ad,Telefon\nAyşe,0532 123 45 67\n".encode("cp1254"))
    table = read_table(path, encoding="windows-1254")
    assert table.column_values("Ad") == ["Ayşe"]
    assert table.encoding.label == "Windows-1254"
    assert table.encoding.chosen is True
    with pytest.raises(InputFileError, match="“klingon” is not an encoding"):
        read_table(path, encoding="klingon")
