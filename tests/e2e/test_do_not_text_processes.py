"""A number put on the do-not-text list by `trackly optouts add` in another process is
not texted when a paused campaign resumes, nor by `trackly send --resume` in a third
process, and `trackly check` in yet another shows the row excluded.

The sandbox and the first engine run in this process; every `trackly` command is a real
child process sharing the app home (TRACKLY_DESKTOP_HOME) over the same SQLite files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.core.campaign.spec import CampaignSpec
from trackly_desktop.core.contacts.mapping import ColumnMapping
from trackly_desktop.core.journal.record import create_campaign
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.reading.spreadsheet import read_table
from trackly_desktop.core.recipients.build import build_recipients
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.server import SandboxServer

ROWS = 30
STOPPED = "+12025550125"  # row 27 of the file, in the part not sent before the stop


def _trackly(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKLY_API_KEY": DEMO_API_KEY}
    return subprocess.run(
        [sys.executable, "-m", "trackly_desktop.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _campaign(tmp_path, journal: Journal) -> int:
    source = tmp_path / "contacts.csv"
    lines = ["Phone,First name"] + [f"+1202555{100 + i:04d},P{i}" for i in range(ROWS)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(source)
    mapping = ColumnMapping(phone="Phone", first_name="First name")
    recipients = build_recipients(table, mapping, "Hi {{first_name}}", "US")
    spec = CampaignSpec(
        source, None, mapping.as_dict(), "Hi {{first_name}}", DEMO_LIST_NUMBER, "US"
    )
    return create_campaign(journal, spec, recipients)


def _outcome(journal: Journal, phone: str) -> tuple[str, str | None]:
    row = journal._conn.execute(
        "SELECT outcome, code FROM recipients WHERE phone=?", (phone,)
    ).fetchone()
    return row[0], row[1]


def test_added_while_paused_is_not_sent_on_resume(tmp_path):
    with SandboxServer(seed=3) as server, Journal() as journal:
        cid = _campaign(tmp_path, journal)
        with TracklyClient(DEMO_API_KEY, server.base_url) as client:
            paused = threading.Event()

            def progress(p) -> None:
                if p.sent >= 10 and not paused.is_set():
                    engine.pause()
                    paused.set()

            engine = SendEngine(
                journal, cid, client, concurrency=1, max_batch_messages=10, on_progress=progress
            )
            result: list = []
            worker = threading.Thread(target=lambda: result.append(engine.run()))
            worker.start()
            assert paused.wait(60)
            with Journal() as reader:  # the engine records the pause in the journal
                for _ in range(600):
                    if reader.campaigns()[0].state == "paused":
                        break
                    threading.Event().wait(0.05)
                assert reader.campaigns()[0].state == "paused"
            sent_before = {e.to for e in server.ledger.entries()}
            assert STOPPED not in sent_before
            added = _trackly("optouts", "add", "(202) 555-0125", "--country", "US")
            assert added.returncode == 0, added.stderr
            assert added.stdout == f"{STOPPED} added: it will not be texted again.\n"
            engine.resume()
            worker.join(60)
        [report] = result
    sent = [e.to for e in server.ledger.entries()]
    assert len(sent) == ROWS - 1 and STOPPED not in sent
    assert (report.sent, report.excluded, report.total) == (ROWS - 1, 1, ROWS - 1)
    assert report.message == "Finished: 29 sent, 1 not texted (on your do-not-text list)."
    with Journal() as journal:
        assert _outcome(journal, STOPPED) == ("excluded", "do_not_text")
        assert journal.counts(cid).excluded == 1


def test_added_after_a_stop_is_not_sent_by_a_resume_in_another_process(tmp_path):
    with SandboxServer(seed=4) as server:
        with Journal() as journal, TracklyClient(DEMO_API_KEY, server.base_url) as client:
            cid = _campaign(tmp_path, journal)

            def progress(p) -> None:
                if p.sent >= 10:
                    engine.cancel()

            engine = SendEngine(
                journal, cid, client, concurrency=1, max_batch_messages=10, on_progress=progress
            )
            report = engine.run()
            assert report.state == "cancelled" and STOPPED not in {
                e.to for e in server.ledger.entries()
            }
        assert _trackly("optouts", "add", STOPPED, "--reason", "Asked on the phone").returncode == 0
        checked = _trackly("check", str(tmp_path / "contacts.csv"), "--json", "--country", "US")
        rows = json.loads(checked.stdout)["rows"]
        assert [(r["phone"], r["status"], r["reason"]) for r in rows if r["status"] != "ready"] == [
            (STOPPED, "excluded", "do_not_text")
        ]
        resumed = _trackly("send", "--resume", str(cid), "--base-url", server.base_url, "--quiet")
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert "1 not texted (on your do-not-text list)" in resumed.stdout
        sent = [e.to for e in server.ledger.entries()]
    assert len(sent) == ROWS - 1 and STOPPED not in sent
    with Journal() as journal:
        assert _outcome(journal, STOPPED) == ("excluded", "do_not_text")


def test_an_opted_out_answer_puts_the_number_on_the_list_for_every_later_file(tmp_path):
    from trackly_desktop import paths
    from trackly_desktop.core.audience.do_not_text import DoNotTextList, list_path_for_journal
    from trackly_desktop.sandbox.demo_data import DEMO_OPTED_OUT_NUMBERS

    opted = DEMO_OPTED_OUT_NUMBERS[0]
    source = tmp_path / "first.csv"
    source.write_text(f"Phone\n+12025550101\n{opted}\n", encoding="utf-8")
    with SandboxServer(seed=6) as server:
        sent = _trackly(
            "send", str(source), "--list-number", DEMO_LIST_NUMBER, "--template", "Hello",
            "--base-url", server.base_url, "--quiet", "--yes",
        )  # fmt: skip
        assert sent.returncode == 1  # one failed: opted_out
    with DoNotTextList(list_path_for_journal(paths.journal_path())) as dnt:
        [entry] = dnt.entries()
    assert (entry.phone, entry.source) == (opted, "trackly_opted_out")
    checked = _trackly("check", str(source), "--json", "--country", "US")
    statuses = [(r["status"], r["reason"]) for r in json.loads(checked.stdout)["rows"]]
    assert statuses == [("ready", None), ("excluded", "do_not_text")]
