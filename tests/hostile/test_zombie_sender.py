"""A sender that died but was never reaped (a zombie: its pid still answers kill(pid, 0))
never blocks a resume (issue 11, §4; the per-campaign lock of the Windows issue). The PID
reused by another program is covered by tests/e2e/test_sender_lock_processes.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest
from hostile_server import Answer, Silent, bulk_answer

from trackly_desktop import cli
from trackly_desktop.core.journal.store import Journal

KEY = "trk_live_hostile_0123456789abcdef"
LIST = "+18005551000"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc states")


def key_check_then(behaviour):
    missing = Answer.json({"success": False, "code": "missing_messages"}, status=400)
    return lambda request: behaviour if request.json().get("messages") else missing


def process_state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


def test_a_zombie_sender_never_blocks_a_resume(tmp_path, hostile, app_home, monkeypatch, capsys):
    source = tmp_path / "customers.csv"
    source.write_text("Phone,Name\n" + "".join(f"+1415555{r:04d},C{r}\n" for r in range(1500)))
    hostile.behaviour = key_check_then(Silent())
    env = {**os.environ, "TRACKLY_API_KEY": KEY, "TRACKLY_DESKTOP_HOME": str(app_home)}
    sender = subprocess.Popen(
        [sys.executable, "-m", "trackly_desktop.cli", "send", str(source), "--list-number",
         LIST, "--template", "Hi {{Name}}", "--base-url", hostile.base_url, "--yes",
         "--quiet", "--concurrency", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    tick = threading.Event()
    while not [r for r in hostile.requests if r.json().get("messages")]:
        assert sender.poll() is None
        tick.wait(0.02)
    os.kill(sender.pid, signal.SIGKILL)  # ...and not reaped: it stays a zombie
    while process_state(sender.pid) != "Z":
        tick.wait(0.01)
    os.kill(sender.pid, 0)  # the old liveness probe would call it alive
    with Journal() as journal:
        [campaign] = journal.campaigns()
    try:
        hostile.behaviour = key_check_then(bulk_answer)
        monkeypatch.setenv("TRACKLY_API_KEY", KEY)
        assert cli.main(["send", "--resume", str(campaign.id), "--quiet"]) == 0
        assert "Finished: 1,500 sent." in capsys.readouterr().out
        assert process_state(sender.pid) == "Z"  # still there, and it did not matter
    finally:
        sender.wait()
