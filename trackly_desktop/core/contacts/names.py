"""A person's name as the app shows it: the one rule for every table, list and export."""

from __future__ import annotations

from collections.abc import Sequence


def full_name(*parts: str | None) -> str:
    """ "Ada Lovelace" from the name parts in order; blank parts are left out."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def full_names(columns: Sequence[Sequence[str]], count: int) -> list[str]:
    """`full_name` row by row over whole name columns (first, last, ...), column-wise so a
    million rows cost one pass; `count` blank names when no name column is mapped."""
    if not columns:
        return [""] * count
    stripped = [[value.strip() for value in column] for column in columns]
    return [" ".join(filter(None, parts)) for parts in zip(*stripped, strict=True)]
