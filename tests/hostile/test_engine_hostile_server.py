"""The send engine against a hostile server on loopback (issue 11, §2-3): Cancel cuts a
request the server never answers, Pause ends a Retry-After wait, and answers that cannot
be checked make their rows "not sure" and stop the send, in plain words."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hostile_server import Answer, Silent, Trickle, bulk_answer

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord, SendOptions
from trackly_desktop.core.journal.schema import CANCELLED, INTERRUPTED, PAUSED
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.sending.batch_sender import RetryPolicy
from trackly_desktop.core.sending.engine import SendEngine

KEY = "trk_live_hostile_0123456789abcdef"
LIST = "+18005551000"
ONE_TRY = RetryPolicy(attempts=1, base_s=0.001, cap_s=0.01)


@pytest.fixture
def journal():
    with Journal() as j:
        yield j


def campaign(journal: Journal, count: int, options: SendOptions | None = None) -> int:
    spec = CampaignSpec(
        source_file=Path("customers.csv"),
        sheet=None,
        mapping={"phone": "Phone"},
        template="Hello, your order is ready.",
        list_number=LIST,
        country="US",
        options=options or SendOptions(),
    )
    records = (
        RecipientRecord(r, f"+1415555{r:04d}", "Hello, your order is ready.", f"C{r}", {})
        for r in range(2, 2 + count)
    )
    return journal.create_campaign(spec, records)


def engine(journal, cid, client, **kwargs) -> SendEngine:
    kwargs.setdefault("retry", ONE_TRY)
    kwargs.setdefault("concurrency", 2)
    return SendEngine(journal, cid, client, max_batch_messages=100, **kwargs)


def run_in_thread(eng: SendEngine):
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(report=eng.run()))
    thread.start()
    return thread, box


def wait_until(predicate) -> None:
    tick = threading.Event()
    while not predicate():
        tick.wait(0.01)


def test_cancel_cuts_requests_the_server_never_answers_and_they_become_not_sure(journal, hostile):
    cid = campaign(journal, 500)
    hostile.behaviour = Silent()
    with TracklyClient(KEY, hostile.base_url, timeout=600.0) as client:
        eng = engine(journal, cid, client)
        thread, box = run_in_thread(eng)
        wait_until(lambda: len(hostile.requests) == 2)  # two batches in flight, unanswered
        eng.cancel()
        thread.join(timeout=60)
    report = box["report"]
    assert report.state == CANCELLED
    counts = journal.counts(cid)
    assert (counts.uncertain, counts.in_flight, counts.pending) == (200, 0, 300)
    assert report.uncertain == 200 and report.remaining == 300


def test_finish_in_flight_waits_for_the_deadline_of_a_trickling_server(journal, hostile):
    cid = campaign(journal, 300)
    hostile.behaviour = Trickle(every_s=0.2)
    with TracklyClient(KEY, hostile.base_url, deadline=1.0, max_attempts=1) as client:
        eng = engine(journal, cid, client, concurrency=1)
        thread, box = run_in_thread(eng)
        wait_until(lambda: len(hostile.requests) == 1)
        eng.finish_in_flight()
        thread.join(timeout=60)
    report = box["report"]
    # The duplicate check is on, so the cut batch may be resent later: back in the queue,
    # marked to be re-checked; nothing is counted as sent.
    assert report.state == CANCELLED and report.sent == 0
    assert journal.counts(cid).in_flight == 0 and len(hostile.requests) == 1


def test_pause_ends_a_retry_after_wait_and_the_batch_goes_back_to_the_queue(journal, hostile):
    cid = campaign(journal, 100)
    hostile.behaviour = Answer.json({"code": "busy"}, status=503, **{"Retry-After": "120"})
    states: list[str] = []
    with TracklyClient(KEY, hostile.base_url, max_attempts=3) as client:
        eng = engine(journal, cid, client, concurrency=1)
        thread, box = run_in_thread(eng)
        wait_until(lambda: len(hostile.requests) == 1)
        eng.pause()
        wait_until(lambda: journal.state(cid) == PAUSED)
        states.append(journal.state(cid))
        counts = journal.counts(cid)
        eng.cancel()
        thread.join(timeout=60)
    assert states == [PAUSED]
    assert (counts.pending, counts.in_flight, counts.uncertain) == (100, 0, 0)
    assert box["report"].state == CANCELLED and len(hostile.requests) == 1


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (Answer.json({"queued_count": 0, "error_count": 0, "errors": []}),
         "Trackly answered in a way the app could not check"),
        (Answer.json({"queued_count": 100, "error_count": 1, "errors": [{"index": 5}]}),
         "Trackly answered in a way the app could not check"),
        (Answer(200, b"<html><body>Login to the hotel wifi</body></html>",
                {"Content-Type": "text/html"}),
         "a web page instead of Trackly's answer"),
    ],
)  # fmt: skip
def test_an_answer_that_cannot_be_checked_makes_its_rows_not_sure_and_stops(
    journal, hostile, answer, words
):
    cid = campaign(journal, 300)
    hostile.behaviour = answer
    with TracklyClient(KEY, hostile.base_url) as client:
        report = engine(journal, cid, client, concurrency=1).run()
    assert report.state == INTERRUPTED and words in report.message
    assert "could not be reached" not in report.message
    assert report.sent == 0 and report.uncertain == 100 and report.remaining == 200
    assert len(hostile.requests) == 1  # never resent, and nothing more sent
    assert [u.row for u in journal.uncertain(cid)] == list(range(2, 102))


def test_an_html_error_page_is_not_called_unreachable(journal, hostile):
    cid = campaign(journal, 100)
    hostile.behaviour = Answer(502, b"<!DOCTYPE html><html>Bad gateway</html>",
                               {"Content-Type": "text/html"})  # fmt: skip
    with TracklyClient(KEY, hostile.base_url, max_attempts=2, backoff_base=0.001) as client:
        report = engine(journal, cid, client).run()
    assert report.state == INTERRUPTED
    assert "answered with a web page instead of Trackly's answer" in report.message
    assert report.remaining == 100 and report.uncertain == 0


def test_an_honest_server_sends_everything(journal, hostile):
    cid = campaign(journal, 250)
    hostile.behaviour = bulk_answer
    with TracklyClient(KEY, hostile.base_url) as client:
        report = engine(journal, cid, client).run()
    assert report.sent == 250 and report.uncertain == 0
