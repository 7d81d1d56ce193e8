"""The send engine against the sandbox over loopback: bulk batches, per-row errors, never
twice (dropped answers, crashes, revoked keys, cancel), pause and resume."""

from __future__ import annotations

import threading
import time

import pytest
from send_engine_support import make_client, new_campaign, phone_of, rows_sent

from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.journal.schema import CANCELLED, DONE, INTERRUPTED, STOPPED_AUTH
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.sending.batch_sender import RetryPolicy
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY
from trackly_desktop.sandbox.faults import FaultConfig
from trackly_desktop.sandbox.server import SandboxServer

FAST_RETRY = RetryPolicy(attempts=6, base_s=0.001, cap_s=0.01)


@pytest.fixture
def server():
    with SandboxServer(seed=7) as srv:
        yield srv


@pytest.fixture
def journal():
    with Journal() as j:
        yield j


def run_engine(journal, cid, server, key=DEMO_API_KEY, **kwargs):
    kwargs.setdefault("retry", FAST_RETRY)
    with make_client(server.base_url, key) as client:
        return SendEngine(journal, cid, client, **kwargs).run()


def test_sends_every_row_once_in_bulk_batches(journal, server):
    cid = new_campaign(journal, 2500)
    seen = []
    report = run_engine(journal, cid, server, concurrency=3, on_progress=seen.append)
    assert report.state == DONE and report.all_sent and report.batches == 3
    assert (report.sent, report.failed, report.uncertain, report.remaining) == (2500, 0, 0, 0)
    sent = rows_sent(server)
    assert sorted(sent) == list(range(2, 2502)) and set(sent.values()) == {1}
    entries = server.ledger.entries(0, 1)
    assert entries[0].endpoint.endswith("/v2/send/bulk")
    assert entries[0].metadata == {"campaign_id": cid, "row": entries[0].metadata["row"]}
    assert seen[-1].sent == 2500 and seen[-1].remaining == 0
    assert [p.sent for p in seen] == sorted(p.sent for p in seen)
    assert journal.state(cid) == DONE and journal.counts(cid).queued == 2500


def test_per_message_errors_map_back_to_rows(journal, server):
    cid = new_campaign(journal, 1500)
    server.voip_numbers.add(phone_of(7))
    server.opted_out.add(phone_of(1203))  # in the second batch
    report = run_engine(journal, cid, server, max_batch_messages=1000)
    assert (report.sent, report.failed) == (1498, 2) and report.state == DONE
    failures = {f.row: f for f in journal.failures(cid)}
    assert set(failures) == {7, 1203}
    assert failures[7].code == "not_sendable" and failures[7].phone == phone_of(7)
    assert failures[1203].code == "opted_out" and not failures[1203].retryable
    assert 7 not in rows_sent(server) and len(server.ledger) == 1498


def test_skip_flags_use_the_raw_endpoint(journal, server):
    cid = new_campaign(journal, 10, SendOptions(skip_contact_validation=True))
    server.opted_out.add(phone_of(3))
    report = run_engine(journal, cid, server)
    assert report.sent == 10  # the opted-out row went out because the operator said so
    assert {e.endpoint for e in server.ledger.entries()} == {"/api/v2/send-raw/bulk"}


def test_dropped_answers_are_resent_under_the_duplicate_check(journal, server):
    cid = new_campaign(journal, 3000)
    server.faults.drop_after_next = 2  # queued, then the connection closes unanswered
    report = run_engine(journal, cid, server, max_batch_messages=500)
    assert report.state == DONE and report.sent == 3000 and report.failed == 0
    sent = rows_sent(server)
    assert len(sent) == 3000 and set(sent.values()) == {1}


def test_skip_duplicate_check_campaign_never_resends_blindly(journal, server):
    cid = new_campaign(journal, 2000, SendOptions(skip_duplicate_check=True))
    server.faults.drop_after_next = 1
    report = run_engine(journal, cid, server, concurrency=1, max_batch_messages=500)
    assert report.uncertain == 500 and report.sent == 1500 and report.state == DONE
    assert len(server.ledger) == 2000  # the dropped batch was queued once, not again
    uncertain = [u.row for u in journal.uncertain(cid)]
    assert len(uncertain) == 500
    # The operator chooses to resend: it goes with the duplicate check on, so no copy.
    assert journal.resend_uncertain(cid) == 500
    again = run_engine(journal, cid, server)
    assert again.sent == 2000 and again.uncertain == 0
    assert set(rows_sent(server).values()) == {1}
    raw = [e for e in server.ledger.entries() if e.metadata["row"] in set(uncertain)]
    assert len(raw) == 500


def test_revoked_key_stops_at_once_and_resume_continues(journal, server):
    cid = new_campaign(journal, 10_000)
    server.faults.revoke_key_after = 3
    report = run_engine(journal, cid, server, concurrency=2, max_batch_messages=500)
    assert report.key_rejected and report.state == STOPPED_AUTH
    assert "API key" in report.message and "DEMO" not in report.message
    assert DEMO_API_KEY not in report.message
    assert report.sent == len(server.ledger) < 10_000
    assert journal.counts(cid).in_flight == 0
    # The operator fixes the key; sending continues where it stopped.
    server.faults.revoke_key_after = None
    server.backend.revoked.discard(DEMO_API_KEY)
    again = run_engine(journal, cid, server, concurrency=2)
    assert again.state == DONE and again.sent == 10_000
    sent = rows_sent(server)
    assert len(sent) == 10_000 and set(sent.values()) == {1}


def test_cancel_mid_run_then_resume(journal, server):
    cid = new_campaign(journal, 20_000)
    server.faults.latency_ms = 20
    engines: list[SendEngine] = []

    def on_progress(p):
        if p.sent >= 3000:
            engines[0].finish_in_flight()  # the first Ctrl+C: the batches in flight finish

    with make_client(server.base_url) as client:
        engines.append(
            SendEngine(
                journal, cid, client, concurrency=2, retry=FAST_RETRY, on_progress=on_progress
            )
        )
        report = engines[0].run()
    assert report.state == CANCELLED and 3000 <= report.sent < 20_000
    assert report.remaining == 20_000 - report.sent
    assert journal.counts(cid).in_flight == 0 and len(server.ledger) == report.sent
    server.faults.latency_ms = 0
    again = run_engine(journal, cid, server)
    assert again.state == DONE and again.sent == 20_000
    assert set(rows_sent(server).values()) == {1} and len(server.ledger) == 20_000


def test_pause_and_resume_from_another_thread(journal, server):
    cid = new_campaign(journal, 8000)
    server.faults.latency_ms = 10
    paused_at: list[int] = []
    engines: list[SendEngine] = []
    resumed = threading.Event()
    states: list[str] = []

    def resume_later():
        # Read from another thread: the pause shows once the batches in flight are settled.
        deadline = time.monotonic() + 10
        while journal.state(cid) != "paused" and time.monotonic() < deadline:
            time.sleep(0.01)
        states.append(journal.state(cid))
        time.sleep(0.2)
        resumed.set()
        engines[0].resume()

    def on_progress(p):
        if p.sent >= 2000 and not paused_at:
            engines[0].pause()
            paused_at.append(p.sent)
            threads.append(threading.Thread(target=resume_later))
            threads[-1].start()

    threads: list[threading.Thread] = []
    with make_client(server.base_url) as client:
        engines.append(
            SendEngine(
                journal, cid, client, concurrency=2, retry=FAST_RETRY, on_progress=on_progress
            )
        )
        report = engines[0].run()
    for thread in threads:
        thread.join()
    assert resumed.is_set() and report.state == DONE and report.sent == 8000
    assert states == ["paused"]
    assert set(rows_sent(server).values()) == {1}


def test_unreachable_service_stops_and_loses_nothing(journal, server):
    cid = new_campaign(journal, 3000)
    server.faults.fail_rate = 1.0
    with make_client(server.base_url, max_attempts=2) as client:
        report = SendEngine(journal, cid, client, retry=FAST_RETRY).run()
    # It answered (503s): said as errors, not as "could not be reached".
    assert report.state == INTERRUPTED and "kept answering with errors" in report.message
    assert report.sent == 0 and report.remaining == 3000 and len(server.ledger) == 0
    assert [c.id for c in journal.interrupted_campaigns()] == [cid]
    server.faults.fail_rate = 0.0
    assert run_engine(journal, cid, server).sent == 3000


def test_oversized_rows_fail_alone(journal, server):
    from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord

    big = "x" * 1500
    records = [
        RecipientRecord(
            row=r,
            phone=phone_of(r),
            body=f"Row {r}",
            name="",
            contact_data={"custom_fields": {"Notes": big * (3 if r == 5 else 1)}},
        )
        for r in range(2, 12)
    ]
    spec = CampaignSpec("big.csv", None, {}, "t", "+18005551000", "US")
    cid = journal.create_campaign(spec, records)
    report = run_engine(journal, cid, server)
    assert report.sent == 9 and report.failed == 1
    [failure] = journal.failures(cid)
    assert failure.row == 5 and failure.code == "payload_too_large"


@pytest.mark.slow
def test_hundred_thousand_with_faults_exactly_once(journal):
    faults = FaultConfig(fail_rate=0.10, drop_after_rate=0.02, latency_jitter_ms=20)
    with SandboxServer(seed=11, faults=faults) as server:
        cid = new_campaign(journal, 100_000)
        report = run_engine(journal, cid, server, concurrency=8, max_batch_messages=250)
        assert report.state == DONE and report.sent == 100_000
        sent = rows_sent(server)
        # Dropped answers really happened and were resent (the sandbox processed more
        # requests than there were batches), yet nobody got a second copy.
        processed = server.backend.requests_by_key[DEMO_API_KEY]
    assert processed > 400
    assert len(sent) == 100_000 and set(sent.values()) == {1}


def test_a_failing_progress_handler_stops_cleanly_and_resume_is_exact(journal, server):
    cid = new_campaign(journal, 5000)

    def explode(p):
        if p.sent >= 2000:
            raise RuntimeError("window went away")

    with pytest.raises(RuntimeError, match="window went away"):
        run_engine(journal, cid, server, max_batch_messages=500, on_progress=explode)
    assert journal.state(cid) == INTERRUPTED
    counts = journal.counts(cid)
    # The run wound down as for a Stop: every answer on its way was recorded, so no row
    # is left "not sure" by a bug in the window.
    assert counts.in_flight == 0 and counts.uncertain == 0
    assert counts.queued == len(server.ledger) >= 2000
    report = run_engine(journal, cid, server)  # not refused as "already being sent"
    assert report.state == DONE and report.sent == 5000
    assert set(rows_sent(server).values()) == {1} and len(server.ledger) == 5000


def test_unknown_campaign_is_a_plain_error(journal, server):
    from trackly_desktop.core.errors import CampaignError

    with pytest.raises(CampaignError, match="no campaign number 42"):
        run_engine(journal, 42, server)


def test_inactive_account_stops_with_plain_words(journal, server):
    from trackly_desktop.sandbox.demo_data import INACTIVE_API_KEY, INACTIVE_LIST_NUMBER

    cid = new_campaign(journal, 1500, list_number=INACTIVE_LIST_NUMBER)
    report = run_engine(journal, cid, server, key=INACTIVE_API_KEY)
    assert report.key_rejected and report.state == STOPPED_AUTH
    assert "not active" in report.message and INACTIVE_API_KEY not in report.message
    assert report.sent == 0 and report.remaining == 1500 and len(server.ledger) == 0
    assert journal.counts(cid).pending == 1500


def test_a_lost_answer_is_checked_again_and_said_in_words(journal, server):
    cid = new_campaign(journal, 10)
    server.answer_lost_once.add(phone_of(6))  # rows 6 and 7 share the third batch of 2
    seen = []
    # Resends wait at least a second: the engine reports the check while it waits.
    report = run_engine(
        journal, cid, server, concurrency=1, max_batch_messages=2, on_progress=seen.append,
        retry=RetryPolicy(attempts=3, base_s=1.0, cap_s=2.0),
    )  # fmt: skip
    assert (report.state, report.sent, report.failed, report.uncertain) == (DONE, 10, 0, 0)
    assert report.confirmed_by_check == 2
    assert report.message == (
        "Finished: 10 sent. 2 messages whose answer was lost were checked again: Trackly's "
        "duplicate check confirmed they had gone out, so nobody got a second copy."
    )
    checking = [p for p in seen if p.checking_again]
    assert checking and {(p.checking_again, p.sent, p.confirmed_by_check) for p in checking} == {
        (2, 4, 0)
    }
    assert seen[-1].confirmed_by_check == 2 and seen[-1].checking_again == 0
    assert set(rows_sent(server).values()) == {1} and len(server.ledger) == 10
