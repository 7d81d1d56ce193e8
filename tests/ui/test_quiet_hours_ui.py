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
