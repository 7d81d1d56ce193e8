"""The journal work behind the results view, run in worker threads (no Qt here).

Each function opens its own `Journal` (WAL lets it read beside a running send) and closes
it before returning, so no SQLite connection is shared across threads by accident.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.plurals import counted

if TYPE_CHECKING:
    from trackly_desktop.core.journal.schema import CampaignSummary, FailureRow

# The journal, phone checks and their imports load on first use (in a worker), so building
# the window does not pay for SQLite and phonenumbers.

UNCERTAIN_CODE = "uncertain"  # the code the results loader gives messages of unknown fate


@dataclass(frozen=True)
class FailureLine:
    """What the table shows for one failed or uncertain message."""

    row_number: int
    name: str
    phone: str
    reason: str
    code: str
    retryable: bool
    key: object  # what the journal needs to find this message again


@dataclass(frozen=True)
class CampaignResults:
    campaign_id: int
    title: str
    state_sentence: str
    lines: list[FailureLine]
    retryable_count: int
    sent: int
    failed: int
    uncertain: int
    pending: int
    source_file: str = ""
    excluded: int = 0  # put on the do-not-text list while the campaign ran or waited
    # Lost answers the duplicate check settled, in words ("" for none): under the state.
    checked_again: str = ""


def state_sentence(summary: CampaignSummary) -> str:
    """What happened to the campaign as a whole, and what the operator can do next."""
    from trackly_desktop.core.journal.schema import (  # noqa: PLC0415
        CANCELLED,
        DONE,
        INTERRUPTED,
        NEW,
        PAUSED,
        SENDING,
        STOPPED_AUTH,
    )

    left = summary.counts.pending + summary.counts.in_flight
    if summary.state == DONE and not left:
        return "Finished: every message was handed to Trackly or is listed below."
    waiting = f"{counted(left, 'message')} not sent yet"
    if summary.state == CANCELLED:
        return f"You cancelled this send; {waiting}. You can resume it from History."
    if summary.state == STOPPED_AUTH:
        why = f" ({summary.last_message})" if summary.last_message else ""
        return (
            f"Sending stopped because Trackly refused the API key or account{why}; {waiting}. "
            "Check the key in Settings, then resume from History."
        )
    if summary.state == INTERRUPTED:
        return f"This send was interrupted; {waiting}. You can resume it from History."
    if summary.state in (SENDING, PAUSED):
        return f"Sending… {waiting}."
    if summary.state == NEW:
        return "Nothing has been sent yet."
    return f"{waiting.capitalize()}." if left else "Finished."


def summary_html(
    sent: int, failed: int, uncertain: int, excluded: int, *, colours: Mapping[str, str]
) -> str:
    """A send's counts in rich text, each in its colour (`colours`: the window's scheme's,
    by "sent", "failed", "uncertain" and "excluded")."""
    parts = [f"<span style='color:{colours['sent']}'>✓ <b>{sent:,}</b> sent</span>"]
    parts.append(f"<span style='color:{colours['failed']}'>✗ <b>{failed:,}</b> not sent</span>")
    if uncertain:
        parts.append(
            f"<span style='color:{colours['uncertain']}'>? <b>{uncertain:,}</b> not sure</span>"
        )
    if excluded:  # put on the do-not-text list while the campaign ran or waited
        parts.append(
            f"<span style='color:{colours['excluded']}'>⊘ <b>{excluded:,}</b> not texted "
            "(do-not-text list)</span>"
        )
    return " &nbsp;·&nbsp; ".join(parts)


def campaign_title(summary: CampaignSummary) -> str:
    name = Path(summary.file).name if summary.file else f"campaign {summary.id}"
    day = summary.created[:16].replace("T", " ")
    return escape(f"{name}, {day}") if day else escape(name)


def _failure_line(row: FailureRow) -> FailureLine:
    return FailureLine(
        row.row, row.name, row.phone, row.explanation, row.code, row.retryable, row.row
    )


def load_results(journal_path: Path, campaign_id: int) -> CampaignResults:
    from trackly_desktop.core.journal.failure_codes import UNCERTAIN_REASON  # noqa: PLC0415
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415
    from trackly_desktop.core.sending.tally import confirmed_by_check_words  # noqa: PLC0415

    with Journal(journal_path) as journal:
        summary = next((c for c in journal.campaigns() if c.id == campaign_id), None)
        if summary is None:
            raise CampaignError(f"There is no campaign number {campaign_id} in the send history.")
        failures = journal.failures(campaign_id)
        uncertain = journal.uncertain(campaign_id)
        sendable_again = journal.sendable_again(campaign_id)
        confirmed = journal.confirmed_by_check(campaign_id)
    lines = [_failure_line(f) for f in failures]
    lines += [
        FailureLine(u.row, u.name, u.phone, UNCERTAIN_REASON, UNCERTAIN_CODE, True, u.row)
        for u in uncertain
    ]
    lines.sort(key=lambda line: line.row_number)
    counts = summary.counts
    return CampaignResults(
        campaign_id=campaign_id,
        title=campaign_title(summary),
        state_sentence=state_sentence(summary),
        lines=lines,
        retryable_count=sendable_again,
        sent=counts.queued,
        failed=counts.failed,
        uncertain=counts.uncertain,
        pending=counts.pending + counts.in_flight,
        source_file=summary.file,
        excluded=counts.excluded,
        checked_again=confirmed_by_check_words(confirmed),
    )


def mark_for_retry(journal_path: Path, campaign_id: int, rows: Sequence[int] | None = None) -> int:
    """Put retryable failures (and the uncertain ones) back in the queue; how many."""
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415

    with Journal(journal_path) as journal:
        # Uncertain rows go back with the duplicate check on, so one that did go out
        # comes back as "already sent" instead of reaching the customer twice.
        return journal.mark_for_retry(campaign_id, rows) + journal.resend_uncertain(
            campaign_id, rows
        )


def fix_phone(journal_path: Path, campaign_id: int, row: int, typed: str) -> int:
    """Check the corrected number, store it, and queue that row again; rows queued."""
    from trackly_desktop.core.journal.store import Journal  # noqa: PLC0415
    from trackly_desktop.core.phones.check import check_phone  # noqa: PLC0415
    from trackly_desktop.core.recipients.reasons import describe  # noqa: PLC0415

    with Journal(journal_path) as journal:
        country = journal.spec(campaign_id).country
        check = check_phone(typed, country)
        if check.e164 is None:
            raise CampaignError(f"Row {row:,}: {describe(check.reason or 'not_a_number')}")
        journal.update_phone(campaign_id, row, check.e164)
        return journal.mark_for_retry(campaign_id, [row])


def export_lines(lines: Sequence[FailureLine], path: Path) -> Path:
    from trackly_desktop.core.journal.schema import FailureRow  # noqa: PLC0415
    from trackly_desktop.core.results.export import export_failures  # noqa: PLC0415

    rows = [
        FailureRow(line.row_number, line.name, line.phone, line.code, line.reason, line.retryable)
        for line in lines
    ]
    export_failures(rows, path)
    return path
