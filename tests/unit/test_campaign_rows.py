"""Campaign rows built column by column store exactly what the row-by-row path builds:
same phone, body, name, contact JSON and payload bytes, over real spreadsheets and SQLite."""

from __future__ import annotations

import json

import pytest

from trackly_desktop.core.campaign import rows as campaign_rows
from trackly_desktop.core.campaign.spec import (
    CampaignSpec,
    RecipientRecord,
    SendOptions,
    encode_contact_data,
    iter_ready_records,
    message_payload,
)
from trackly_desktop.core.contacts.mapping import ColumnMapping
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.journal.record import create_campaign
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients

LIST = "+18005551000"
# Quotes, backslashes, non-Latin text, emoji, empty and blank cells, a time zone with
# spaces around it, a duplicate number and an invalid one (both left out).
CSV = (
    "Phone,First,Last,Zone,Order,Note\n"
    '(415) 555-0101,Zoë,"O\'Brien ""Jr""",  Europe/Paris ,A-1,"back\\slash"\n'
    "415-555-0102,,Turing,,,\n"
    "+1 415 555 0103,李,雷,America/New_York,🎉,\n"
    "not a number,Bad,Row,,x,y\n"
    "415 555 0101,Dup,Licate,,z,\n"
    "415.555.0104,  ,  ,   ,  , \n"
    '415-555-0105,"Line\nBreak",Tab\tbed,UTC,"{""a"":1}","<b>"\n'
)
OPTIONS = [
    SendOptions(),
    SendOptions(wrap_links=True),
    SendOptions(skip_rate_limit=True, skip_contact_validation=True),
]


@pytest.fixture
def journal():
    with Journal() as j:
        yield j


def stored(journal: Journal, campaign_id: int) -> list[tuple]:
    return journal._conn.execute(
        "SELECT row, phone, body, name, contact_data, payload FROM recipient_rows"
        " WHERE campaign_id=? ORDER BY id",
        (campaign_id,),
    ).fetchall()


def expected(campaign_id: int, records: list[RecipientRecord], options: SendOptions) -> list:
    out = []
    for r in records:
        contact = encode_contact_data(r.contact_data)
        payload = message_payload(campaign_id, r, LIST, options, contact)
        out.append((r.row, r.phone, r.body, r.name, contact, payload))
    return out


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("mapping", [
    ColumnMapping(phone="Phone", first_name="First", last_name="Last", timezone="Zone"),
    ColumnMapping(phone="Phone"),  # every other column shared, as custom fields
])  # fmt: skip
def test_columns_store_the_bytes_of_the_row_by_row_path(journal, tmp_path, options, mapping):
    source = tmp_path / "messy.csv"
    source.write_text(CSV, encoding="utf-8")
    template = 'Hi {{First}} \\ "{{Order}}" https://shop.example/x?y=1 {{messageId}}'
    recipients = build_recipients(read_table(source), mapping, template, "US")
    recipients.share_columns(["Order", "Note"] if mapping.first_name else ["First", "Last",
                             "Zone", "Order", "Note"])  # fmt: skip
    spec = CampaignSpec(source, None, mapping.as_dict(), template, LIST, "US", options)
    campaign_id = create_campaign(journal, spec, recipients)
    rows = stored(journal, campaign_id)
    assert rows == expected(campaign_id, list(iter_ready_records(recipients)), options)
    assert [r[0] for r in rows] == [2, 3, 4, 7, 8]  # the invalid and duplicate rows left out
    for *_, contact, payload in rows:
        message = json.loads(payload)
        assert message["metadata"] == {
            "campaign_id": campaign_id,
            "row": message["metadata"]["row"],
        }
        if not options.uses_raw and contact != "{}":
            assert message["contact_data"] == json.loads(contact)
    by_row = {r[0]: json.loads(r[4]) for r in rows}
    if mapping.first_name:
        assert by_row[2] == {
            "first_name": "Zoë",
            "last_name": 'O\'Brien "Jr"',
            "custom_fields": {"Order": "A-1", "Note": "back\\slash"},
            "timezone": "Europe/Paris",
        }
        assert by_row[7] == {
            "first_name": "  ",
            "last_name": "  ",
            "custom_fields": {"Order": "  ", "Note": " "},
        }
        assert by_row[3] == {"last_name": "Turing"}


def test_records_in_several_chunks_are_stored_in_order(journal, monkeypatch):
    monkeypatch.setattr(campaign_rows, "CHUNK_ROWS", 7)
    records = [
        RecipientRecord(
            row, f"+1415555{row:04d}", f"Hi é {row}", f"N{row}",
            {"first_name": f"F{row}", "custom_fields": {"k": "v"}} if row % 3 else {},
        )
        for row in range(2, 32)
    ]  # fmt: skip
    spec = CampaignSpec("gen.csv", None, {"phone": "Phone"}, "t", LIST, "US")
    campaign_id = journal.create_campaign(spec, iter(records))
    assert stored(journal, campaign_id) == expected(campaign_id, records, SendOptions())
    first, last = journal.id_range(campaign_id)
    assert last - first + 1 == 30 and journal.counts(campaign_id).pending == 30


def test_a_ready_row_without_an_e164_number_stores_nothing(journal, tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("Phone\n415-555-0101\n415-555-0102\n", encoding="utf-8")
    recipients = build_recipients(read_table(source), ColumnMapping(phone="Phone"), "Hi", "US")
    recipients.phone[1] = "4155550102"  # a damaged "ready" row must never become a guess
    spec = CampaignSpec(source, None, {"phone": "Phone"}, "Hi", LIST, "US")
    with pytest.raises(CampaignError, match="Row 3 is marked ready"):
        create_campaign(journal, spec, recipients)
    assert journal.campaigns() == []
    assert journal._conn.execute("SELECT COUNT(*) FROM recipient_rows").fetchone() == (0,)


def test_tracked_links_with_a_skip_flag_are_refused_not_dropped(journal, tmp_path):
    # /v2/send-raw/bulk has no wrap_links: the campaign must not silently send raw links.
    source = tmp_path / "c.csv"
    source.write_text("Phone\n415-555-0101\n", encoding="utf-8")
    recipients = build_recipients(read_table(source), ColumnMapping(phone="Phone"), "Hi", "US")
    options = SendOptions(wrap_links=True, skip_contact_validation=True)
    spec = CampaignSpec(source, None, {"phone": "Phone"}, "Hi", LIST, "US", options)
    with pytest.raises(CampaignError, match="cannot be combined"):
        create_campaign(journal, spec, recipients)
    assert journal.campaigns() == []
    SendOptions(wrap_links=True).check_compatible()  # each alone is fine
    SendOptions(skip_rate_limit=True).check_compatible()
