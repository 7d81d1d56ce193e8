"""Who may be texted, for `trackly check` and `trackly send`: the consent options, the
do-not-text list, and the lines that say how many rows are excluded and why."""

from __future__ import annotations

import argparse
from typing import Any

from trackly_desktop.core.errors import MappingError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-unrecorded-consent",
        action="store_true",
        help="also text the rows whose opt-in consent cell is empty (no consent recorded)",
    )
    parser.add_argument(
        "--consent-means",
        choices=("opt_in", "opt_out"),
        help="how to read the consent column when its header does not say "
        "(opt_in: yes = may text; opt_out: yes = do not text)",
    )


def apply_consent_choice(mapping: Any, args: argparse.Namespace) -> Any:
    if getattr(args, "consent_means", None):
        if not mapping.consent:
            raise MappingError(
                "--consent-means needs a consent column: name it with --map consent=HEADER."
            )
        mapping = mapping.with_consent_polarity(args.consent_means)
    return mapping


def do_not_text_numbers() -> frozenset[str]:
    """The numbers on the do-not-text list beside the journal the command line uses."""
    from trackly_desktop import paths  # noqa: PLC0415
    from trackly_desktop.core.audience.do_not_text import (  # noqa: PLC0415
        DoNotTextList,
        list_path_for_journal,
    )

    with DoNotTextList(list_path_for_journal(paths.journal_path())) as dnt:
        return dnt.numbers()


def exclusion_lines(recipients: Any) -> list[str]:
    """ "3 rows will not be texted: 2 said no …, 1 on your do-not-text list." and the way
    to include the rows with no consent recorded; [] when nobody is excluded."""
    counts = recipients.exclusion_counts()
    total = sum(counts.values())
    lines: list[str] = []
    column = recipients.consent_column
    if total:
        parts = []
        if counts["no_consent"]:
            where = f" (column {column.header})" if column is not None else ""
            parts.append(f"{counts['no_consent']:,} did not agree to texts{where}")
        if counts["do_not_text"]:
            parts.append(f"{counts['do_not_text']:,} on your do-not-text list")
        rows = "row" if total == 1 else "rows"
        lines.append(f"{total:,} {rows} will not be texted: " + ", ".join(parts) + ".")
    unrecorded = recipients.unrecorded_count()
    if unrecorded and not recipients.include_unrecorded:
        have = "has" if unrecorded == 1 else "have"
        lines.append(
            f"Of these, {unrecorded:,} {have} no consent recorded (an empty cell); "
            "add --include-unrecorded-consent to text them."
        )
    return lines
