"""Claiming one batch ahead: committed as in flight before any request, returned to
pending when the run pauses or stops unsent, never done for campaigns that skip the
duplicate check; every row still goes out exactly once. Real SQLite, sandbox over loopback."""

from __future__ import annotations

import threading
import time

import pytest
from send_engine_support import make_client, new_campaign, rows_sent

from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.journal.schema import CANCELLED, DONE
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.sending.batch_sender import RetryPolicy
from trackly_desktop.core.sending.claims import BatchClaims
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.sandbox.server import SandboxServer

FAST_RETRY = RetryPolicy(attempts=6, base_s=0.001, cap_s=0.01)


@pytest.fixture
def journal():
    with Journal() as j:
        yield j


def batch_states(journal: Journal, cid: int) -> dict[str, int]:
    rows = journal._conn.execute(
        "SELECT state, COUNT(*) FROM batches WHERE campaign_id=? GROUP BY state", (cid,)
    ).fetchall()
    return dict(rows)


def test_a_batch_claimed_ahead_is_in_flight_then_sent_or_given_back(journal):
    cid = new_campaign(journal, 2500)
    journal.begin_run(cid)
    claims = BatchClaims(journal, cid, 1000, 5_000_000, ahead=True)
    claims.claim_ahead()
    assert journal.counts(cid).in_flight == 1000  # durable before any request exists
    first = claims.next()
    assert first is not None and first.rows[0] == 2 and journal.counts(cid).in_flight == 1000
    claims.claim_ahead()
    claims.give_back()  # paused or stopped before it was sent
    counts = journal.counts(cid)
    assert (counts.in_flight, counts.pending) == (1000, 1500)
    again = claims.next()
    assert again is not None and again.rows[0] == 1002  # the returned rows, claimed anew
    assert batch_states(journal, cid) == {"in_flight": 2, "released": 1}


def test_nothing_is_claimed_ahead_when_the_duplicate_check_is_skipped(journal):
    cid = new_campaign(journal, 1500, SendOptions(skip_duplicate_check=True))
    journal.begin_run(cid)
    claims = BatchClaims(journal, cid, 1000, 5_000_000, ahead=False)
    claims.claim_ahead()
    assert journal.counts(cid).in_flight == 0
    engine = SendEngine(journal, cid, client=None)
    assert not engine._claim_ahead(journal.spec(cid).options)


def test_after_the_last_row_no_claim_is_attempted_until_rows_come_back(journal):
    cid = new_campaign(journal, 10)
    journal.begin_run(cid)
    claims = BatchClaims(journal, cid, 1000, 5_000_000, ahead=True)
    batch = claims.next()
    assert batch is not None
    claims.claim_ahead()  # nothing left: remembered
    journal.release_batch(cid, batch, recheck=False)
    claims.claim_ahead()
    assert journal.counts(cid).in_flight == 0  # not looked for again...
    claims.rows_returned()
    claims.claim_ahead()  # ...until the engine puts rows back itself
    assert journal.counts(cid).in_flight == 10


def test_cancel_returns_the_batch_claimed_ahead_and_resume_sends_each_row_once(journal):
    with SandboxServer(seed=3) as server:
        server.faults.latency_ms = 30
        cid = new_campaign(journal, 12_000)
        with make_client(server.base_url) as client:
            engine = SendEngine(journal, cid, client, concurrency=2, retry=FAST_RETRY)
            ahead_seen = threading.Event()

            def cancel_once_a_batch_waits_ahead() -> None:
                # Two requests out and a third batch claimed ahead: 3,000 rows in flight.
                for _ in range(6000):
                    if journal.counts(cid).in_flight == 3000 and journal.counts(cid).queued:
                        ahead_seen.set()
                        break
                    time.sleep(0.005)
                engine.cancel()

            canceller = threading.Thread(target=cancel_once_a_batch_waits_ahead)
            canceller.start()
            try:
                report = engine.run()
            finally:
                canceller.join()
            assert ahead_seen.is_set() and report.state == CANCELLED
            counts = journal.counts(cid)
            assert counts.in_flight == 0 and counts.pending == report.remaining > 0
            # The batch waiting ahead went back to pending (it is "released"), unless a slot
            # freed and sent it in the moment between the check above and the cancel.
            states = batch_states(journal, cid)
            assert "in_flight" not in states and states.get("released", 0) <= 1
            server.faults.latency_ms = 0
            second = SendEngine(journal, cid, client, concurrency=4, retry=FAST_RETRY).run()
        assert second.state == DONE and second.all_sent
        sent = rows_sent(server)
        assert sorted(sent) == list(range(2, 12_002)) and set(sent.values()) == {1}
