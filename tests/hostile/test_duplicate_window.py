"""The duplicate-check window the app assumes is a setting with a cautious default: a
message that may have gone out longer ago than the window is never resent by the app,
only listed as "not sure" (issue 11, §3)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hostile_server import Silent

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord, SendOptions
from trackly_desktop.core.journal.schema import INTERRUPTED
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.core.sending.batch_sender import RetryPolicy
from trackly_desktop.core.sending.engine import SendEngine
from trackly_desktop.settings import Settings, load_settings, save_settings

KEY = "trk_live_hostile_0123456789abcdef"
LIST = "+18005551000"


def campaign(journal: Journal, count: int) -> int:
    spec = CampaignSpec(Path("c.csv"), None, {"phone": "Phone"}, "Hello", LIST, "US",
                        SendOptions())  # fmt: skip
    records = (RecipientRecord(r, f"+1415555{r:04d}", "Hello", f"C{r}", {})
               for r in range(2, 2 + count))  # fmt: skip
    return journal.create_campaign(spec, records)


def crashed_with_a_batch_in_flight(path: Path, seconds_ago: int) -> int:
    """A campaign whose run died with one 50-row batch in flight, sent `seconds_ago`."""
    with Journal(path) as journal:
        cid = campaign(journal, 80)
        journal.begin_run(cid)
        assert journal.claim_batch(cid, max_messages=50) is not None
        journal.end_run(cid, INTERRUPTED)  # the process died; the batch stays in flight
    sent = (datetime.now(UTC) - timedelta(seconds=seconds_ago)).isoformat(timespec="seconds")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE batches SET created=?", (sent,))
    conn.close()
    return cid


def test_the_default_window_is_cautious():
    assert Settings().duplicate_window_s == 60
    save_settings(Settings(duplicate_window_s=99_999))
    assert load_settings().duplicate_window_s == 3600  # clamped to an hour


@pytest.mark.parametrize(("seconds_ago", "window", "pending", "uncertain"), [
    (120, 60, 30, 50),  # older than the window: not sure, for the operator
    (120, 600, 80, 0),  # within it: resent under the duplicate check
])  # fmt: skip
def test_a_resume_resends_only_within_the_window(tmp_path, seconds_ago, window, pending,
                                                 uncertain):  # fmt: skip
    path = tmp_path / "journal.sqlite3"
    cid = crashed_with_a_batch_in_flight(path, seconds_ago)
    with Journal(path) as journal:
        journal.begin_run(cid, duplicate_window_s=window)
        counts = journal.counts(cid)
        journal.end_run(cid, INTERRUPTED)
    assert (counts.pending, counts.uncertain, counts.in_flight) == (pending, uncertain, 0)


def test_no_resend_in_a_run_once_the_window_has_passed(tmp_path, hostile):
    hostile.behaviour = Silent()  # never answers: each try ends at the deadline
    with Journal(tmp_path / "j.sqlite3") as journal:
        cid = campaign(journal, 40)
        with TracklyClient(KEY, hostile.base_url, deadline=0.5, max_attempts=1) as client:
            report = SendEngine(journal, cid, client, concurrency=1,
                                retry=RetryPolicy(attempts=5, base_s=0.01, cap_s=0.01),
                                duplicate_window_s=0.3).run()  # fmt: skip
    assert len(hostile.requests) == 1  # the resend would come after the window: none
    assert report.uncertain == 40 and report.sent == 0


def test_the_setting_is_in_the_advanced_tab(qtbot):
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(list_number="+18005551000"), KeyStore())
    qtbot.addWidget(dialog)
    assert dialog.window_box.value() == 60
    dialog.window_box.setValue(30)
    assert dialog.saved_settings().duplicate_window_s == 30
