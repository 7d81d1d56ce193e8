"""The window says counts the same way everywhere."""

from __future__ import annotations

import pytest

from trackly_desktop.core.plurals import counted


@pytest.mark.parametrize(
    ("count", "one", "many", "text"),
    [
        (1, "message", None, "1 message"),
        (0, "message", None, "0 messages"),
        (1200, "message", None, "1,200 messages"),
        (1, "person", "people", "1 person"),
        (3, "person", "people", "3 people"),
    ],
)
def test_counted(count, one, many, text):
    assert counted(count, one, many) == text
