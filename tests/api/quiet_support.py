"""Campaigns with quiet hours for the send tests: a real CSV, checked and placed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from trackly_desktop.core.audience.local_times import local_times
from trackly_desktop.core.audience.quiet_hours import QuietHours
from trackly_desktop.core.campaign.spec import CampaignSpec, SendOptions
from trackly_desktop.core.contacts.mapping import suggest_mapping
from trackly_desktop.core.journal.record import create_campaign
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients
from trackly_desktop.sandbox.demo_data import DEMO_LIST_NUMBER

TEMPLATE = "Hi {{First Name}}, your order is ready."
NEW_YORK, MIAMI, SAN_FRANCISCO, ANCHORAGE = (
    "+12125550101",
    "+13055550102",
    "+14155550103",
    "+19075550104",
)


def write_contacts(folder: Path, people: list[tuple[str, str]]) -> Path:
    path = folder / "contacts.csv"
    lines = ["First Name,Phone"] + [f"{name},{phone}" for name, phone in people]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_campaign(
    journal: Journal,
    path: Path,
    *,
    options: SendOptions | None = None,
    scheduled_for: datetime | None = None,
) -> int:
    table = read_table(path)
    mapping = suggest_mapping(table)
    recipients = build_recipients(table, mapping, TEMPLATE, "US")
    spec = CampaignSpec(
        source_file=path,
        sheet=None,
        mapping=mapping.as_dict(),
        template=TEMPLATE,
        list_number=DEMO_LIST_NUMBER,
        country="US",
        options=options or SendOptions(),
    )
    times = local_times(recipients.phone, QuietHours())
    return create_campaign(
        journal, spec, recipients, local_times=times, scheduled_for=scheduled_for
    )
