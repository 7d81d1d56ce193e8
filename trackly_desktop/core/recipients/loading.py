"""The Contacts step's background work: read a sheet, guess the columns, check every row.

Plain functions run by `ui/workers.py` in a worker thread; each returns one `Loaded` that
the step swaps in on the GUI thread. The display strings are built here too, so a million
rows cost the GUI thread nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trackly_desktop.core import collector
from trackly_desktop.core.progress import CancelToken, ProgressCallback
from trackly_desktop.core.recipients.display import ContactRows


@dataclass
class Loaded:
    """What a background load hands to the GUI thread in one piece."""

    table: Any  # core.table.Table
    sheets: list[str]
    mapping: Any  # core.mapping.ColumnMapping
    recipients: Any  # core.recipients.Recipients, None when no phone column is known
    rows: ContactRows


def template_for(text: str, columns: list[str]) -> str:
    """`text` when it is a valid template for these columns, else "" (still being written).

    A message still being written must not stop the numbers from being checked.
    """
    from trackly_desktop.core.messages.templates import find_template_problems  # noqa: PLC0415

    return text if not find_template_problems(text, columns) else ""


@dataclass(frozen=True)
class FileChoices:
    """What the operator chose for this file in the window; None: what the app found."""

    header_row: int | None = None  # spreadsheet row of the column names, 0: none
    encoding: str | None = None  # a text file's encoding ("cp1251")
    country: str | None = None  # for numbers without a + code; None: default or inferred


@dataclass(frozen=True)
class Audience:
    """Who may be texted: the do-not-text list to read, and whether rows whose opt-in
    consent cell is empty are texted."""

    do_not_text: Path | None = None
    include_unrecorded: bool = False


def check_rows(
    table: Any,
    mapping: Any,
    template: str,
    country: str,
    sheets: list[str],
    *,
    progress: ProgressCallback,
    cancel: CancelToken,
    audience: Audience = Audience(),
    choices: FileChoices = FileChoices(),
) -> Loaded:
    """Check every number and render every message of `table` under `mapping`.

    `country` is the default; a country chosen for this file (`choices`) wins, and
    without one the numbers may show another (see phones.country_guess)."""
    from trackly_desktop.core.audience.do_not_text import numbers_at  # noqa: PLC0415
    from trackly_desktop.core.recipients.build import build_recipients  # noqa: PLC0415

    blocked = numbers_at(audience.do_not_text) if audience.do_not_text else frozenset()

    # Held: the first collector pass after the check would walk its million-value columns
    # (111 ms at 1,048,576 rows, the worst stall of the read).
    with collector.building_held_data():
        recipients = build_recipients(
            table, mapping, template_for(template, table.columns), choices.country or country,
            country_source="chosen" if choices.country else "default",
            do_not_text=blocked, include_unrecorded=audience.include_unrecorded,
            progress=progress, cancel=cancel,
        )  # fmt: skip
        rows = ContactRows.build(recipients)
    return Loaded(table, sheets, mapping, recipients, rows)


def load_spreadsheet(
    path: Path,
    sheet: str | None,
    template: str,
    country: str,
    *,
    progress: ProgressCallback,
    cancel: CancelToken,
    audience: Audience = Audience(),
    choices: FileChoices = FileChoices(),
) -> Loaded:
    """Read one sheet of `path`, recall or guess the columns, and check every row."""
    from trackly_desktop.core.contacts.mapping import suggest_mapping  # noqa: PLC0415
    from trackly_desktop.core.contacts.remembered_mappings import MappingMemory  # noqa: PLC0415
    from trackly_desktop.core.reading.spreadsheet import list_sheets, read_table  # noqa: PLC0415

    sheets = list_sheets(path)
    table = read_table(
        path, sheet=sheet, progress=progress, cancel=cancel,
        header_row=choices.header_row, encoding=choices.encoding,
    )  # fmt: skip
    mapping = MappingMemory().recall(table.columns) or suggest_mapping(table)
    if not mapping.phone:
        # Nothing to check until the operator says which column holds the numbers.
        return Loaded(table, sheets, mapping, None, ContactRows([], [], [], [], {}))
    return check_rows(
        table, mapping, template, country, sheets,
        progress=progress, cancel=cancel, audience=audience, choices=choices,
    )  # fmt: skip


def recheck_with(
    table: Any,
    mapping: Any,
    template: str,
    country: str,
    sheets: list[str],
    *,
    remember: bool,
    progress: ProgressCallback,
    cancel: CancelToken,
    audience: Audience = Audience(),
    choices: FileChoices = FileChoices(),
) -> Loaded:
    """Check again under a mapping the operator chose (remembered for files like this one)."""
    loaded = check_rows(
        table, mapping, template, country, sheets,
        progress=progress, cancel=cancel, audience=audience, choices=choices,
    )  # fmt: skip
    if remember:
        from trackly_desktop.core.contacts.remembered_mappings import MappingMemory  # noqa: PLC0415

        MappingMemory().remember(table.columns, mapping)
    return loaded
