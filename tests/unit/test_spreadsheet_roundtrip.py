"""Property: whatever cells a program writes as delimited text, read_table gives them back.

Hypothesis writes random cells (quotes, delimiters, line breaks, accents, digits with
leading zeros) with Python's csv writer in each encoding and delimiter Excel uses, and
checks every cell and every row number read back.
"""

from __future__ import annotations

import csv
import io
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trackly_desktop.core.reading.spreadsheet import read_table

HEADER = ["Phone", "First Name", "Notes"]
# Letters that are never UTF-8 continuation bytes in Windows-1252, so a cp1252 file can
# never be mistaken for valid UTF-8 (that ambiguity is real and not what this tests).
CP1252_LETTERS = "éèüöäßñçÉÜÀ"
PLAIN = string.ascii_letters + string.digits + " .,;|\t\"'()+-#@/\n" + CP1252_LETTERS


def _alphabet(delimiter: str, wide: bool) -> st.SearchStrategy[str]:
    others = {",", ";", "|", "\t"} - {delimiter}
    base = "".join(ch for ch in PLAIN if ch not in others)
    if wide:
        return st.sampled_from(base + "ōłŻ€–“”漢字🙂")
    return st.sampled_from(base)


@st.composite
def files(draw):
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    alphabet = _alphabet(delimiter, wide=encoding != "cp1252")
    cell = st.text(alphabet, max_size=12)
    rows = draw(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=25))
    return encoding, delimiter, rows


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=files())
def test_cells_and_row_numbers_survive_a_round_trip(tmp_path, case) -> None:
    encoding, delimiter, rows = case
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp_path / "round.csv"
    path.write_bytes(out.getvalue().encode(encoding))

    expected_rows, expected_numbers = [], []
    line = 2  # the header is line 1
    for row in rows:
        if any(cell.strip() for cell in row):
            expected_rows.append(row)
            expected_numbers.append(line)
        line += 1 + sum(cell.count("\n") for cell in row)

    if not expected_rows:
        with pytest.raises(Exception, match="no contacts"):
            read_table(path)
        return
    # Random letters are no language: "Àß" reads as well as Cyrillic "АЯ" (Windows-1251).
    # Which code page a legacy file is in is tested on real names (test_export_corpus);
    # here the code page is named, and the parsing is what is checked.
    table = read_table(path, encoding="windows-1252" if encoding == "cp1252" else None)
    assert table.columns == HEADER
    assert table.header_row == 1
    assert table.frame.to_numpy(dtype=object).tolist() == expected_rows
    assert table.row_numbers.tolist() == expected_numbers
