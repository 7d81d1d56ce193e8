"""Held messages go out only inside each person's window, each once (sandbox, fake clock)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from quiet_support import ANCHORAGE, MIAMI, NEW_YORK, SAN_FRANCISCO, make_campaign, write_contacts
from send_engine_support import make_client

from trackly_desktop.core.audience.clock import FakeClock
from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.journal.schema import CANCELLED, DONE, WAITING
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.sending.batch_sender import RetryPolicy
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.sandbox.server import SandboxServer

ET = ZoneInfo("America/New_York")
FAST_RETRY = RetryPolicy(attempts=6, base_s=0.001, cap_s=0.01)
PEOPLE = [("Ada", NEW_YORK), ("Bo", MIAMI), ("Cy", SAN_FRANCISCO)]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 12, 7, 20, 30, tzinfo=ET))  # Monday 8:30 pm Eastern


@pytest.fixture
def server(clock):
    with SandboxServer(seed=3, clock=lambda: clock.now().timestamp()) as srv:
        yield srv


@pytest.fixture
def journal():
    with Journal() as j:
        yield j


def run(journal, cid, server, clock, **kwargs):
    with make_client(server.base_url) as client:
        engine = SendEngine(journal, cid, client, clock=clock, retry=FAST_RETRY, **kwargs)
        return engine.run()


def sent_at(server) -> dict[str, list[datetime]]:
    """Number -> the (fake) times the sandbox queued it."""
    out: dict[str, list[datetime]] = {}
    for entry in server.ledger.entries():
        out.setdefault(entry.to, []).append(datetime.fromtimestamp(entry.queued_at, UTC))
    return out


def test_florida_waits_for_8_am_while_new_york_and_california_go_at_8_30_pm(
    journal, server, clock, tmp_path
):
    cid = make_campaign(journal, write_contacts(tmp_path, PEOPLE))
    progress = []
    report = run(journal, cid, server, clock, on_progress=progress.append)
    assert report.state == DONE and report.sent == 3
    assert sent_at(server) == {
        NEW_YORK: [utc(2026, 12, 8, 1, 30)],  # 8:30 pm Eastern
        SAN_FRANCISCO: [utc(2026, 12, 8, 1, 30)],  # 5:30 pm Pacific
        MIAMI: [utc(2026, 12, 8, 13, 0)],  # 8:00 am Eastern, the next morning
    }
    assert clock.waits == [utc(2026, 12, 8, 13, 0)]
    waiting = [p for p in progress if p.held]
    assert waiting and waiting[0].held == 1 and waiting[0].opens_at == utc(2026, 12, 8, 13, 0)


def test_a_send_held_over_midnight(journal, server, clock, tmp_path):
    clock.set(datetime(2026, 12, 7, 23, 40, tzinfo=ET))
    cid = make_campaign(journal, write_contacts(tmp_path, PEOPLE))
    report = run(journal, cid, server, clock)
    assert report.state == DONE
    assert sent_at(server) == {
        SAN_FRANCISCO: [utc(2026, 12, 8, 4, 40)],  # 8:40 pm Pacific: still inside
        NEW_YORK: [utc(2026, 12, 8, 13, 0)],
        MIAMI: [utc(2026, 12, 8, 13, 0)],
    }


def test_an_area_code_in_two_zones_waits_for_the_later_one(journal, server, clock, tmp_path):
    clock.set(utc(2026, 12, 7, 17, 30))  # 8:30 am in Anchorage, 7:30 am on Adak
    cid = make_campaign(journal, write_contacts(tmp_path, [("Di", ANCHORAGE)]))
    run(journal, cid, server, clock)
    assert sent_at(server) == {ANCHORAGE: [utc(2026, 12, 7, 18, 0)]}


def test_spring_forward_releases_at_8_am_daylight_time(journal, server, clock, tmp_path):
    clock.set(datetime(2026, 3, 7, 22, 0, tzinfo=ET))
    cid = make_campaign(journal, write_contacts(tmp_path, [("Ada", NEW_YORK)]))
    run(journal, cid, server, clock)
    assert sent_at(server) == {NEW_YORK: [utc(2026, 3, 8, 12, 0)]}


def test_ignoring_quiet_hours_sends_everyone_now_and_is_recorded(journal, server, clock, tmp_path):
    options = SendOptions(ignore_quiet_hours=True)
    cid = make_campaign(journal, write_contacts(tmp_path, PEOPLE), options=options)
    assert journal.spec(cid).options.ignore_quiet_hours
    run(journal, cid, server, clock)
    assert set(sent_at(server)) == {NEW_YORK, MIAMI, SAN_FRANCISCO}
    assert {t for times in sent_at(server).values() for t in times} == {utc(2026, 12, 8, 1, 30)}
    assert clock.waits == []


def test_cancel_while_held_keeps_them_for_a_resume_inside_their_window(journal, server, tmp_path):
    clock = FakeClock(datetime(2026, 12, 7, 20, 30, tzinfo=ET), frozen=True)
    server.backend._clock = lambda: clock.now().timestamp()
    cid = make_campaign(journal, write_contacts(tmp_path, PEOPLE))
    with make_client(server.base_url) as client:
        engine = SendEngine(journal, cid, client, clock=clock, retry=FAST_RETRY)
        result = []
        worker = threading.Thread(target=lambda: result.append(engine.run()))
        worker.start()
        deadline = time.monotonic() + 30
        with Journal(journal.path) as watcher:
            while watcher.state(cid) != WAITING and time.monotonic() < deadline:
                time.sleep(0.02)
            assert watcher.state(cid) == WAITING
        engine.cancel()
        worker.join(30)
    assert result[0].state == CANCELLED and result[0].remaining == 1
    assert set(sent_at(server)) == {NEW_YORK, SAN_FRANCISCO}
    assert [c.id for c in journal.interrupted_campaigns()] == [cid]
    # The next morning, before 8:00: nothing goes; at 8:00 Florida goes, once.
    clock.set(datetime(2026, 12, 8, 8, 0, tzinfo=ET))
    report = run(journal, cid, server, clock)
    assert report.state == DONE
    assert sent_at(server)[MIAMI] == [utc(2026, 12, 8, 13, 0)]
    assert {k: len(v) for k, v in sent_at(server).items()} == {
        NEW_YORK: 1,
        SAN_FRANCISCO: 1,
        MIAMI: 1,
    }


def test_a_scheduled_campaign_waits_for_its_time(journal, server, clock, tmp_path):
    due = datetime(2026, 12, 8, 9, 0, tzinfo=ET)
    cid = make_campaign(journal, write_contacts(tmp_path, PEOPLE), scheduled_for=due)
    assert journal.campaigns()[0].state == "scheduled"
    assert journal.scheduled_for(cid) == utc(2026, 12, 8, 14, 0)
    report = run(journal, cid, server, clock)
    assert report.state == DONE
    # 9:00 am Eastern is 6:00 am in California: quiet hours hold that one until 8:00 there.
    assert sent_at(server) == {
        NEW_YORK: [utc(2026, 12, 8, 14, 0)],
        MIAMI: [utc(2026, 12, 8, 14, 0)],
        SAN_FRANCISCO: [utc(2026, 12, 8, 16, 0)],
    }


def test_a_scheduled_time_that_passed_while_closed_sends_at_once(journal, server, clock, tmp_path):
    due = datetime(2026, 12, 7, 19, 0, tzinfo=ET)
    cid = make_campaign(journal, write_contacts(tmp_path, PEOPLE), scheduled_for=due)
    # The app was closed at 7 pm; it starts again at 8:30 pm: only Florida still waits.
    report = run(journal, cid, server, clock)
    assert report.state == DONE
    times = sent_at(server)
    assert times[NEW_YORK] == [utc(2026, 12, 8, 1, 30)]
    assert times[MIAMI] == [utc(2026, 12, 8, 13, 0)]


def test_a_cancelled_schedule_never_starts(journal, server, tmp_path):
    due = datetime(2026, 12, 8, 9, 0, tzinfo=ET)
    cid = make_campaign(journal, write_contacts(tmp_path, PEOPLE), scheduled_for=due)
    journal.cancel_schedule(cid)
    assert journal.state(cid) == CANCELLED
    assert journal.scheduled_for(cid) is None
    assert journal.scheduled_campaigns() == []
    assert server.ledger.entries() == []


def test_a_window_about_to_close_holds_its_messages_for_the_next_opening(
    journal, server, clock, tmp_path
):
    # 8:58:30 pm in New York: a batch claimed now could land after 9 pm, so New York waits
    # for the morning; California (5:58 pm) goes now.
    clock.set(datetime(2026, 12, 7, 20, 58, 30, tzinfo=ET))
    people = [("Ada", NEW_YORK), ("Cy", SAN_FRANCISCO)]
    cid = make_campaign(journal, write_contacts(tmp_path, people))
    run(journal, cid, server, clock)
    assert sent_at(server) == {
        SAN_FRANCISCO: [utc(2026, 12, 8, 1, 58, 30)],
        NEW_YORK: [utc(2026, 12, 8, 13, 0)],
    }
