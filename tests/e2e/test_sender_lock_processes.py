"""One sender per campaign across real processes (core/journal/sender_lock.py).

Each sender is a child Python process that opens the journal and calls `begin_run`, as
the window and `trackly send` do. Children wait on their standard input, so the test says
when they race and when the winner lets go; no test here waits on a clock.
The journal lives in a folder named with spaces and letters outside ASCII, as a user's
data folder may be (C:\\Users\\Zoë Łukasiewicz\\AppData\\Local\\... on Windows).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trackly_desktop.core.campaign.spec import CampaignSpec
from trackly_desktop.core.contacts.mapping import ColumnMapping
from trackly_desktop.core.journal.record import create_campaign
from trackly_desktop.core.journal.schema import INTERRUPTED, SENDING
from trackly_desktop.core.journal.sender_lock import lock_path
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients

# A sender: claims the campaign when told to ("go"), reports, holds it until told again.
SENDER = """
import sys
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.journal.store import Journal

journal = Journal(sys.argv[1])
campaign = int(sys.argv[2])
sys.stdin.readline()
try:
    journal.begin_run(campaign)
except CampaignError as exc:
    print("refused:", exc, flush=True)
    raise SystemExit(0)
print("claimed", flush=True)
sys.stdin.readline()
journal.end_run(campaign, "cancelled")
print("released", flush=True)
"""


@pytest.fixture
def campaign(tmp_path) -> tuple[Path, int]:
    folder = tmp_path / "Zoë Łukasiewicz" / "App Data"
    folder.mkdir(parents=True)
    source = folder / "clients été.csv"
    source.write_text("Phone,Name\n(415) 555-0101,Zoë\n415-555-0102,Ada\n", encoding="utf-8")
    recipients = build_recipients(read_table(source), ColumnMapping(phone="Phone"), "Hi", "US")
    spec = CampaignSpec(source, None, {"phone": "Phone"}, "Hi", "+18005551000", "US")
    path = folder / "journal.sqlite3"
    with Journal(path) as journal:
        return path, create_campaign(journal, spec, recipients)


def _sender(journal_path: Path, campaign_id: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.Popen(
        [sys.executable, "-c", SENDER, str(journal_path), str(campaign_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )


def _end(process: subprocess.Popen[str]) -> None:
    """Kill (if still running) and reap, closing its pipes."""
    process.kill()
    process.communicate(timeout=30)


def _tell(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


def _answer(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line, process.stderr.read() if process.stderr else "no answer"
    return line


def test_two_processes_racing_for_one_campaign_exactly_one_sends(campaign):
    journal_path, campaign_id = campaign
    senders = [_sender(journal_path, campaign_id) for _ in range(2)]
    try:
        for sender in senders:  # both are waiting on their input: released together
            _tell(sender)
        answers = [_answer(sender) for sender in senders]
        assert sorted(a.split(":")[0] for a in answers) == ["claimed", "refused"]
        refusal = next(a for a in answers if a.startswith("refused"))
        assert refusal == (
            "refused: This campaign is being sent by another Trackly window or command."
        )
        winner = senders[answers.index("claimed")]
        with Journal(journal_path) as journal:
            assert journal.campaigns()[0].state == SENDING
        _tell(winner)
        assert _answer(winner) == "released"
    finally:
        for sender in senders:
            _end(sender)
    # Once the winner let go, anyone may send it again.
    with Journal(journal_path) as journal:
        journal.begin_run(campaign_id)
        journal.end_run(campaign_id, "done")


def test_a_killed_sender_never_blocks_a_resume(campaign):
    journal_path, campaign_id = campaign
    sender = _sender(journal_path, campaign_id)
    _tell(sender)
    assert _answer(sender) == "claimed"
    _end(sender)  # SIGKILL on Linux and macOS, TerminateProcess on Windows: no clean-up
    # What the dead sender left: its lock file, and the campaign marked as being sent.
    assert lock_path(journal_path, campaign_id).is_file()
    with Journal(journal_path) as journal:
        # The pid it recorded may belong to another program by now (here: this test's
        # parent, alive): that must not matter either.
        journal._conn.execute(
            "UPDATE campaigns SET runner_pid=? WHERE id=?", (os.getppid(), campaign_id)
        )
        [summary] = journal.campaigns()
        assert summary.state == INTERRUPTED
        assert [c.id for c in journal.interrupted_campaigns()] == [campaign_id]
    resumer = _sender(journal_path, campaign_id)
    try:
        _tell(resumer)
        assert _answer(resumer) == "claimed"
        _tell(resumer)
        assert _answer(resumer) == "released"
    finally:
        _end(resumer)
