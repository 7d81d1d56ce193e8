"""`trackly check`: read a spreadsheet, check every number and render every message; send nothing.

    trackly check FILE [--sheet NAME] [--country US] [--template TEXT | --template-file F]
                  [--map ROLE=HEADER ...] [--header-row N] [--encoding NAME]
                  [--price-per-part P] [--plain-characters] [--json]

Without --json: a short summary and the rows that need attention. With --json: one object
on stdout (file, sheet, mapping with the phone columns in order, header_row, encoding,
country, country_source, summary, cost, plain_characters, rows). Where curly quotes, long
dashes or "…" in the message make the messages cost more parts, both name them and say
what plain ones would save (as the Message step does); --plain-characters uses plain ones.
Without --country the numbers may show that a file is another country's than the default
(country_source "inferred"). The cost is estimated from --price-per-part, or the price
saved in Settings; without either it is not shown.
Exit 0 when it ran, 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import phonenumbers

from trackly_desktop.commands import audience_options, reading_options
from trackly_desktop.commands.check_quiet_hours import QuietHoursCheck
from trackly_desktop.commands.plain_characters import (
    PlainOffer,
    add_plain_characters_argument,
    plain_template,
    price_and_currency,
)
from trackly_desktop.core.audience.clock import default_clock
from trackly_desktop.core.contacts.mapping import suggest_mapping
from trackly_desktop.core.errors import MappingError, TemplateError, TracklyDesktopError
from trackly_desktop.core.messages.cost import about_cost, estimate
from trackly_desktop.core.phones.country_guess import CHOSEN, DEFAULT
from trackly_desktop.core.recipients.build import Recipients, build_recipients
from trackly_desktop.settings import load_settings

EXIT_OK = 0
# How many rows needing attention the human summary lists before "... and N more".
ATTENTION_LIMIT = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the spreadsheet (CSV, XLSX, XLS, ODS)")
    parser.add_argument("--sheet", help="the sheet to read (default: the first with data)")
    parser.add_argument("--country", help="country for numbers without +code (e.g. US, GB)")
    template = parser.add_mutually_exclusive_group()
    template.add_argument("--template", help="the message, with {{column}} fields")
    template.add_argument("--template-file", type=Path, help="read the message from a file")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ROLE=HEADER",
        help="use column HEADER for ROLE (phone, first_name, last_name, timezone, full_name); "
        "repeatable; phone=A,B tries column A, then B",
    )
    reading_options.add_arguments(parser)
    parser.add_argument(
        "--price-per-part",
        help="price of one message part, to estimate the cost (default: the one in Settings)",
    )
    add_plain_characters_argument(parser)
    audience_options.add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def _cost(args: argparse.Namespace, parts: int) -> dict[str, str] | None:
    """{"amount": "11.60", "currency": "USD", "words": "about $11.60"}, or None: no price."""
    price, currency = price_and_currency(args)
    amount = estimate(parts, price)
    if amount is None:
        return None
    words = about_cost(parts, price, currency)
    return {"amount": str(amount), "currency": currency, "words": words}


def _country(value: str | None) -> tuple[str, str]:
    """(country, where it came from): --country is a choice, Settings only a default."""
    source = CHOSEN
    if value is None:
        value = load_settings().default_country  # the locale's country unless changed
        source = DEFAULT
    country = value.strip().upper()
    if not phonenumbers.country_code_for_region(country):
        raise TracklyDesktopError(
            f"“{value}” is not a country code; use two letters such as US, GB or DE."
        )
    return country, source


def _template(args: argparse.Namespace) -> str:
    if args.template_file is None:
        return args.template or ""
    try:
        return args.template_file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TracklyDesktopError(
            f"The template file {args.template_file} does not exist."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TracklyDesktopError(
            f"The template file {args.template_file} cannot be read as text ({exc})."
        ) from None


def _mapping(table: Any, pairs: list[str]) -> Any:
    mapping = suggest_mapping(table)
    for pair in pairs:
        role, sep, header = pair.partition("=")
        if not sep:
            raise MappingError(f"“{pair}” should look like ROLE=HEADER, e.g. phone=Mobile.")
        role, header = role.strip(), header.strip()
        if role == "phone" and "," in header and header not in table.columns:
            mapping = mapping.with_phones([h.strip() for h in header.split(",")])
            continue
        mapping = mapping.with_role(role, header or None)
    mapping.validate(table.columns)
    return mapping


def run(args: argparse.Namespace) -> int:
    country, source = _country(args.country)
    template, made_plain = plain_template(_template(args), args)
    table = reading_options.read_table(args.file, args)
    mapping = audience_options.apply_consent_choice(_mapping(table, args.map), args)
    try:
        recipients = build_recipients(
            table,
            mapping,
            template,
            country,
            do_not_text=audience_options.do_not_text_numbers(),
            include_unrecorded=args.include_unrecorded_consent,
            country_source=source,
        )
    except TemplateError as exc:
        raise TemplateError(
            f"The message template has a problem at character {exc.position + 1}: {exc}",
            exc.position,
        ) from None
    cost = _cost(args, recipients.summary().segments)
    plain = PlainOffer(recipients, args, made_plain)
    quiet = QuietHoursCheck(recipients, load_settings().quiet_hours(), default_clock().now())
    if args.json:
        from trackly_desktop.commands.check_json import write_json  # noqa: PLC0415 - orjson

        write_json(recipients, sys.stdout, cost, quiet, plain)
    else:
        report = human_report(recipients, cost["words"] if cost else "", plain.lines())
        sys.stdout.write(report + quiet.summary_line() + "\n")
    return EXIT_OK


def human_report(recipients: Recipients, cost: str = "", plain: Sequence[str] = ()) -> str:
    """The summary a person reads: counts, then the rows that need attention; `plain`:
    the lines of `PlainOffer`."""
    summary = recipients.summary()
    table = recipients.table
    where = table.source.name + (f" (sheet {table.sheet})" if table.sheet else "")
    mapping = recipients.mapping
    roles = {**mapping.as_dict(), "phone": " then ".join(mapping.phone_columns)}
    mapped = ", ".join(f"{role} = {header}" for role, header in roles.items())
    if mapping.full_name and not (mapping.first_name and mapping.last_name):
        mapped += f" (first and last name split from {mapping.full_name})"
    reading = recipients.reading
    lines = [
        f"{where}: {summary.rows:,} rows; {_header_words(table)}",
        f"{reading.sentence()[:-1]} ({reading.country}); --country XX reads them otherwise.",
        f"Columns: {mapped}.",
        f"Ready: {summary.ready:,}   Invalid: {summary.invalid:,}   "
        f"Duplicates: {summary.duplicate:,}   Not texted: {summary.excluded:,}   "
        f"Message parts to send: {summary.segments:,}",
    ]
    if recipients.consent_column is not None:
        lines.append(f"Consent: {recipients.mapping.consent_words()}")
    lines += audience_options.exclusion_lines(recipients)
    if cost:
        lines.append(f"Estimated cost: {cost} for {summary.segments:,} message parts.")
    lines += plain
    attention = recipients.attention_indices()
    if attention:
        lines.append("")
        lines.append("Rows that need attention:")
        for i in attention[:ATTENTION_LIMIT]:
            phone = recipients.input_phone[i] or "(empty)"
            lines.append(f"  row {int(recipients.row_numbers[i])}: {phone} — {recipients.note(i)}")
        if len(attention) > ATTENTION_LIMIT:
            lines.append(f"  … and {len(attention) - ATTENTION_LIMIT:,} more (use --json for all).")
    elif summary.rows and not summary.excluded:
        lines.append("Every row is ready.")
    if table.notes:
        lines.append("")
        lines.extend(table.notes)
    return "\n".join(lines) + "\n"


def _header_words(table: Any) -> str:
    header = f"headers in row {table.header_row}" if table.header_row else "no header row found"
    encoding = table.encoding
    if encoding is None:
        return header + " (--header-row N to choose another)."
    text = f"{header}; read as {encoding.label}"
    if encoding.unsure:
        text += " (not sure: --encoding NAME to choose another)"
    return text + "."
