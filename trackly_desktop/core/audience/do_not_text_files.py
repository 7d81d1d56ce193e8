"""Filling the do-not-text list from a file of numbers, and writing it out again.

An import reads any file the spreadsheet pipeline reads (CSV, XLSX, XLS, ODS, a bare
column of numbers): the phone column is found as for a campaign, each value is checked
as a campaign's numbers are, and the report says how many were added, how many were
already on the list and which values could not be read as a number (never guessed).

The export is CSV in UTF-8 with a BOM, formula-safe like the failures export: every
number starts with "+", which Excel would otherwise read as a formula.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from trackly_desktop.core.audience.do_not_text import FROM_IMPORT, SOURCE_WORDS, DoNotTextList
from trackly_desktop.core.errors import MappingError, TracklyDesktopError
from trackly_desktop.core.formula_safety import csv_safe

EXPORT_HEADERS = ("Phone", "Added (UTC)", "Why", "Where it came from")
# How many unreadable values a report keeps (the count is always exact).
_UNREADABLE_KEPT = 200


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0
    unreadable: int = 0
    unreadable_examples: list[tuple[int, str]] = field(default_factory=list)  # (row, value)

    def sentence(self) -> str:
        parts = [
            f"{self.added:,} added",
            f"{self.already:,} already on the list",
            f"{self.unreadable:,} could not be read as a phone number",
        ]
        return ", ".join(parts) + "."


def import_numbers(
    dnt: DoNotTextList,
    path: Path,
    country: str,
    *,
    reason: str = "",
    when: datetime | None = None,
) -> ImportReport:
    """Add every number in the file at `path` to `dnt`; numbers without +code are read
    as `country`'s. Raises InputFileError for a file that cannot be read."""
    # Imported here: reading pulls in pandas, which the command line loads only when used.
    from trackly_desktop.core.contacts.mapping import suggest_mapping  # noqa: PLC0415
    from trackly_desktop.core.phones.check import MISSING  # noqa: PLC0415
    from trackly_desktop.core.phones.columns import check_phone_columns  # noqa: PLC0415
    from trackly_desktop.core.reading.spreadsheet import read_table  # noqa: PLC0415

    path = Path(path)
    table = read_table(path)
    header = suggest_mapping(table).phone
    if header is None:
        if len(table.columns) != 1:
            raise MappingError(
                f"{path.name} has no column that holds phone numbers: give the file one "
                "column of numbers, or a column called “Phone”."
            )
        header = table.columns[0]
    values = table.column_values(header)
    phones, reasons, _warnings = check_phone_columns(values, country.upper())
    report = ImportReport()
    readable: list[str] = []
    for i, (phone, why) in enumerate(zip(phones, reasons, strict=True)):
        if phone is not None and why is None:
            readable.append(phone)
        elif why != MISSING:  # an empty cell is not a number someone meant
            report.unreadable += 1
            if len(report.unreadable_examples) < _UNREADABLE_KEPT:
                report.unreadable_examples.append((table.row_number(i), values[i]))
    unique = list(dict.fromkeys(readable))
    report.added = dnt.add_many(
        unique, reason=reason or f"Imported from {path.name}", source=FROM_IMPORT, when=when
    )
    report.already = len(unique) - report.added
    return report


def export_csv(dnt: DoNotTextList, path: Path) -> int:
    """Write the whole list to `path` as CSV (whole or not at all); returns the rows written."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise TracklyDesktopError(
            f"Cannot save the do-not-text list as “{path.name}”: choose a name ending in .csv."
        )
    entries = dnt.in_number_order()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".do-not-text-", suffix=".csv", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_HEADERS)
            for e in entries:
                source = SOURCE_WORDS.get(e.source, e.source)
                writer.writerow([csv_safe(v) for v in (e.phone, e.added, e.reason, source)])
        os.replace(tmp_name, path)
    except OSError as exc:
        if "tmp_name" in locals():
            Path(tmp_name).unlink(missing_ok=True)
        raise TracklyDesktopError(
            f"Could not save the do-not-text list to “{path}” ({exc.strerror or exc}); "
            "choose another folder or close the file if it is open in Excel."
        ) from None
    return len(entries)
