"""Record a campaign: its spec and ready rows go into the journal, nothing is sent yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trackly_desktop.core.campaign.rows import ReadyRows
from trackly_desktop.core.campaign.spec import (
    CampaignSpec,
    RecipientsLike,
    check_list_number,
)
from trackly_desktop.core.journal.store import Journal

if TYPE_CHECKING:
    from datetime import datetime

    from trackly_desktop.core.audience.local_times import LocalTimes


def create_campaign(
    journal: Journal,
    spec: CampaignSpec,
    recipients: RecipientsLike,
    *,
    local_times: LocalTimes | None = None,
    scheduled_for: datetime | None = None,
) -> int:
    """Store the campaign and its ready rows; returns the campaign id. Nothing is sent yet.

    The rows are built column by column (`campaign.rows`), the same bytes as
    `iter_ready_records` + `message_payload` give one row at a time. `local_times` (one
    entry per row of `recipients`) keeps each row's quiet group, unless the campaign
    ignores quiet hours; `scheduled_for` makes it wait for that moment.
    """
    check_list_number(spec.list_number)
    spec.options.check_compatible()
    quiet = None if spec.options.ignore_quiet_hours else local_times
    rows = ReadyRows.from_recipients(recipients, None if quiet is None else quiet.group)
    return journal.create_campaign(
        spec,
        rows,
        quiet_groups=None if quiet is None else quiet.groups,
        scheduled_for=scheduled_for,
    )
