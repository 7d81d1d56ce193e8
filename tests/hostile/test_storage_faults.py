"""Storage faults in plain words (issue 11, §4): a damaged journal is moved aside with a
date in its name and a fresh one started; a read-only journal and a full disk end
`trackly send` with one sentence and exit 2 (1 means "some rows failed"); a full disk
stops the send cleanly, and after freeing space the resume sends every row exactly once.

The read-only and full-disk cases use a small tmpfs mounted for the test (root only;
skipped otherwise); the damaged journal needs no privileges.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from trackly_desktop import cli, paths
from trackly_desktop.core.journal.storage import translated
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.sandbox.server import SandboxServer

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))  # send_engine_support


@pytest.fixture
def server():
    with SandboxServer(seed=11) as srv:
        yield srv


def contacts(path: Path, rows: int) -> Path:
    path.write_text("Phone,First name\n" + "".join(
        f"+1415555{r:04d},C{r}\n" for r in range(rows)))  # fmt: skip
    return path


def send(source: Path, server, *more: str) -> list[str]:
    return ["send", str(source), "--list-number", DEMO_LIST_NUMBER, "--template",
            "Hi {{First name}}, your order is ready.", "--base-url", server.base_url,
            "--quiet", "--yes", *more]  # fmt: skip


def resume(server, campaign: int = 1) -> list[str]:
    return ["send", "--resume", str(campaign), "--base-url", server.base_url, "--quiet"]


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a 32 MB tmpfs for the test (root only); yields its path, unmounted after."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Fill `disk` to the last byte; returns the filler file (delete it to free space)."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def test_a_damaged_journal_is_moved_aside_and_a_fresh_one_started(
    tmp_path, server, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    journal = paths.journal_path()
    journal.write_bytes(b"this is not a journal " * 500)  # e.g. a disk error, or a sync tool
    assert cli.main(send(contacts(tmp_path / "c.csv", 30), server)) == 0
    captured = capsys.readouterr()
    assert "The send journal was damaged, so it was moved aside to" in captured.err
    (aside,) = [p for p in journal.parent.iterdir() if "(damaged " in p.name]
    assert str(aside) in captured.err
    assert aside.read_bytes().startswith(b"this is not a journal")
    assert "Finished: 30 sent." in captured.out and len(server.ledger) == 30
    with Journal() as fresh:
        assert [c.id for c in fresh.campaigns()] == [1]


def test_a_journal_found_damaged_while_sending_is_set_aside_at_the_next_start(tmp_path):
    path = tmp_path / "journal.sqlite3"
    with Journal(path):
        pass
    (tmp_path / "journal.sqlite3.damaged").touch()  # what the CLI/window leave on damage
    with Journal(path) as journal:
        assert journal.set_aside_to is not None and journal.set_aside_to.exists()
    assert not (tmp_path / "journal.sqlite3.damaged").exists()


def test_a_read_only_journal_is_one_sentence_and_exit_2(
    tmp_path, tmpfs, server, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    monkeypatch.setenv("TRACKLY_DESKTOP_HOME", str(tmpfs))
    with Journal():  # an existing journal, then the disk becomes read-only
        pass
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    assert cli.main(send(contacts(tmp_path / "c.csv", 10), server)) == 2
    err = capsys.readouterr().err
    assert "cannot be written: the folder or the file is read-only" in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert len(server.ledger) == 0


def test_a_full_disk_stops_cleanly_and_the_resume_sends_each_row_once(tmpfs, server):
    from send_engine_support import make_client, new_campaign, rows_sent

    path = tmpfs / "journal.sqlite3"
    fillers: list[Path] = []

    def fill_after_first_answers(progress) -> None:
        if progress.sent and not fillers:
            fillers.append(fill(tmpfs))  # the disk fills up in the middle of the send

    with Journal(path) as journal:
        cid = new_campaign(journal, 6000)
        with make_client(server.base_url) as client:
            engine = SendEngine(journal, cid, client, concurrency=2, max_batch_messages=500,
                                on_progress=fill_after_first_answers)  # fmt: skip
            with pytest.raises((sqlite3.Error, OSError)) as caught:
                engine.run()
        plain = translated(caught.value, path)
        assert plain is not None and "is full, so sending stopped" in str(plain)
    sent_before = len(server.ledger)
    assert 0 < sent_before < 6000
    fillers[0].unlink()  # space freed: resume
    with Journal(path) as journal, make_client(server.base_url) as client:
        report = SendEngine(journal, cid, client, concurrency=2).run()
        assert journal.counts(cid).queued == 6000
    assert report.state == "done"
    assert len(server.ledger) == 6000 and set(rows_sent(server).values()) == {1}


def test_a_full_disk_at_the_start_is_one_sentence_and_exit_2(
    tmp_path, tmpfs, server, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    monkeypatch.setenv("TRACKLY_DESKTOP_HOME", str(tmpfs))
    with Journal():
        pass
    filler = fill(tmpfs)
    assert cli.main(send(contacts(tmp_path / "c.csv", 3000), server)) == 2
    err = capsys.readouterr().err
    assert "is full, so sending stopped" in err and "Traceback" not in err
    assert len(server.ledger) == 0
    filler.unlink()
