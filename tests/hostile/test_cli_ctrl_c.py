"""`trackly send` as a real child process against the hostile loopback server, stopped
with real SIGINTs (issue 11, §2): the first Ctrl+C lets the requests in flight finish,
the second stops at once and the messages in flight become "not sure"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from hostile_server import Answer, Delayed, Silent, bulk_answer

from trackly_desktop.core.journal.store import Journal

KEY = "trk_live_hostile_0123456789abcdef"
LIST = "+18005551000"


@pytest.fixture
def customers(tmp_path):
    path = tmp_path / "customers.csv"
    rows = "".join(f"+1415555{r:04d},Customer {r}\n" for r in range(2500))
    path.write_text("Phone,Name\n" + rows)
    return path


def start_send(customers, base_url: str, app_home) -> subprocess.Popen:
    env = {**os.environ, "TRACKLY_API_KEY": KEY, "TRACKLY_DESKTOP_HOME": str(app_home)}
    command = [sys.executable, "-m", "trackly_desktop.cli", "send", str(customers),
               "--list-number", LIST, "--template", "Hi {{Name}}, your order is ready.",
               "--base-url", base_url, "--concurrency", "2", "--yes", "--quiet"]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def sends(server) -> list:
    """The requests carrying messages (not the key check before recording the campaign)."""
    return [r for r in server.requests if r.json().get("messages")]


def after_key_check(behaviour):
    """The key check (an empty bulk request) is answered like Trackly does; then `behaviour`."""
    missing = Answer.json({"success": False, "code": "missing_messages"}, status=400)
    return lambda request: behaviour if request.json().get("messages") else missing


def wait_for_requests(server, n: int, process: subprocess.Popen) -> None:
    tick = threading.Event()
    while len(sends(server)) < n:
        assert process.poll() is None, process.communicate()
        tick.wait(0.02)


def test_a_second_ctrl_c_stops_at_once_and_the_batches_in_flight_are_not_sure(
    hostile, customers, app_home
):
    hostile.behaviour = after_key_check(Silent())
    process = start_send(customers, hostile.base_url, app_home)
    wait_for_requests(hostile, 2, process)  # two batches in flight that will never be answered
    process.send_signal(signal.SIGINT)
    time.sleep(0.5)  # let the first one be handled; the requests stay unanswered
    assert process.poll() is None  # still waiting for the requests in flight
    asked = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    print(f"stopped {time.monotonic() - asked:.2f} s after the second Ctrl+C")
    assert process.returncode == 1, err
    assert "Traceback" not in err
    assert "Stopping after the requests in flight" in err and "Stopping now" in err
    assert "2,000 messages may or may not have gone out" in out
    with Journal(app_home / "data" / "journal.sqlite3") as journal:
        counts = journal.counts(1)  # the journal's one campaign
    assert (counts.uncertain, counts.in_flight, counts.queued) == (2000, 0, 0)


def test_the_first_ctrl_c_lets_the_requests_in_flight_finish(hostile, customers, app_home):
    hostile.behaviour = after_key_check(Delayed(1.0, bulk_answer))
    process = start_send(customers, hostile.base_url, app_home)
    wait_for_requests(hostile, 2, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert "Stopping after the requests in flight" in err and "Traceback" not in err
    assert len(sends(hostile)) == 2  # nothing new started after Ctrl+C
    assert "Cancelled: 2,000 sent, 500 not sent yet." in out
