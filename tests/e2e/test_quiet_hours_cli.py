"""`trackly send` with quiet hours, as real processes on a shared fake clock.

The clock is a file (TRACKLY_FAKE_CLOCK_FILE) that each `trackly send` reads for "now" and
polls while it waits; the sandbox in this process reads the same file, so its ledger
records every message at the fake time it went out. The test moves time by writing the
file: no test sleeps through hours.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trackly_desktop import paths
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.server import SandboxServer

NEW_YORK, MIAMI, SAN_FRANCISCO = "+12125550101", "+13055550102", "+14155550103"


class SharedClock:
    def __init__(self, path: Path) -> None:
        self.path = path

    def set(self, text: str) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)  # a reader never sees half a time

    def epoch(self) -> float:
        return datetime.fromisoformat(self.path.read_text(encoding="utf-8")).timestamp()


@pytest.fixture
def clock(fixed_clock: Path) -> SharedClock:
    shared = SharedClock(fixed_clock)
    shared.set("2026-12-07T20:30:00-05:00")  # Monday, 8:30 pm in New York
    return shared


@pytest.fixture
def server(clock: SharedClock):
    with SandboxServer(seed=5, clock=clock.epoch) as srv:
        yield srv


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(
        f"First Name,Phone\nAda,{NEW_YORK}\nBo,{MIAMI}\nCy,{SAN_FRANCISCO}\n", encoding="utf-8"
    )
    return path


def env() -> dict[str, str]:
    return {**os.environ, "TRACKLY_API_KEY": DEMO_API_KEY, "TZ": "America/New_York"}


def send(args: list[str], base_url: str, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "trackly_desktop.cli", "send", *args, "--base-url", base_url]
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            command, env=env(), stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT
        )


def new_send(contacts: Path, base_url: str, log: Path, *extra: str) -> subprocess.Popen:
    args = [str(contacts), "--list-number", DEMO_LIST_NUMBER, "--template",
            "Hi {{First Name}}, your order is ready.", "--yes", *extra]  # fmt: skip
    return send(args, base_url, log)


def campaign_state() -> str | None:
    path = paths.journal_path()
    if not path.exists():
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        row = conn.execute("SELECT state FROM campaigns ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return None if row is None else row[0]


def wait_for_state(state: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while campaign_state() != state:
        assert proc.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, f"never {state}: {log.read_text(errors='replace')}"
        time.sleep(0.05)


def sent_at(server) -> dict[str, list[datetime]]:
    out: dict[str, list[datetime]] = {}
    for entry in server.ledger.entries():
        out.setdefault(entry.to, []).append(datetime.fromtimestamp(entry.queued_at, UTC))
    return out


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.slow
def test_sigkill_while_held_then_resume_sends_each_once_inside_its_window(
    clock, server, contacts, tmp_path
):
    first_log = tmp_path / "first.log"
    first = new_send(contacts, server.base_url, first_log)
    wait_for_state("waiting", first, first_log)  # New York and California went; Miami waits
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    assert sent_at(server) == {
        NEW_YORK: [utc(2026, 12, 8, 1, 30)],
        SAN_FRANCISCO: [utc(2026, 12, 8, 1, 30)],
    }
    # The next morning at 7:00, before Miami's window: the resumed send holds it.
    clock.set("2026-12-08T07:00:00-05:00")
    second_log = tmp_path / "second.log"
    second = send(["--resume", "1", "--yes"], server.base_url, second_log)
    wait_for_state("waiting", second, second_log)
    assert MIAMI not in sent_at(server)
    clock.set("2026-12-08T08:00:05-05:00")
    assert second.wait(60) == 0, second_log.read_text(errors="replace")
    assert sent_at(server) == {
        NEW_YORK: [utc(2026, 12, 8, 1, 30)],
        SAN_FRANCISCO: [utc(2026, 12, 8, 1, 30)],
        MIAMI: [utc(2026, 12, 8, 13, 0, 5)],
    }


@pytest.mark.slow
def test_send_at_waits_for_its_time_then_quiet_hours_still_apply(
    clock, server, contacts, tmp_path
):
    log = tmp_path / "at.log"
    proc = new_send(contacts, server.base_url, log, "--at", "2026-12-08 09:00")
    wait_for_state("scheduled", proc, log)
    assert server.ledger.entries() == []
    clock.set("2026-12-08T09:00:00-05:00")
    wait_for_state("waiting", proc, log)  # 6:00 am in San Francisco
    clock.set("2026-12-08T11:00:00-05:00")
    assert proc.wait(60) == 0, log.read_text(errors="replace")
    assert sent_at(server) == {
        NEW_YORK: [utc(2026, 12, 8, 14, 0)],
        MIAMI: [utc(2026, 12, 8, 14, 0)],
        SAN_FRANCISCO: [utc(2026, 12, 8, 16, 0)],
    }
    output = log.read_text()
    assert "Scheduled for tomorrow 9:00 am (America/New York time)" in output


@pytest.mark.slow
def test_a_schedule_that_passed_while_nothing_ran_asks_before_sending_late(
    clock, server, contacts, tmp_path
):
    log = tmp_path / "at.log"
    proc = new_send(contacts, server.base_url, log, "--at", "2026-12-07 21:00")
    wait_for_state("scheduled", proc, log)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    clock.set("2026-12-08T11:30:00-05:00")  # the computer was off at 9 pm
    asked = subprocess.run(
        [sys.executable, "-m", "trackly_desktop.cli", "send", "--resume", "1",
         "--base-url", server.base_url],
        env=env(), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert asked.returncode == 2
    assert "It was scheduled for Mon 7 Dec 2026 9:00 pm (America/New York time)" in (
        asked.stdout + asked.stderr
    )
    assert "Not confirmed" in asked.stderr and "still scheduled" in asked.stderr
    assert server.ledger.entries() == []
    late = subprocess.run(
        [sys.executable, "-m", "trackly_desktop.cli", "send", "--resume", "1", "--yes",
         "--base-url", server.base_url],
        env=env(), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert late.returncode == 0, late.stderr
    assert "sending now, late" in late.stdout
    assert {k: len(v) for k, v in sent_at(server).items()} == {
        NEW_YORK: 1,
        MIAMI: 1,
        SAN_FRANCISCO: 1,
    }


def test_ignore_quiet_hours_prints_the_warning_and_sends_everyone_now(
    clock, server, contacts, tmp_path
):
    log = tmp_path / "now.log"
    proc = new_send(contacts, server.base_url, log, "--ignore-quiet-hours")
    assert proc.wait(60) == 0, log.read_text(errors="replace")
    output = log.read_text()
    assert "WARNING: Quiet hours are off for this send" in output
    assert {t for times in sent_at(server).values() for t in times} == {utc(2026, 12, 8, 1, 30)}
