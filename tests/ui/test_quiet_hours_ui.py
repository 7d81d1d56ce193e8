"""Quiet hours in the window: Review shows each person's local time and who is held."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from trackly_desktop.core.audience.clock import FakeClock
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER
from trackly_desktop.ui.review_step import ReviewStep
from trackly_desktop.ui.session import Session

ET = ZoneInfo("America/New_York")


def _session() -> Session:
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings

    session = Session(
        Settings(default_country="US"),
        KeyStore(),
        demo=True,
        demo_api_key=DEMO_API_KEY,
        base_url_override="http://127.0.0.1:9/api",
        list_number_override=DEMO_LIST_NUMBER,
    )
    session.clock = FakeClock(datetime(2026, 12, 7, 23, 40, tzinfo=ET))  # Monday night
    return session


def _load(session, path) -> None:
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    table = read_table(path)
    mapping = suggest_mapping(table)
    session.set_table(table, path, None)
    session.set_mapping(mapping)
    session.set_recipients(build_recipients(table, mapping, "", "US"))
    session.set_template_text("Hi {{First Name}}, your order is ready.")


def test_review_shows_local_time_and_counts_who_is_held(qtbot, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(
        "First Name,Mobile,State\n"
        "Ada,+1 212 555 0101,NY\n"
        "Bo,+1 305 555 0102,\n"
        "Cy,+1 415 555 0103,CA\n"
        "Di,+1 808 555 0104,HI\n"
        "Ed,+1 212 555 0105,Texas\n",
        encoding="utf-8",
    )
    session = _session()
    _load(session, path)
    step = ReviewStep(session)
    qtbot.addWidget(step)
    step.resize(1200, 640)
    step.show()
    with qtbot.waitSignal(step.ready, timeout=60000):
        step.on_enter()
    model = step.will_send
    assert model.headerData(5, qtbot_horizontal(), 0) == "Their time"
    texts = [model.index(r, 5).data() for r in range(model.rowCount())]
    assert texts == [
        "local time now 11:40 pm, New York · held",
        "local time now 11:40 pm, Florida · held",
        "local time now 8:40 pm, California",
        "local time now 6:40 pm, Hawaii",
        # A New York number with a Texas address: both zones of Texas, both states' rules.
        "local time now 10:40 pm or 9:40 pm, Texas, New York · held",
    ]
    assert (
        "Quiet hours: 2 can be texted now; 3 are outside texting hours and will go from "
        "8:00 am or 9:00 am their time." in step.totals.text()
    )
    assert session.local_times is not None and len(session.local_times.groups) == 5
    qtbot.wait(50)
    step.grab().save(str(tmp_path / "review.png"))


def qtbot_horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _send_session(tmp_path, base_url, clock) -> Session:
    from trackly_desktop.core.audience.local_times import local_times_for
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings

    sheet = tmp_path / "customers.csv"
    sheet.write_text(
        "First Name,Mobile\nAda,+1 212 555 0101\nBo,+1 305 555 0102\nCy,+1 415 555 0103\n",
        encoding="utf-8",
    )
    settings = Settings(default_country="US", list_number=DEMO_LIST_NUMBER)
    session = Session(
        settings, KeyStore(), demo=True, demo_api_key=DEMO_API_KEY, base_url_override=base_url
    )
    session.clock = clock
    _load(session, sheet)
    session.recipients.update_template(session.template_text)
    session.local_times = local_times_for(session.recipients, settings.quiet_hours())
    return session


def _sent_at(server) -> dict[str, list[datetime]]:
    from datetime import UTC

    out: dict[str, list[datetime]] = {}
    for entry in server.ledger.entries():
        out.setdefault(entry.to, []).append(datetime.fromtimestamp(entry.queued_at, UTC))
    return out


def test_the_window_holds_florida_and_sends_it_when_its_window_opens(qtbot, tmp_path):
    from datetime import UTC

    from trackly_desktop.sandbox.server import SandboxServer
    from trackly_desktop.ui.send_step import RESULTS_PAGE, SendStep

    clock = FakeClock(datetime(2026, 12, 7, 20, 30, tzinfo=ET), frozen=True)
    with SandboxServer(seed=4, clock=lambda: clock.now().timestamp()) as server:
        session = _send_session(tmp_path, server.base_url, clock)
        step = SendStep(session)
        qtbot.addWidget(step)
        step.resize(900, 600)
        step.show()
        qtbot.waitUntil(step.send_button.isEnabled, timeout=5000)
        step.start_send()
        qtbot.waitUntil(lambda: step.sending.waiting, timeout=30000)
        assert step.sending.title.text() == "Waiting for texting hours"
        label = step.sending.progress_label.text()
        assert "2 sent; 1 held until it is daytime where they are" in label
        assert "Nothing is sent while the app (or trackly send) is closed." in label
        assert set(_sent_at(server)) == {"+12125550101", "+14155550103"}
        step.grab().save(str(tmp_path / "waiting.png"))
        with qtbot.waitSignal(step.send_finished, timeout=30000):
            clock.set(datetime(2026, 12, 8, 8, 0, tzinfo=ET))
        assert step.pages.currentIndex() == RESULTS_PAGE
        assert _sent_at(server)["+13055550102"] == [datetime(2026, 12, 8, 13, 0, tzinfo=UTC)]
        assert sum(len(v) for v in _sent_at(server).values()) == 3


def test_send_later_and_ignore_quiet_hours_controls(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from trackly_desktop.core.journal.store import Journal
    from trackly_desktop.sandbox.server import SandboxServer
    from trackly_desktop.ui.send_step import SendStep

    monkeypatch.setenv("TZ", "America/New_York")
    clock = FakeClock(datetime(2026, 12, 7, 20, 30, tzinfo=ET), frozen=True)
    with SandboxServer(seed=4, clock=lambda: clock.now().timestamp()) as server:
        session = _send_session(tmp_path, server.base_url, clock)
        step = SendStep(session)
        qtbot.addWidget(step)
        step.resize(900, 600)
        step.show()
        qtbot.waitUntil(step.send_button.isEnabled, timeout=5000)
        controls = step.quiet_controls
        controls.choose_time()
        dialog = controls.dialog
        assert dialog is not None
        from PySide6.QtCore import QDate, QDateTime, QTime

        dialog.edit.setDateTime(QDateTime(QDate(2026, 12, 8), QTime(9, 0)))
        assert dialog.findChild(type(controls.schedule_label), "sendLaterZone").text() == (
            "Your time (America/New York)"
        )
        dialog.done(QDialog.DialogCode.Accepted)
        assert controls.schedule_label.text() == (
            "Scheduled for tomorrow 9:00 am (America/New York time)."
        )
        # The switch asks first; cancelling the warning leaves quiet hours on.
        controls.ignore_box.setChecked(True)
        assert controls.warning_box is not None
        assert "Florida's (8 pm)" in controls.warning_box.text()
        controls.warning_box.reject()
        qtbot.waitUntil(lambda: controls.warning_box is None)
        assert not controls.ignore_box.isChecked()
        assert not session.get_send_options().ignore_quiet_hours
        step.start_send()
        qtbot.waitUntil(lambda: step.sending.title.text() == "Scheduled", timeout=30000)
        assert "Starts tomorrow 9:00 am (America/New York time): 3 messages." in (
            step.sending.progress_label.text()
        )
        step.grab().save(str(tmp_path / "scheduled.png"))
        with Journal(step.results.journal_path) as journal:
            (summary,) = journal.scheduled_campaigns()
            assert summary.scheduled_for == "2026-12-08T14:00:00+00:00"
        assert server.ledger.entries() == []
        step.stop_and_wait()


def test_closing_while_held_keeps_running_in_the_background_until_quit(
    qtbot, tmp_path, monkeypatch
):
    from trackly_desktop.core.journal.store import Journal
    from trackly_desktop.sandbox.server import SandboxServer
    from trackly_desktop.ui import background_tray
    from trackly_desktop.ui.main_window import MainWindow

    clock = FakeClock(datetime(2026, 12, 7, 20, 30, tzinfo=ET), frozen=True)
    with SandboxServer(seed=4, clock=lambda: clock.now().timestamp()) as server:
        session = _send_session(tmp_path, server.base_url, clock)
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.show()
        window.send_step.start_send()
        qtbot.waitUntil(lambda: window.send_step.sending.waiting, timeout=30000)
        asked: list[str] = []

        def keep(words: str) -> str:
            asked.append(words)
            return background_tray.KEEP_RUNNING

        monkeypatch.setattr(window, "ask_keep_running", keep)
        window.close()
        assert asked == ["Waiting for texting hours"]
        assert not window.isVisible() and window.send_step.is_sending()
        assert window.tray is not None
        assert window.tray.text.startswith("2 sent; 1 held until it is daytime where they are")
        # Quit from the tray: the send stops; the held message stays in the journal.
        window.tray.quit_requested.emit()
        qtbot.waitUntil(lambda: not window.send_step.is_sending(), timeout=30000)
        assert sum(len(v) for v in _sent_at(server).values()) == 2
        with Journal(window.send_step.results.journal_path) as journal:
            (summary,) = journal.campaigns()
            assert summary.counts.pending == 1 and summary.counts.queued == 2


def _scheduled_campaign(due: datetime) -> int:
    from trackly_desktop.core.campaign.spec import CampaignSpec, RecipientRecord
    from trackly_desktop.core.journal.store import Journal

    records = [RecipientRecord(row, f"+1212555{row:04d}", "Hi", f"P{row}", {}) for row in (2, 3)]
    spec = CampaignSpec("/shop/list.csv", None, {"phone": "Phone"}, "Hi", DEMO_LIST_NUMBER, "US")
    with Journal() as journal:
        return journal.create_campaign(spec, records, scheduled_for=due)


def test_history_shows_a_scheduled_send_and_cancels_it(qtbot, monkeypatch):
    from trackly_desktop.core.journal.store import Journal
    from trackly_desktop.ui.history_dialog import HistoryDialog

    monkeypatch.setenv("TZ", "America/New_York")  # the shared test clock: Mon 2 pm New York
    campaign_id = _scheduled_campaign(datetime(2026, 12, 8, 9, 0, tzinfo=ET))
    dialog = HistoryDialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10000)
    assert dialog.model.index(0, 6).data() == "Scheduled for tomorrow 9:00 am"
    dialog.table.selectRow(0)
    buttons = dialog.schedule_buttons
    assert buttons.cancel_button.isEnabled() and buttons.change_button.isEnabled()
    assert not dialog.resume_button.isEnabled()
    buttons.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.model.index(0, 6).data() == "Cancelled", timeout=10000)
    with Journal() as journal:
        assert journal.state(campaign_id) == "cancelled"
        assert journal.scheduled_for(campaign_id) is None


def test_a_schedule_missed_while_closed_is_offered_at_start(qtbot, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from trackly_desktop.core.journal.store import Journal
    from trackly_desktop.ui.schedule_actions import start_scheduled

    monkeypatch.setenv("TZ", "America/New_York")
    campaign_id = _scheduled_campaign(datetime(2026, 12, 7, 9, 0, tzinfo=ET))  # 5 h ago
    parent = QWidget()
    qtbot.addWidget(parent)
    started: list[int] = []
    start_scheduled(parent, started.append)
    qtbot.waitUntil(lambda: getattr(parent, "late_box", None) is not None, timeout=10000)
    box = parent.late_box
    assert box.text() == (
        "A send was scheduled for today 9:00 am (America/New York time), while the app was "
        "closed: 2 messages did not go. Send them now, late?"
    )
    assert started == []
    next(b for b in box.buttons() if b.text() == "Send now").click()
    qtbot.waitUntil(lambda: started == [campaign_id], timeout=5000)
    with Journal() as journal:
        assert journal.state(campaign_id) == "new" and journal.scheduled_for(campaign_id) is None


def test_settings_quiet_hours_tab_edits_the_window_and_the_state_rules(qtbot, tmp_path):
    from PySide6.QtCore import QTime

    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings
    from trackly_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(default_country="US"), KeyStore())
    qtbot.addWidget(dialog)
    tab = dialog.quiet_tab
    dialog.tabs.setCurrentWidget(tab)
    dialog.resize(760, 560)
    dialog.show()
    rows = tab.rows()
    assert len(rows) == 19
    assert rows[rows.index(next(r for r in rows if r["region"] == "FL"))]["end"] == "20:00"
    assert tab.start_edit.time() == QTime(8, 0) and tab.end_edit.time() == QTime(21, 0)
    qtbot.wait(50)
    dialog.grab().save(str(tmp_path / "settings-quiet.png"))
    # Unchanged: nothing stored, so updated shipped rules apply later.
    assert dialog.saved_settings().state_quiet_hours == []
    florida = next(i for i in range(tab.model.rowCount()) if tab.model.item(i, 0).text() == "FL")
    tab.model.item(florida, 3).setText("19:00")
    tab.end_edit.setTime(QTime(20, 30))
    saved = dialog.saved_settings()
    assert saved.quiet_hours_end == "20:30" and len(saved.state_quiet_hours) == 19
    rules = saved.quiet_hours()
    assert rules.window_for(["FL"]).describe() == "8:00 am–7:00 pm"
    assert rules.window_for(["NY"]).describe() == "8:00 am–8:30 pm"
    tab.model.item(florida, 2).setText("noon")
    assert tab.problem_text() == (
        "Rule 3 (FL): write days like Mon-Sun and times like 08:00 and 20:00, the start "
        "before the end."
    )
