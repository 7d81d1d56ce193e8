"""The journal: campaigns from real spreadsheets, batches claimed and settled, crash recovery,
the operator's fixes and retries. Real files, real SQLite."""

from __future__ import annotations

import json
import sqlite3

import pytest

from trackly_desktop import paths
from trackly_desktop.core.campaign.spec import CampaignSpec, SendOptions
from trackly_desktop.core.contacts.mapping import ColumnMapping
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.journal.record import create_campaign
from trackly_desktop.core.journal.schema import (
    CANCELLED,
    DONE,
    INTERRUPTED,
    SENDING,
    UNCERTAIN,
)
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients

LIST = "+18005551000"
CSV = (
    "Phone,First,Last,City\n"
    "(415) 555-0101,Ada,Lovelace,London\n"
    "not a number,Bad,Row,Nowhere\n"
    "415-555-0102,Alan,Turing,Wilmslow\n"
    "+1 415 555 0103,Grace,Hopper,Arlington\n"
)


def make_campaign(
    journal: Journal, tmp_path, options: SendOptions | None = None, share=("City",)
) -> int:
    source = tmp_path / "customers.csv"
    source.write_text(CSV, encoding="utf-8")
    table = read_table(source)
    mapping = ColumnMapping(phone="Phone", first_name="First", last_name="Last")
    template = "Hi {{First}}, your order is ready."
    recipients = build_recipients(table, mapping, template, "US")
    recipients.share_columns(share)  # the operator chose to share City
    spec = CampaignSpec(
        source_file=source,
        sheet=None,
        mapping=mapping.as_dict(),
        template=template,
        list_number=LIST,
        country="US",
        options=options or SendOptions(),
    )
    return create_campaign(journal, spec, recipients)


@pytest.fixture
def journal():
    with Journal() as j:
        yield j


def test_campaign_stores_ready_rows_with_exact_payload(journal, tmp_path):
    cid = make_campaign(journal, tmp_path, SendOptions(wrap_links=True))
    assert journal.path == paths.journal_path()
    counts = journal.counts(cid)
    assert counts.pending == 3 and counts.total == 3  # the bad row is left out
    spec = journal.spec(cid)
    assert spec.list_number == LIST and spec.options.wrap_links
    batch = journal.claim_batch(cid)
    assert batch is not None
    assert batch.rows == [2, 4, 5]  # spreadsheet rows (header is row 1)
    first = json.loads(batch.payloads[0])
    assert first["to"] == "+14155550101"
    assert first["list_number"] == LIST
    assert first["body"] == "Hi Ada, your order is ready."
    assert first["wrap_links"] is True
    assert first["metadata"] == {"campaign_id": cid, "row": 2}
    assert first["contact_data"]["first_name"] == "Ada"
    assert first["contact_data"]["custom_fields"] == {"City": "London"}


def test_only_names_and_time_zone_go_to_trackly_unless_columns_are_shared(journal, tmp_path):
    cid = make_campaign(journal, tmp_path, share=())
    batch = journal.claim_batch(cid)
    assert batch is not None
    first = json.loads(batch.payloads[0])
    assert first["contact_data"] == {"first_name": "Ada", "last_name": "Lovelace"}


def test_raw_payload_has_no_send_only_fields(journal, tmp_path):
    cid = make_campaign(journal, tmp_path, SendOptions(skip_rate_limit=True))
    batch = journal.claim_batch(cid)
    message = json.loads(batch.payloads[0])
    assert set(message) == {"to", "list_number", "body", "metadata"}
    # Tracked links cannot travel on the raw endpoint: that campaign is refused outright.
    with pytest.raises(CampaignError, match="cannot be combined"):
        make_campaign(journal, tmp_path, SendOptions(skip_rate_limit=True, wrap_links=True))


def test_in_flight_is_durable_before_the_request(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    batch = journal.claim_batch(cid, max_messages=2)
    assert batch is not None and len(batch.rows) == 2
    # Another connection (another process) sees the claim already committed.
    other = sqlite3.connect(journal.path)
    states = other.execute(
        "SELECT r.row, o.outcome FROM recipients r JOIN outcomes o ON o.id = r.id"
        " WHERE r.campaign_id=? ORDER BY r.row",
        (cid,),
    ).fetchall()
    other.close()
    assert states == [(2, "in_flight"), (4, "in_flight"), (5, "pending")]


def test_record_batch_maps_errors_by_index(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    batch = journal.claim_batch(cid)
    journal.record_batch(cid, batch, [(1, "not_sendable", "VOIP numbers not allowed")])
    journal.end_run(cid, DONE)
    counts = journal.counts(cid)
    assert (counts.queued, counts.failed, counts.pending) == (2, 1, 0)
    [failure] = journal.failures(cid)
    assert failure.row == 4 and failure.name == "Alan Turing"
    assert failure.phone == "+14155550102" and failure.code == "not_sendable"
    assert failure.explanation.endswith(".") and "VOIP" in failure.explanation
    assert failure.retryable is False  # a number problem: retry only after a fix
    assert journal.mark_for_retry(cid) == 0
    journal.update_phone(cid, 4, "+14155550199")
    assert journal.failures(cid)[0].retryable is True
    assert journal.mark_for_retry(cid) == 1
    again = journal.claim_batch(cid)
    assert again.rows == [4] and json.loads(again.payloads[0])["to"] == "+14155550199"


def test_messages_the_duplicate_check_confirmed_are_kept_with_the_campaign(journal, tmp_path):
    """Sent again after a lost answer and found already sent: queued, and counted later."""
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    batch = journal.claim_batch(cid)
    assert batch.rows == [2, 4, 5]
    journal.record_batch(cid, batch, [(1, "duplicate_message", "dup")], confirmed=[0, 2])
    journal.end_run(cid, DONE)
    counts = journal.counts(cid)
    assert (counts.queued, counts.failed) == (2, 1)
    assert journal.confirmed_by_check(cid) == 2  # rows 2 and 5; row 4's failure is not one
    # An answer that cannot be matched to its messages leaves them uncertain: none confirmed.
    other = make_campaign(journal, tmp_path)
    journal.begin_run(other)
    journal.record_batch(other, journal.claim_batch(other), confirmed=[0], rest=UNCERTAIN)
    assert journal.counts(other).uncertain == 3 and journal.confirmed_by_check(other) == 0


def test_final_codes_are_never_retried(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    batch = journal.claim_batch(cid)
    journal.record_batch(cid, batch, [(0, "opted_out", "blocked"), (1, "duplicate_message", "dup")])
    assert [f.retryable for f in journal.failures(cid)] == [False, False]
    assert journal.mark_for_retry(cid) == 0
    with pytest.raises(CampaignError):
        journal.update_phone(cid, 5, "+14155550111")  # row 5 was queued: never changed


def test_update_phone_refuses_a_bad_number(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    with pytest.raises(CampaignError, match="international format"):
        journal.update_phone(cid, 2, "4155550101")


def test_crash_recovery_resends_in_flight_with_duplicate_check(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    batch = journal.claim_batch(cid, max_messages=2)
    # The process dies here: nobody settles the batch.  A new run recovers it.
    journal.end_run(cid, INTERRUPTED)
    journal.begin_run(cid)
    again = journal.claim_batch(cid)
    assert again.rows == [2, 4, 5]
    assert again.recheck == [True, True, False]
    assert journal.state(cid) == SENDING
    journal.end_run(cid, CANCELLED)
    assert batch.id != again.id


def test_crash_recovery_with_skip_duplicate_check_leaves_rows_uncertain(journal, tmp_path):
    cid = make_campaign(journal, tmp_path, SendOptions(skip_duplicate_check=True))
    journal.begin_run(cid)
    journal.claim_batch(cid, max_messages=2)
    journal.end_run(cid, INTERRUPTED)
    journal.begin_run(cid)
    assert [u.row for u in journal.uncertain(cid)] == [2, 4]
    assert journal.claim_batch(cid).rows == [5]
    assert journal.resend_uncertain(cid, [4]) == 1
    resend = journal.claim_batch(cid)
    assert resend.rows == [4] and resend.recheck == [True]
    journal.end_run(cid, DONE)
    assert [u.row for u in journal.uncertain(cid)] == [2]  # not chosen: still not sure


def test_second_run_of_the_same_campaign_is_refused(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    with pytest.raises(CampaignError, match="already being sent"):
        journal.begin_run(cid)
    journal.end_run(cid, DONE)


def test_campaign_list_and_interrupted(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    journal.claim_batch(cid, max_messages=1)
    [summary] = journal.campaigns()
    assert summary.state == SENDING  # its sender holds the campaign's lock
    # A sender that died: the OS dropped its lock (tests/e2e/test_sender_lock_processes.py
    # kills a real one); the campaign is still marked as sending in the journal.
    from trackly_desktop.core.journal import batches as journal_batches

    journal_batches._running.pop((str(journal.path), cid)).release()
    [summary] = journal.campaigns()
    assert summary.id == cid and summary.state == INTERRUPTED
    assert summary.counts.in_flight == 1 and summary.counts.pending == 2
    assert [c.id for c in journal.interrupted_campaigns()] == [cid]


def test_nobody_ready_is_refused(journal, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("Phone\nnope\n", encoding="utf-8")
    recipients = build_recipients(read_table(source), ColumnMapping(phone="Phone"), "Hi", "US")
    spec = CampaignSpec(source, None, {"phone": "Phone"}, "Hi", LIST, "US")
    with pytest.raises(CampaignError, match="nobody"):
        create_campaign(journal, spec, recipients)
    assert journal.campaigns() == []


def test_bad_list_number_is_refused(journal, tmp_path):
    spec = CampaignSpec(tmp_path / "x.csv", None, {}, "Hi", "8005551000", "US")
    with pytest.raises(CampaignError, match="sending number"):
        create_campaign(journal, spec, None)  # type: ignore[arg-type]


def test_api_key_never_reaches_the_journal(journal, tmp_path, monkeypatch):
    key = "trk_never_in_journal_123456"
    monkeypatch.setenv("TRACKLY_API_KEY", key)
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    journal.record_batch(cid, journal.claim_batch(cid))
    journal.end_run(cid, DONE)
    journal.close()
    for path in journal.path.parent.iterdir():
        assert key.encode() not in path.read_bytes()


@pytest.mark.parametrize("options", [SendOptions(), SendOptions(wrap_links=True),
                                     SendOptions(skip_rate_limit=True)])  # fmt: skip
def test_payload_is_exactly_the_json_of_the_message(options):
    from trackly_desktop.core.campaign.spec import RecipientRecord, message_payload

    record = RecipientRecord(
        7, "+14155550101", 'Tab\t "quote" \\ é 🎉\nline', "N", {"first_name": "Zoë", "x": {}}
    )
    expected = {"to": record.phone, "list_number": LIST, "body": record.body}
    if not options.uses_raw:
        expected["contact_data"] = record.contact_data
        if options.wrap_links:
            expected["wrap_links"] = True
    expected["metadata"] = {"campaign_id": 3, "row": 7}
    compact = json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
    assert message_payload(3, record, LIST, options) == compact


def _age_batches(journal, minutes: int) -> None:
    from datetime import UTC, datetime, timedelta

    then = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="seconds")
    journal._conn.execute("UPDATE batches SET created=?", (then,))


def test_rows_out_of_the_duplicate_window_are_not_resent_blindly(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    journal.claim_batch(cid, max_messages=2)
    journal.end_run(cid, INTERRUPTED)  # killed with rows 2 and 4 in flight...
    _age_batches(journal, 20)  # ...and resumed 20 minutes later
    journal.begin_run(cid)
    # The provider's duplicate check no longer remembers them: the operator decides.
    assert [u.row for u in journal.uncertain(cid)] == [2, 4]
    assert journal.claim_batch(cid).rows == [5]
    journal.end_run(cid, DONE)
    # The operator resends them: that decision holds on the next run, however old.
    assert journal.resend_uncertain(cid) == 2
    _age_batches(journal, 30)
    journal.begin_run(cid)
    again = journal.claim_batch(cid)
    assert again.rows == [2, 4] and again.recheck == [True, True]
    journal.end_run(cid, DONE)


def test_rows_put_back_for_a_recheck_expire_too(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    journal.begin_run(cid)
    batch = journal.claim_batch(cid, max_messages=2)
    journal.release_batch(cid, batch, recheck=True)  # unknown outcome, then Trackly went down
    journal.end_run(cid, INTERRUPTED)
    _age_batches(journal, 15)
    journal.begin_run(cid)
    assert [u.row for u in journal.uncertain(cid)] == [2, 4]
    journal.end_run(cid, DONE)


def test_recipients_view_and_row_outcome(journal, tmp_path):
    cid = make_campaign(journal, tmp_path)
    batch = journal.claim_batch(cid)
    journal.record_batch(cid, batch, [(1, "invalid_phone", "bad")])
    assert journal.row_outcome(cid, 2) == ("queued", "+14155550101")
    assert journal.row_outcome(cid, 4) == ("failed", "+14155550102")
    assert journal.row_outcome(cid, 3) is None  # left out as not ready
    view = journal._conn.execute(
        "SELECT row, outcome, code FROM recipients WHERE campaign_id=? ORDER BY row", (cid,)
    ).fetchall()
    assert view == [(2, "queued", None), (4, "failed", "invalid_phone"), (5, "queued", None)]


def test_a_development_journal_is_set_aside(tmp_path):
    path = tmp_path / "journal.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute("CREATE TABLE recipients (id INTEGER PRIMARY KEY, outcome TEXT)")
    old.commit()
    old.close()
    with Journal(path) as journal:
        assert journal.campaigns() == []
    assert (tmp_path / "journal.sqlite3.v1").exists()
