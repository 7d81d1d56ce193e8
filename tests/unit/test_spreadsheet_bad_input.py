"""Bad input: one plain sentence naming the file, never a traceback, memory bounded."""

from __future__ import annotations

import tracemalloc
import zipfile

import messy_files  # tests/unit is on sys.path (pytest rootdir-less test modules)
import pytest

from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.reading import workbooks
from trackly_desktop.core.reading.spreadsheet import (
    MAX_CELL_CHARS,
    SUPPORTED_SUFFIXES,
    first_sheet_with_data,
    list_sheets,
    read_table,
)


def _refusal(path, **kwargs) -> str:
    with pytest.raises(InputFileError) as info:
        read_table(path, **kwargs)
    message = str(info.value)
    assert path.name in message
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.txt"])
def test_empty_file(tmp_path, name) -> None:
    assert "is empty" in _refusal(messy_files.empty_file(tmp_path, name))


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\r\n\r\n  \n", b",,,\n,,\n"])
def test_files_with_nothing_in_them(tmp_path, content) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(content)
    assert "no contacts" in _refusal(path)


def test_header_only(tmp_path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("Phone,Name\n", encoding="utf-8")
    assert "no contacts" in _refusal(path)


def test_workbook_with_only_blank_sheets(tmp_path) -> None:
    path = messy_files.xlsx(tmp_path, "blank.xlsx", {"One": [], "Two": [(None, None)]})
    assert "no contacts" in _refusal(path)
    assert first_sheet_with_data(path) is None


def test_password_protected_xlsx(tmp_path) -> None:
    path = messy_files.password_xlsx(tmp_path)
    message = _refusal(path)
    assert message == (
        "locked.xlsx is password-protected: open it in Excel, remove the password, "
        "save it and try again."
    )
    with pytest.raises(InputFileError, match="password"):
        list_sheets(path)


def test_pdf_renamed_xlsx(tmp_path) -> None:
    assert "is a PDF document, not a spreadsheet" in _refusal(
        messy_files.pdf_renamed_xlsx(tmp_path)
    )


def test_truncated_xlsx(tmp_path) -> None:
    assert "damaged" in _refusal(messy_files.truncated_xlsx(tmp_path))


def test_html_named_xls(tmp_path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><table><tr><td>Phone</td></tr></table></html>", encoding="utf-8")
    assert "is a web page saved with an Excel name" in _refusal(path)


def test_workbook_that_lost_its_start(tmp_path) -> None:
    whole = messy_files.xlsx(tmp_path, "c.xlsx", {"Contacts": messy_files.contacts()})
    path = tmp_path / "headless.xlsx"
    path.write_bytes(b"\x00" * 64 + whole.read_bytes()[64:])
    assert "is not a spreadsheet or text file" in _refusal(path)


def test_zip_with_no_workbook_inside(tmp_path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "could not be opened as a workbook" in _refusal(path)


def test_zip_bomb_refused_before_unpacking(tmp_path) -> None:
    path = messy_files.zip_bomb_xlsx(tmp_path, unpacked_mb=64)
    assert path.stat().st_size < 2 * 1024 * 1024
    # The message comes from the central-directory check, before calamine unpacks a byte.
    assert "unpacks to far more data" in _refusal(path)


def test_total_unpacked_size_is_capped(tmp_path, monkeypatch) -> None:
    path = messy_files.xlsx(tmp_path, "c.xlsx", {"Contacts": messy_files.contacts()})
    monkeypatch.setattr(workbooks, "MAX_UNCOMPRESSED_BYTES", 1_000)
    assert "unpacks to far more data" in _refusal(path)


def test_file_of_several_gigabytes(tmp_path) -> None:
    for name in ("huge.csv", "huge.xlsx"):
        path = messy_files.huge_sparse_file(tmp_path, 3, name)
        message = _refusal(path)
        assert "3.0 GB" in message
        assert "far larger than a contact list" in message


def test_one_megabyte_cell_names_the_row(tmp_path) -> None:
    message = _refusal(messy_files.long_cell_csv(tmp_path))
    assert f"a cell of {MAX_CELL_CHARS:,} characters or more in row 2" in message


def test_long_cell_inside_a_multiline_quoted_cell(tmp_path) -> None:
    long_text = "\n".join(["y" * 100] * 400)  # short lines, one 40,000-character cell
    path = messy_files.write_text(
        tmp_path, "quoted_long.csv", [("Phone", "Notes"), ("1", "ok"), ("2", long_text)]
    )
    assert "characters or more in row 3" in _refusal(path)


def test_long_cell_in_a_workbook(tmp_path) -> None:
    rows = [("Phone", "Notes"), ("4155550101", "fine"), ("4155550102", "z" * 40_000)]
    path = messy_files.xlsx(tmp_path, "long.xlsx", {"Contacts": rows})
    assert "characters or more in row 3" in _refusal(path)


def test_wide_lines_with_short_cells_are_fine(tmp_path) -> None:
    header = [f"Field {i}" for i in range(3_000)]
    row = [f"v{i:05d}" for i in range(3_000)]
    path = messy_files.write_text(tmp_path, "wide.csv", [header, row])
    table = read_table(path)
    assert len(table.columns) == 3_000
    assert table.column_values("Field 2999") == ["v02999"]


@pytest.mark.parametrize("name", ["garbage.csv", "garbage.txt", "garbage.tsv"])
def test_binary_garbage(tmp_path, name) -> None:
    assert "is not a spreadsheet or text file" in _refusal(
        messy_files.binary_garbage(tmp_path, name)
    )


def test_nul_bytes_in_text(tmp_path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Phone,Name\n4155550101,Ann\x00\x00\x00\x00\x01\x02\x03\n" * 50)
    assert "is not a spreadsheet or text file" in _refusal(path)


def test_quote_never_closed(tmp_path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        'Phone,Notes\n4155550101,"two\nlines"\n4155550102,"Bob\n4155550103,Cy\n', "utf-8"
    )
    assert 'has a quote mark (") that is never closed (it opens in row 4)' in _refusal(path)


def test_missing_file_and_folder(tmp_path) -> None:
    assert "was not found" in _refusal(tmp_path / "gone.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "is a folder" in _refusal(folder)


def test_sheet_given_for_a_text_file(tmp_path) -> None:
    path = messy_files.cp1252_csv(tmp_path)
    assert "is a text file" in _refusal(path, sheet="Sheet1")


def test_too_many_rows(tmp_path, monkeypatch) -> None:
    from trackly_desktop.core.reading import text_files

    monkeypatch.setattr(text_files, "MAX_ROWS", 25_000)
    rows = [("Phone",)] + [(f"415555{i:04d}",) for i in range(30_000)]
    path = messy_files.write_text(tmp_path, "many.csv", rows)
    assert "more than Excel allows" in _refusal(path)


def test_too_many_rows_in_a_workbook(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(workbooks, "MAX_ROWS", 10)
    rows = [("Phone",)] + [(f"415555{i:04d}",) for i in range(20)]
    path = messy_files.xlsx(tmp_path, "many.xlsx", {"Contacts": rows})
    assert "more than Excel allows" in _refusal(path)


def test_too_many_cells_refused_while_reading(tmp_path, monkeypatch) -> None:
    from trackly_desktop.core.reading import text_files

    monkeypatch.setattr(text_files, "MAX_CELLS", 40_000)
    rows = [tuple(f"H{i}" for i in range(10))] + [tuple("x" * 10) for _ in range(20_000)]
    path = messy_files.write_text(tmp_path, "wide.csv", rows)
    message = _refusal(path)
    assert "too big to read" in message
    assert "of 10 columns" in message


def test_too_many_cells_in_a_workbook(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(workbooks, "MAX_CELLS", 50)
    rows = [tuple(f"H{i}" for i in range(10))] + [tuple("x" * 10) for _ in range(20)]
    path = messy_files.xlsx(tmp_path, "wide.xlsx", {"Contacts": rows})
    assert "too big to read" in _refusal(path)


def test_large_garbage_refused_from_its_head(tmp_path) -> None:
    # 60 MB of bytes that decode as Windows-1252 control characters and symbols, no NULs:
    # refused from the head, without re-encoding the whole file.
    path = tmp_path / "noise.csv"
    chunk = bytes(range(1, 32)) * 1024 + bytes(range(128, 256)) * 1024
    path.write_bytes(chunk * (60 * 1024 * 1024 // len(chunk)))
    tracemalloc.start()
    try:
        assert "is not a spreadsheet or text file" in _refusal(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The file's own bytes (60 MB) and some slack; re-encoding it would add 250 MB+.
    assert peak < 120 * 1024 * 1024


def test_locked_file_sentence(tmp_path) -> None:
    # Tests run as root here, which reads any file, so the OS error is built directly.
    from trackly_desktop.core.reading.spreadsheet import cannot_open

    path = tmp_path / "open_in_excel.xlsx"
    message = str(cannot_open(path, PermissionError(13, "Permission denied")))
    assert message.startswith("open_in_excel.xlsx could not be opened: another program")
    assert str(cannot_open(path, OSError(5, "Input/output error"))) == (
        "open_in_excel.xlsx could not be read: Input/output error."
    )
