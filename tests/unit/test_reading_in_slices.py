"""Reading scans big files in slices (so the window's thread gets the GIL between them),
with the same answers as one whole-file scan, matches across slice borders included."""

from __future__ import annotations

import pytest

from trackly_desktop.core.reading import header_row, text_files
from trackly_desktop.core.reading.spreadsheet import read_table


@pytest.fixture
def tiny_slices(monkeypatch):
    monkeypatch.setattr(text_files, "_SCAN_SLICE", 5)
    monkeypatch.setattr(header_row, "_BLOCK_ROWS", 3)


@pytest.mark.parametrize("at", range(12))
def test_a_pattern_is_found_wherever_it_falls(tiny_slices, at):
    data = b"x" * at + b'="' + b"y" * (12 - at)
    assert text_files._contains(data, b'="')
    assert not text_files._contains(data.replace(b'"', b"'"), b'="')


def test_line_breaks_are_all_counted(tiny_slices):
    data = b"a\n\nbb\r\nccc\n" * 7 + b"\n"
    assert text_files._count_line_breaks(data) == data.count(b"\n")


def test_a_file_read_in_small_slices_and_blocks_reads_the_same(tiny_slices, tmp_path):
    lines = ["Name,Phone"]
    for i in range(20):
        lines.append("," if i % 4 == 1 else f'P{i},="00{i}"')  # blank rows among the data
    sheet = tmp_path / "people.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(sheet)
    assert table.columns == ["Name", "Phone"]
    kept = [i for i in range(20) if i % 4 != 1]
    assert table.row_numbers.tolist() == [i + 2 for i in kept]
    assert table.column_values("Phone") == [f"00{i}" for i in kept]
