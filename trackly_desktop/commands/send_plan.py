"""`trackly send FILE`: read, map, check and render, show what will go out, confirm, record.

Returns the new campaign's id, or None when the operator did not confirm.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from trackly_desktop.commands import audience_options, reading_options
from trackly_desktop.commands.plain_characters import PlainOffer, plain_template
from trackly_desktop.core.audience.schedule import describe_with_zone
from trackly_desktop.core.campaign.spec import CampaignSpec, SendOptions, check_list_number
from trackly_desktop.core.errors import InputFileError, MappingError, TracklyDesktopError

SHOWN_LEFT_OUT = 10


def _template(args: argparse.Namespace) -> str:
    if args.template_file is not None:
        try:
            return Path(args.template_file).read_text(encoding="utf-8-sig").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(
                f"Cannot read the message from {args.template_file}: "
                f"{getattr(exc, 'strerror', None) or 'it is not UTF-8 text'}."
            ) from None
    if args.template:
        return str(args.template)
    raise TracklyDesktopError("Give the message with --template TEXT or --template-file FILE.")


def _mapping(table: Any, pairs: list[str]) -> Any:
    from trackly_desktop.core.contacts.mapping import suggest_mapping  # noqa: PLC0415 - pandas path

    mapping = suggest_mapping(table)
    for pair in pairs:
        role, sep, header = pair.partition("=")
        if not sep or not role.strip() or not header.strip():
            raise MappingError(f"“{pair}” is not ROLE=HEADER (for example phone=Mobile).")
        if header.strip() not in table.columns:
            raise MappingError(f"There is no column called “{header.strip()}” in the file.")
        mapping = mapping.with_role(role.strip(), header.strip())
    if mapping.phone is None:
        raise MappingError("No phone column was found: name it with --map phone=HEADER.")
    return mapping


def plan_campaign(journal: Any, args: argparse.Namespace, settings: Any) -> int | None:
    from trackly_desktop.core.recipients.build import build_recipients  # noqa: PLC0415
    from trackly_desktop.core.recipients.reasons import describe  # noqa: PLC0415

    if not (args.list_number or settings.list_number):
        raise TracklyDesktopError("Give the sending number with --list-number, e.g. +18005551000.")
    list_number = check_list_number(args.list_number or settings.list_number)
    template, made_plain = plain_template(_template(args), args)
    country = (args.country or settings.default_country).upper()
    options = SendOptions(
        wrap_links=bool(args.wrap_links or settings.wrap_links),
        skip_duplicate_check=args.skip_duplicate_check,
        skip_rate_limit=args.skip_rate_limit,
        skip_contact_validation=args.skip_contact_validation,
        skip_journey_check=args.skip_journey_check,
        ignore_quiet_hours=bool(getattr(args, "ignore_quiet_hours", False)),
    )
    source = Path(args.file)
    table = reading_options.read_table(source, args)
    mapping = audience_options.apply_consent_choice(_mapping(table, args.map), args)
    recipients = build_recipients(
        table,
        mapping,
        template,
        country,
        do_not_text=audience_options.do_not_text_numbers(),
        include_unrecorded=args.include_unrecorded_consent,
        # Without --country the numbers may show the file is another country's.
        country_source="chosen" if args.country else "default",
    )
    country = recipients.country
    recipients.share_columns(getattr(args, "share_column", None) or [])
    summary = recipients.summary()
    print(f"{source.name}: {summary.rows:,} rows, {summary.ready:,} ready to send "
          f"({summary.segments:,} text segments) from {list_number}.")  # fmt: skip
    if recipients.reading.source == "inferred":
        print(f"{recipients.reading.sentence()} Use --country to read them otherwise.")
    if recipients.consent_column is not None:
        print(f"Consent: {mapping.consent_words()}")
    print(recipients.shared_with_trackly())
    for line in audience_options.exclusion_lines(recipients):
        print(line)
    left_out = [i for i, s in enumerate(recipients.status) if s not in ("ready", "excluded")]
    if left_out:
        reasons = Counter(recipients.reason[i] for i in left_out)
        print(f"{len(left_out):,} rows left out:")
        for reason, n in reasons.most_common():
            print(f"  {n:,} × {describe(reason)}")
        for i in left_out[:SHOWN_LEFT_OUT]:
            print(f"  row {int(recipients.row_numbers[i])}: {recipients.input_phone[i]!r} — "
                  f"{recipients.note(i)}")  # fmt: skip
        if len(left_out) > SHOWN_LEFT_OUT:
            print(f"  … and {len(left_out) - SHOWN_LEFT_OUT:,} more")
    if summary.ready == 0:
        raise TracklyDesktopError("Nobody in this file can be texted; nothing was sent.")
    if options.skip_contact_validation:
        print("WARNING: people who unsubscribed or blocked you WILL get this message.")
    if options.skip_duplicate_check:
        print("Note: without the duplicate check, messages whose outcome is unknown are "
              "not resent automatically.")  # fmt: skip
    for line in PlainOffer(recipients, args, made_plain).lines():
        print(line)
    first = recipients.ready_indices()[0]
    print(f"First message: {recipients.body[first]}")
    times, due = _quiet_hours(args, settings, recipients, options)
    question = f"Send {summary.ready:,} messages now? [y/N] "
    if due is not None:
        when = describe_with_zone(due, clock_now())
        question = f"Schedule {summary.ready:,} messages for {when}? [y/N] "
    if not args.yes and not _confirm(question):
        print("Nothing was sent.", file=sys.stderr)
        return None
    from trackly_desktop.core.journal.record import create_campaign  # noqa: PLC0415

    spec = CampaignSpec(
        source_file=source.resolve(),
        sheet=args.sheet or table_sheet(table),
        mapping=mapping.as_dict(),
        template=template,
        list_number=list_number,
        country=country,
        options=options,
    )
    campaign_id = create_campaign(journal, spec, recipients, local_times=times, scheduled_for=due)
    print(f"Campaign {campaign_id} recorded; if it stops, resume with "
          f"“trackly send --resume {campaign_id}”.", flush=True)  # fmt: skip
    return campaign_id


def clock_now() -> Any:
    from trackly_desktop.core.audience.clock import default_clock  # noqa: PLC0415

    return default_clock().now()


def _quiet_hours(
    args: argparse.Namespace, settings: Any, recipients: Any, options: Any
) -> tuple[Any, Any]:
    """Place every row for quiet hours and read --at; print what they mean for this send.

    Returns (local times or None when quiet hours are ignored, due time or None)."""
    from trackly_desktop.core.audience.local_times import local_times_for  # noqa: PLC0415
    from trackly_desktop.core.audience.schedule import parse_send_at  # noqa: PLC0415
    from trackly_desktop.core.audience.wording import (  # noqa: PLC0415
        CLOSED_APP_NOTE,
        IGNORE_WARNING,
        texting_hours_summary,
    )

    now = clock_now()
    due = parse_send_at(args.at, now) if getattr(args, "at", None) else None
    if due is not None:
        print(f"Scheduled for {describe_with_zone(due, now)}: this command waits until "
              f"then. {CLOSED_APP_NOTE}")  # fmt: skip
    if options.ignore_quiet_hours:
        print("WARNING: " + IGNORE_WARNING)
        return None, due
    times = local_times_for(recipients, settings.quiet_hours())
    summary = texting_hours_summary(times, recipients.ready_indices(), due or now)
    print(("At the scheduled time: " if due is not None else "Quiet hours: ") + summary)
    return times, due


def table_sheet(table: Any) -> str | None:
    return getattr(table, "sheet", None)


def _confirm(question: str) -> bool:
    if sys.stdin is None or not sys.stdin.isatty():
        print("Not confirmed: run with --yes to send without asking.", file=sys.stderr)
        return False
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
