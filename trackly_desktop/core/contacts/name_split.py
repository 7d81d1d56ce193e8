"""A full name in one column, split into the first and last name a message greets with.

Exports from booking and point-of-sale apps often have one "Name" or "Customer Name"
column. "Hi {{first_name}}" must then say "Hi Maria", not "Hi Maria Gonzalez":

- "Maria Gonzalez" -> ("Maria", "Gonzalez"); "Maria de la Cruz" -> ("Maria", "de la Cruz")
  (first word / the rest: a middle name stays with the last name rather than being lost);
- "Gonzalez, Maria" -> ("Maria", "Gonzalez"): a comma means "last, first" as in lists
  sorted by surname ("Gonzalez, Maria J." keeps "J." with the first name);
- titles "Dr.", "Mr.", "Mrs.", "Ms.", "Miss", "Mx.", "Prof." are dropped, with or
  without the dot ("Dr. Ada Lovelace" -> ("Ada", "Lovelace"));
- one word is a first name ("Cher" -> ("Cher", "")), but a surname after a title
  ("Mr. Smith" -> ("", "Smith")); a suffix after a comma is dropped ("Ann Lee, MD").
"""

from __future__ import annotations

import re

TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sr", "sra", "herr", "frau"})
# After a comma these end a name ("Maria Gonzalez, MD"); they do not start a first name.
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "md", "phd", "dds", "esq", "rn"})
_SPACES = re.compile(r"\s+")


def _is_title(word: str) -> bool:
    return word.rstrip(".").casefold() in TITLES


def split_full_name(text: str) -> tuple[str, str]:
    """(first name, last name) of a full name as written in one cell."""
    cleaned = _SPACES.sub(" ", text).strip()
    if not cleaned:
        return "", ""
    if cleaned.count(",") == 1:
        last, first = (part.strip() for part in cleaned.split(","))
        if last and first and first.rstrip(".").casefold() not in SUFFIXES:
            first_words = [w for w in first.split(" ") if not _is_title(w)]
            last_words = [w for w in last.split(" ") if not _is_title(w)]
            if first_words and last_words:
                return " ".join(first_words), " ".join(last_words)
        # "Gonzalez," or "Maria Gonzalez, MD": the comma ends the name.
        cleaned = last or first
    all_words = cleaned.split(" ")
    words = [w for w in all_words if not _is_title(w)]
    if not words:
        return "", ""
    if len(words) == 1 and len(all_words) > 1:
        return "", words[0]  # "Mr. Smith": a surname after a title, no first name
    return words[0], " ".join(words[1:])


def split_full_names(values: list[str]) -> tuple[list[str], list[str]]:
    """`split_full_name` for a whole column, as two columns; repeated names split once."""
    seen: dict[str, tuple[str, str]] = {}
    firsts: list[str] = []
    lasts: list[str] = []
    for value in values:
        parts = seen.get(value)
        if parts is None:
            parts = split_full_name(value)
            if len(seen) < 65_536:
                seen[value] = parts
        firsts.append(parts[0])
        lasts.append(parts[1])
    return firsts, lasts


# Where the split names sit among the columns handed to templates: no header can be it.
SPLIT_FIRST, SPLIT_LAST = "\x1fsplit first name", "\x1fsplit last name"


def with_split_names(
    columns: dict[str, list[str]], roles: dict[str, str]
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """`columns` and `roles` (role -> header) with first/last name split from `full_name`
    where those roles have no column of their own; unchanged without a full name."""
    full = roles.get("full_name")
    if not full or full not in columns or (roles.get("first_name") and roles.get("last_name")):
        return columns, roles
    firsts, lasts = split_full_names(columns[full])
    columns = {**columns, SPLIT_FIRST: firsts, SPLIT_LAST: lasts}
    roles = dict(roles)
    roles.setdefault("first_name", SPLIT_FIRST)
    roles.setdefault("last_name", SPLIT_LAST)
    return columns, roles
