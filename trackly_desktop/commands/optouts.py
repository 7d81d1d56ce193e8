"""`trackly optouts`: the do-not-text list, from the command line.

    trackly optouts list [--search TEXT]
    trackly optouts add NUMBER... [--reason TEXT] [--country US]
    trackly optouts remove NUMBER... [--yes]
    trackly optouts import FILE [--reason TEXT] [--country US]
    trackly optouts export FILE.csv

The list is the one beside the journal (the same the window and `trackly send` read):
a number added here is not texted by a check, a send or a resumed send started after.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trackly_desktop.core.errors import TracklyDesktopError

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="show the numbers on the list")
    listing.add_argument("--search", default="", help="digits, or words of the reason")
    add = actions.add_parser("add", help="never text these numbers again")
    add.add_argument("numbers", nargs="+", metavar="NUMBER")
    add.add_argument("--reason", default="", help="why (kept with the number)")
    add.add_argument("--country", help="country for numbers without +code (e.g. US, GB)")
    remove = actions.add_parser("remove", help="take numbers off the list")
    remove.add_argument("numbers", nargs="+", metavar="NUMBER")
    remove.add_argument("--country", help="country for numbers without +code (e.g. US, GB)")
    remove.add_argument("--yes", "-y", action="store_true", help="remove without asking")
    imports = actions.add_parser("import", help="add every number in a CSV/XLSX file")
    imports.add_argument("file", type=Path)
    imports.add_argument("--reason", default="", help="why (kept with each number)")
    imports.add_argument("--country", help="country for numbers without +code (e.g. US, GB)")
    export = actions.add_parser("export", help="write the list to a CSV file")
    export.add_argument("file", type=Path)


def _open_list():
    from trackly_desktop import paths  # noqa: PLC0415
    from trackly_desktop.core.audience.do_not_text import (  # noqa: PLC0415
        DoNotTextList,
        list_path_for_journal,
    )

    return DoNotTextList(list_path_for_journal(paths.journal_path()))


def _country(args: argparse.Namespace) -> str:
    from trackly_desktop.settings import load_settings  # noqa: PLC0415

    return (args.country or load_settings().default_country).upper()


def _e164(text: str, country: str) -> str | None:
    from trackly_desktop.core.phones.check import check_phone  # noqa: PLC0415

    check = check_phone(text, country)
    return check.e164 if check.reason is None else None


def run(args: argparse.Namespace) -> int:
    with _open_list() as dnt:
        return int(_ACTIONS[args.action](dnt, args))


def _list(dnt, args: argparse.Namespace) -> int:
    from trackly_desktop.core.audience.do_not_text import SOURCE_WORDS  # noqa: PLC0415

    entries = dnt.entries(args.search)
    for e in entries:
        why = f" — {e.reason}" if e.reason else ""
        print(f"{e.phone}\t{e.added}\t{SOURCE_WORDS.get(e.source, e.source)}{why}")
    total = len(dnt)
    shown = f"{len(entries):,} of {total:,}" if args.search else f"{total:,}"
    noun = "number" if total == 1 else "numbers"
    print(f"{shown} {noun} on the do-not-text list.", file=sys.stderr)
    return EXIT_OK


def _add(dnt, args: argparse.Namespace) -> int:
    from trackly_desktop.core.audience.do_not_text import FROM_COMMAND_LINE  # noqa: PLC0415

    country, failed = _country(args), False
    for text in args.numbers:
        phone = _e164(text, country)
        if phone is None:
            print(f"“{text}” is not a phone number; it was not added.", file=sys.stderr)
            failed = True
        elif dnt.add(phone, reason=args.reason, source=FROM_COMMAND_LINE):
            print(f"{phone} added: it will not be texted again.")
        else:
            print(f"{phone} was already on the list.")
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _remove(dnt, args: argparse.Namespace) -> int:
    country, failed = _country(args), False
    for text in args.numbers:
        phone = _e164(text, country) or text.strip()
        if phone not in dnt:
            print(f"{phone} is not on the list.", file=sys.stderr)
            failed = True
            continue
        if not args.yes and not _confirm(f"Take {phone} off the do-not-text list? [y/N] "):
            print(f"{phone} stays on the list.", file=sys.stderr)
            failed = True
            continue
        dnt.remove(phone)
        print(f"{phone} removed: it may be texted again.")
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _import(dnt, args: argparse.Namespace) -> int:
    from trackly_desktop.core.audience.do_not_text_files import import_numbers  # noqa: PLC0415

    report = import_numbers(dnt, args.file, _country(args), reason=args.reason)
    print(f"{args.file.name}: {report.sentence()}")
    for row, value in report.unreadable_examples[:20]:
        print(f"  row {row}: “{value}” is not a phone number", file=sys.stderr)
    if report.unreadable > 20:
        print(f"  … and {report.unreadable - 20:,} more", file=sys.stderr)
    return EXIT_SOME_FAILED if report.unreadable else EXIT_OK


def _export(dnt, args: argparse.Namespace) -> int:
    from trackly_desktop.core.audience.do_not_text_files import export_csv  # noqa: PLC0415

    count = export_csv(dnt, args.file)
    print(f"{count:,} numbers written to {args.file}.")
    return EXIT_OK


def _confirm(question: str) -> bool:
    if sys.stdin is None or not sys.stdin.isatty():
        raise TracklyDesktopError("Not confirmed: run with --yes to remove without asking.")
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


_ACTIONS = {"list": _list, "add": _add, "remove": _remove, "import": _import, "export": _export}
