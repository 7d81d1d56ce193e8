"""Counts in words, said the same way by every stage, the window and the command line."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    """ "1 message", "1,200 messages", "1 person", "3 people"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
