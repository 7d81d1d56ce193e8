"""Claiming one batch ahead: committed as in flight before any request, returned to
pending when the run pauses or stops unsent, never done for campaigns that skip the
duplicate check; every row still goes out exactly once. Real SQLite, sandbox over loopback."""

from __future__ import annotations

import threading
import time

import pytest
from send_engine_support import make_client, new_campaign, rows_sent

from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.journal.schema import DONE
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


class HeldClient:
    """The real client, with each bulk request held until `release` is set, noting the rows
    the journal has in flight when a request is about to leave and when it has come back."""

    def __init__(self, client, journal: Journal, cid: int) -> None:
        self._client, self._journal, self._cid = client, journal, cid
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)
        self.in_flight_after_send: list[int] = []

    def _held(self, send, *args, **kwargs):
        self.entered.release()
        assert self.release.wait(60), "the test never released the request"
        result = send(*args, **kwargs)
        self.in_flight_after_send.append(self._journal.counts(self._cid).in_flight)
        return result

    def send_bulk_encoded(self, *args, **kwargs):
        return self._held(self._client.send_bulk_encoded, *args, **kwargs)

    def send_raw_bulk_encoded(self, *args, **kwargs):  # the duplicate check skipped
        return self._held(self._client.send_raw_bulk_encoded, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._client, name)


def wait_for(condition, what: str) -> None:
    """Block until `condition()` holds (another thread makes it so); fail after a minute."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.002)


def test_the_engine_claims_nothing_ahead_when_the_duplicate_check_is_skipped(journal):
    with SandboxServer(seed=5) as server:
        server.faults.latency_ms = 30  # each request takes long enough for a claim to show
        cid = new_campaign(journal, 2500, SendOptions(skip_duplicate_check=True))
        with make_client(server.base_url) as client:
            held = HeldClient(client, journal, cid)
            held.release.set()
            report = SendEngine(journal, cid, held, concurrency=1, retry=FAST_RETRY).run()
        assert report.state == DONE and report.all_sent
        # One request at a time, and only its own rows in flight while it was out.
        assert held.in_flight_after_send == [1000, 1000, 500]
        sent = rows_sent(server)
        assert sorted(sent) == list(range(2, 2502)) and set(sent.values()) == {1}


def test_the_engine_claims_one_batch_ahead_under_the_duplicate_check(journal):
    with SandboxServer(seed=5) as server:
        cid = new_campaign(journal, 2500)
        with make_client(server.base_url) as client:
            held = HeldClient(client, journal, cid)
            engine = SendEngine(journal, cid, held, concurrency=1, retry=FAST_RETRY)
            runner = threading.Thread(target=engine.run, name="engine")
            runner.start()
            try:
                held.entered.acquire(timeout=60)
                # The first request is held: the next batch is claimed while it is out.
                wait_for(lambda: journal.counts(cid).in_flight == 2000, "a batch claimed ahead")
            finally:
                held.release.set()
                runner.join()
        sent = rows_sent(server)
        assert sorted(sent) == list(range(2, 2502)) and set(sent.values()) == {1}


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
        cid = new_campaign(journal, 12_000)
        with make_client(server.base_url) as client:
            held = HeldClient(client, journal, cid)
            engine = SendEngine(journal, cid, held, concurrency=2, retry=FAST_RETRY)
            runner = threading.Thread(target=engine.run, name="engine")
            runner.start()
            try:
                # Both requests are held at the door; the engine claims a third batch ahead.
                assert held.entered.acquire(timeout=60) and held.entered.acquire(timeout=60)
                wait_for(lambda: journal.counts(cid).in_flight == 3000, "a batch claimed ahead")
                engine.cancel()  # before either request has left: nothing else can be sent
            finally:
                held.release.set()
                runner.join()
            counts = journal.counts(cid)
            assert counts.in_flight == 0 and counts.pending == 10_000
            # The two held requests went out; the batch waiting ahead went back to pending.
            assert batch_states(journal, cid).get("released") == 1
            assert "in_flight" not in batch_states(journal, cid)
            assert sorted(rows_sent(server)) == list(range(2, 2002))
            second = SendEngine(journal, cid, client, concurrency=4, retry=FAST_RETRY).run()
        assert second.state == DONE and second.all_sent
        sent = rows_sent(server)
        assert sorted(sent) == list(range(2, 12_002)) and set(sent.values()) == {1}
