"""Exports keep phone numbers plain and formula-like cells harmless (issue 11, §5)."""

from __future__ import annotations

import pytest

from trackly_desktop.core.formula_safety import csv_safe


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("+14155550123", "+14155550123"),  # a phone number other programs must read as is
        ("+447700900123", "+447700900123"),
        ("-12", "-12"),
        ("-3.50", "-3.50"),
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("+1 415 555 0123", "'+1 415 555 0123"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("+", "'+"),
        ("Ada", "Ada"),
    ],
)
def test_a_cell_is_written_plain_or_made_harmless(cell, written):
    assert csv_safe(cell) == written
