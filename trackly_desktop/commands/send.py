"""`trackly send`: send a campaign from a spreadsheet, or resume one, through the Trackly API.

    trackly send FILE --list-number +1... (--template TEXT | --template-file F)
                 [--map ROLE=HEADER ...] [--country US] [--header-row N] [--encoding NAME]
                 [--base-url URL]
                 [--concurrency N] [--failures F] [--results F] [--plain-characters] [--yes]
                 [--at "2026-12-07 09:00"] [--ignore-quiet-hours]
    trackly send --resume CAMPAIGN_ID [--retry-failed] [--resend-uncertain]

Quiet hours apply by default: each message goes inside 8 am-9 pm in the person's own time
(stricter where their state's law says so); the command keeps running and sends held
messages as their windows open. Stopped, it leaves them in the journal for --resume.

Without --yes it shows what it will send and asks. Exit codes: 0 every ready row was
sent, 1 some failed or stayed uncertain (or were not sent yet), 2 bad input, a rejected
key or an unconfirmed send. The API key comes from TRACKLY_API_KEY or the keyring.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from trackly_desktop.commands import audience_options, reading_options
from trackly_desktop.commands.plain_characters import add_plain_characters_argument
from trackly_desktop.commands.send_server import check_key_and_server, resume_address
from trackly_desktop.contract import MAX_IN_FLIGHT, MIN_IN_FLIGHT
from trackly_desktop.core.errors import CampaignError, TracklyDesktopError
from trackly_desktop.settings import load_settings

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_INPUT = 0, 1, 2
SKIP_FLAGS = ("skip_duplicate_check", "skip_rate_limit", "skip_contact_validation",
              "skip_journey_check")  # fmt: skip


def _concurrency(text: str) -> int:
    value = int(text)
    if not MIN_IN_FLIGHT <= value <= MAX_IN_FLIGHT:
        raise argparse.ArgumentTypeError(f"choose {MIN_IN_FLIGHT} to {MAX_IN_FLIGHT}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, help="the spreadsheet (CSV, XLSX, XLS, ODS)")
    parser.add_argument("--resume", type=int, metavar="CAMPAIGN_ID",
                        help="continue a stopped campaign (the number it printed)")  # fmt: skip
    parser.add_argument("--sheet", help="the sheet to read (default: the first with data)")
    parser.add_argument("--list-number", help="the sending number, e.g. +18005551000")
    template = parser.add_mutually_exclusive_group()
    template.add_argument("--template", help="the message, with {{column}} fields")
    template.add_argument("--template-file", type=Path, help="read the message from a file")
    parser.add_argument("--map", action="append", default=[], metavar="ROLE=HEADER",
                        help="use column HEADER for ROLE (phone, first_name, last_name, "
                        "timezone); repeatable")  # fmt: skip
    parser.add_argument("--country", help="country for numbers without +code (e.g. US, GB)")
    reading_options.add_arguments(parser)
    parser.add_argument("--base-url", help="Trackly API address (e.g. the sandbox's)")
    parser.add_argument("--concurrency", type=_concurrency, help="requests in flight (1-16)")
    parser.add_argument("--failures", type=Path, help="where to write the failed rows (.csv/.xlsx)")
    parser.add_argument("--results", type=Path, metavar="FILE",
                        help="save a copy of the spreadsheet with each row's Status, Reason, "
                        "Sent at, Number used and Fix made (.xlsx or .csv; never the "
                        "original)")  # fmt: skip
    parser.add_argument("--share-column", action="append", default=[], metavar="HEADER",
                        help="also give Trackly this column for each contact (repeatable); "
                        "by default only names and time zone go with the number")  # fmt: skip
    parser.add_argument("--wrap-links", action="store_true", help="track links in the message")
    add_plain_characters_argument(parser)
    for flag in SKIP_FLAGS:
        parser.add_argument(f"--{flag.replace('_', '-')}", action="store_true",
                            help=argparse.SUPPRESS if flag != "skip_contact_validation" else
                            "ALSO TEXTS PEOPLE WHO UNSUBSCRIBED; use only if you must")  # fmt: skip
    parser.add_argument("--retry-failed", action="store_true",
                        help="with --resume: resend failed rows that can succeed now")  # fmt: skip
    parser.add_argument("--resend-uncertain", action="store_true",
                        help="with --resume: resend rows whose outcome is unknown "
                        "(the duplicate check stops a second copy)")  # fmt: skip
    audience_options.add_arguments(parser)
    parser.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'",
                        help="send later: the date and time in your own time zone "
                        "(this command waits until then)")  # fmt: skip
    parser.add_argument("--ignore-quiet-hours", action="store_true",
                        help="text everyone now, whatever their local time (urgent, "
                        "non-marketing messages only; prints a warning)")  # fmt: skip
    parser.add_argument("--yes", "-y", action="store_true", help="send without asking")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress lines")


def run(args: argparse.Namespace) -> int:
    # Imported here so `trackly --help` stays fast.
    from trackly_desktop.secrets import resolve_api_key  # noqa: PLC0415

    if (args.file is None) == (args.resume is None):
        raise TracklyDesktopError("Give either a spreadsheet to send or --resume CAMPAIGN_ID.")
    settings = load_settings()
    key = resolve_api_key()
    if not key:
        raise TracklyDesktopError(
            "No Trackly API key: run “trackly key set” or set TRACKLY_API_KEY."
        )
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415

    with Journal() as journal:
        if journal.set_aside_to is not None:
            from trackly_desktop.core.journal.storage import set_aside_notice  # noqa: PLC0415

            print(set_aside_notice(journal.set_aside_to), file=sys.stderr)
        if args.resume is not None:
            campaign_id = _prepare_resume(journal, args)
            base_url = resume_address(journal, campaign_id, args, settings)
        else:
            from trackly_desktop.commands.send_plan import plan_campaign  # noqa: PLC0415

            base_url = args.base_url or settings.base_url
            # Before anything is recorded: a refused key or a wrong address leaves no
            # campaign behind to be offered for resuming.
            check_key_and_server(key, base_url)
            campaign_id = plan_campaign(journal, args, settings)
            if campaign_id is None:
                return EXIT_BAD_INPUT
            journal.remember_server(campaign_id, base_url.rstrip("/"))
        return _send(journal, campaign_id, key, args, settings, base_url=base_url)


def _prepare_resume(journal: Any, args: argparse.Namespace) -> int:
    campaign_id = int(args.resume)
    journal.spec(campaign_id)  # a plain error when there is no such campaign
    if args.retry_failed:
        print(f"{journal.mark_for_retry(campaign_id):,} failed rows put back to send.")
    if args.resend_uncertain:
        print(f"{journal.resend_uncertain(campaign_id):,} uncertain rows will be resent.")
    counts = journal.counts(campaign_id)
    print(
        f"Campaign {campaign_id}: {counts.queued:,} sent, "
        f"{counts.pending + counts.in_flight:,} left to send.",
        flush=True,
    )
    _confirm_late_start(journal, campaign_id, args)
    return campaign_id


def _confirm_late_start(journal: Any, campaign_id: int, args: argparse.Namespace) -> None:
    """A campaign whose scheduled time passed while nothing ran: ask before sending late."""
    from trackly_desktop.core.audience.clock import default_clock  # noqa: PLC0415
    from trackly_desktop.core.audience.schedule import describe_with_zone  # noqa: PLC0415
    from trackly_desktop.core.journal.schema import SCHEDULED  # noqa: PLC0415

    due = journal.scheduled_for(campaign_id)
    if due is None or journal.state(campaign_id) != SCHEDULED:
        return
    now = default_clock().now()
    when = describe_with_zone(due, now)
    if due > now:
        print(f"Scheduled for {when}: waiting until then.", flush=True)
        return
    if args.yes:
        print(f"It was scheduled for {when}; sending now, late.", flush=True)
        return
    from trackly_desktop.commands.send_plan import _confirm  # noqa: PLC0415

    print(f"It was scheduled for {when}, which has passed.", flush=True)
    if not _confirm("Send it now, late? [y/N] "):
        raise TracklyDesktopError(f"Nothing was sent; campaign {campaign_id} is still scheduled.")
    journal.reschedule(campaign_id, None)


def _send(
    journal: Any, campaign_id: int, key: str, args: argparse.Namespace, settings, *, base_url: str
) -> int:
    from trackly_desktop.api.client import TracklyClient  # noqa: PLC0415
    from trackly_desktop.commands.send_output import ProgressPrinter, write_failures  # noqa: PLC0415
    from trackly_desktop.core.sending.engine import SendEngine  # noqa: PLC0415

    concurrency = args.concurrency or settings.concurrency
    printer = ProgressPrinter(quiet=args.quiet)
    with TracklyClient(key, base_url, max_in_flight=concurrency) as client:
        engine = SendEngine(
            journal, campaign_id, client, concurrency=concurrency, on_progress=printer,
            duplicate_window_s=settings.duplicate_window_s,
        )  # fmt: skip
        previous = _cancel_on_ctrl_c(engine)
        try:
            report = engine.run()
        finally:
            _restore_ctrl_c(previous)
    printer.finish()
    print(report.message)
    failures = journal.failures(campaign_id)
    if failures:
        source = Path(journal.spec(campaign_id).source_file)
        target = args.failures or source.with_name(f"{source.stem}-failures.csv")
        print(f"{len(failures):,} failed rows written to {write_failures(failures, target)}")
    uncertain = journal.uncertain(campaign_id)
    if uncertain:
        print(
            f"{len(uncertain):,} messages may or may not have gone out, and resending them "
            "could give someone a second copy, so they were not resent. Check with the "
            f"recipients, then run “trackly send --resume {campaign_id} --resend-uncertain” "
            "for those who did not get it. (The app resends such a message by itself only "
            f"within {settings.duplicate_window_s} seconds of its try, the time it assumes "
            "Trackly's duplicate check lasts: Settings ▸ Advanced.)"
        )
    if args.results is not None:
        from trackly_desktop.core.results.spreadsheet_copy import write_results_copy  # noqa: PLC0415

        written = write_results_copy(journal.path, campaign_id, args.results)
        print(f"Results saved into a copy of your spreadsheet: {written}")
    if report.state != "done" and not report.key_rejected and report.remaining:
        held = sum(n for g, n in journal.pending_by_group(campaign_id).items() if g is not None)
        if held:
            print(f"{held:,} messages are held for their texting hours in the journal. Nothing "
                  "is sent while no trackly send or app runs.")  # fmt: skip
        print(f"Resume with: trackly send --resume {campaign_id}")
    if report.key_rejected:
        print(f"After fixing the key: trackly send --resume {campaign_id}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if report.sent == report.total:
        return EXIT_OK
    return EXIT_SOME_FAILED


def _cancel_on_ctrl_c(engine: Any) -> Any:
    """First Ctrl+C: let the requests in flight finish (each ends by the client's deadline)
    and stop; the second stops at once (those requests become "not sure"); a third is
    Python's own interrupt."""

    def second(signum: int, frame: FrameType | None) -> None:
        print("\nStopping now; messages in flight are marked “not sure”.", file=sys.stderr)
        engine.cancel(grace_s=0.0)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def first(signum: int, frame: FrameType | None) -> None:
        print("\nStopping after the requests in flight… (Ctrl+C again to stop now)",
              file=sys.stderr)  # fmt: skip
        engine.finish_in_flight()
        signal.signal(signal.SIGINT, second)

    try:
        return signal.signal(signal.SIGINT, first)
    except ValueError:  # not the main thread (tests call main() from a worker)
        return signal.getsignal(signal.SIGINT)


def _restore_ctrl_c(previous: Any) -> None:
    with contextlib.suppress(ValueError, TypeError):
        signal.signal(signal.SIGINT, previous)


__all__ = ["CampaignError", "add_arguments", "run"]
