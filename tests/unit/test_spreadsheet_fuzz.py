"""Fuzz: any bytes under any supported name give a valid Table or one InputFileError.

"Never a traceback": whatever a customer picks, read_table either returns a Table that
keeps its promises (unique non-empty names, text cells only, increasing row numbers) or
raises InputFileError with one sentence naming the file.
"""

from __future__ import annotations

import messy_files  # tests/unit is on sys.path (pytest rootdir-less test modules)
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trackly_desktop.core.errors import InputFileError
from trackly_desktop.core.reading.spreadsheet import read_table

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXTY = st.lists(
    st.sampled_from(
        [
            b",",
            b";",
            b"\t",
            b"|",
            b'"',
            b"\n",
            b"\r\n",
            b"\r",
            b" ",
            b"a",
            b"Phone",
            b"Name",
            b"415",
            b"0",
            b"\xe9",
            b"\xc3\xa9",
            b"\xff\xfe",
            b"\xef\xbb\xbf",
            b"\x00",
            b"sep=;",
            b"\x81",
            b"PK\x03\x04",
            b"%PDF",
        ]
    ),
    max_size=60,
).map(b"".join)


def _check_outcome(path) -> None:
    try:
        table = read_table(path)
    except InputFileError as exc:
        message = str(exc)
        assert path.name in message
        assert "\n" not in message
        return
    assert table.columns
    assert len(set(table.columns)) == len(table.columns)
    assert all(name for name in table.columns)
    assert list(table.frame.columns) == table.columns
    assert len(table.row_numbers) == len(table.frame) > 0
    assert table.row_numbers.dtype == np.int64
    assert (np.diff(table.row_numbers) > 0).all()
    assert table.row_numbers[0] >= 1
    for name in table.columns:
        assert all(type(v) is str for v in table.column_values(name))


@FUZZ
@given(data=TEXTY, suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
def test_texty_bytes(tmp_path, data, suffix) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _check_outcome(path)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".ods"]))
def test_random_bytes(tmp_path, data, suffix) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _check_outcome(path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4))
def test_damaged_workbooks(tmp_path, cuts) -> None:
    original = messy_files.xlsx(tmp_path, "base.xlsx", {"Contacts": messy_files.contacts()})
    data = bytearray(original.read_bytes())
    for position, value in cuts:
        data[position % len(data)] = value
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    _check_outcome(path)
