"""Shared set-up for the send engine tests: a sandbox, a client, a generated campaign."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord, SendOptions
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER


def phone_of(row: int) -> str:
    return f"+1415{row:07d}"


def records(count: int, first_row: int = 2) -> Iterator[RecipientRecord]:
    for row in range(first_row, first_row + count):
        yield RecipientRecord(
            row=row,
            phone=phone_of(row),
            body=f"Hello customer {row}, your order is ready.",
            name=f"Customer {row}",
            contact_data={"first_name": f"C{row}", "custom_fields": {"Order": str(row)}},
        )


def new_campaign(
    journal: Journal,
    count: int,
    options: SendOptions | None = None,
    list_number: str = DEMO_LIST_NUMBER,
) -> int:
    spec = CampaignSpec(
        source_file=Path("generated.csv"),
        sheet=None,
        mapping={"phone": "Phone"},
        template="Hello customer {{Row}}, your order is ready.",
        list_number=list_number,
        country="US",
        options=options or SendOptions(),
    )
    return journal.create_campaign(spec, records(count))


def make_client(base_url: str, key: str = DEMO_API_KEY, **kwargs) -> TracklyClient:
    kwargs.setdefault("max_in_flight", 8)
    kwargs.setdefault("backoff_base", 0.001)
    kwargs.setdefault("backoff_cap", 0.01)
    kwargs.setdefault("max_attempts", 8)
    kwargs.setdefault("timeout", 10.0)
    return TracklyClient(key, base_url, **kwargs)


def rows_sent(server) -> dict[int, int]:
    """Spreadsheet row -> how many times the sandbox queued it."""
    return dict(server.ledger.count_by("metadata.row"))
