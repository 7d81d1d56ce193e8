"""The Review step: who gets what, totals, who does not and why, and a real test send."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER, REVOKED_API_KEY
from trackly_desktop.ui.review_step import ReviewStep
from trackly_desktop.ui.session import Session

TEMPLATE = "Hi {{first_name|there}}, order {{Order}} is ready. Reply STOP to opt out."


def _session(base_url: str, *, key: str = DEMO_API_KEY, list_number: str = DEMO_LIST_NUMBER):
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings

    return Session(
        Settings(default_country="US"),
        KeyStore(),
        demo=True,
        demo_api_key=key,
        base_url_override=base_url,
        list_number_override=list_number or None,
    )


def _load(session, path) -> None:
    from trackly_desktop.core.contacts.mapping import suggest_mapping
    from trackly_desktop.core.reading.spreadsheet import read_table
    from trackly_desktop.core.recipients.build import build_recipients

    table = read_table(path)
    mapping = suggest_mapping(table)
    session.set_table(table, path, None)
    session.set_mapping(mapping)
    session.set_recipients(build_recipients(table, mapping, "", "US"))
    session.set_template_text(TEMPLATE)


@pytest.fixture
def make_step(qtbot, sample_csv):
    def make(session) -> ReviewStep:
        _load(session, sample_csv)
        step = ReviewStep(session)
        qtbot.addWidget(step)
        step.resize(1000, 640)
        step.show()
        with qtbot.waitSignal(step.ready, timeout=60000):
            step.on_enter()
        return step

    return make


def test_lists_everyone_with_their_message_and_the_totals(qtbot, qtmodeltester, make_step):
    step = make_step(_session("http://127.0.0.1:9/api"))
    model = step.will_send
    assert model.rowCount() == 16
    assert model.index(0, 1).data() == "Maria Gonzalez"
    assert model.index(0, 2).data() == "+1 415 555 0132"
    assert model.index(0, 3).data() == "Hi Maria, order A-1041 is ready. Reply STOP to opt out."
    assert model.index(0, 4).data() == "1"
    totals = step.totals.text()
    assert "16 people</b> will get a message" in totals
    assert "16 message parts" in totals
    assert "from +1 800 555 1000." in totals
    assert "about" not in totals  # no price set: no cost
    assert "4 rows will not get one" in totals
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(step.wont_send, force_py=True)
    assert step.is_complete()


def test_says_who_will_not_get_a_message_and_why(make_step):
    step = make_step(_session("http://127.0.0.1:9/api"))
    model = step.wont_send
    rows = {
        model.index(r, 0).data(): (model.index(r, 3).data(), model.index(r, 4).data())
        for r in range(model.rowCount())
    }
    assert set(rows) == {"11", "12", "14", "15"}
    assert rows["14"][1] == "There is no phone number in this row."
    assert rows["15"][0] == "Duplicate"
    assert step.tabs.tabText(1) == "Will not get one (4)"


def test_a_changed_message_is_rendered_again_on_entering(qtbot, make_step):
    step = make_step(_session("http://127.0.0.1:9/api"))
    step.session.set_template_text("Bonjour {{first_name}} ☺")
    assert not step.is_complete()  # stale until rendered again
    with qtbot.waitSignal(step.ready, timeout=60000):
        step.on_enter()
    assert step.will_send.index(0, 3).data() == "Bonjour Maria ☺"
    assert step.session.recipients.encoding[0] == "UCS-2"


def test_without_a_sending_number_it_asks_for_one(make_step):
    session = _session("http://127.0.0.1:9/api", list_number="")
    step = make_step(session)
    assert step.account_warning.isVisible()
    assert "sending number" in step.account_warning.text()
    assert step.settings_button.isVisible()
    assert not step.is_complete()


def test_send_a_test_to_my_phone_goes_through_v2_send(qtbot, make_step, sandbox):
    step = make_step(_session(sandbox.base_url))
    panel = step.test_panel
    assert not panel.button.isEnabled()
    qtbot.keyClicks(panel.number, "(415) 555-0100")
    assert panel.button.isEnabled()
    assert "+14155550100" in panel.result.text()
    with qtbot.waitSignal(panel.sent, timeout=60000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    entries = sandbox.ledger.entries()
    assert len(entries) == 1
    assert entries[0].to == "+14155550100"
    assert entries[0].list_number == DEMO_LIST_NUMBER
    assert entries[0].body == step.session.recipients.body[0]
    assert entries[0].endpoint.endswith("/v2/send")
    assert "Test sent" in panel.result.text()
    # With a person selected, the test carries that person's message.
    step.will_view.setCurrentIndex(step.will_send.index(3, 0))
    with qtbot.waitSignal(panel.sent, timeout=60000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    last = sandbox.ledger.entries()[-1]
    assert last.body == step.session.recipients.body[step.rows.ready[3]]
    assert "Tom" in last.body


def test_a_bad_test_number_is_explained_as_typed(qtbot, make_step):
    step = make_step(_session("http://127.0.0.1:9/api"))
    qtbot.keyClicks(step.test_panel.number, "555")
    assert not step.test_panel.button.isEnabled()
    assert "short" in step.test_panel.result.text()


def test_a_rejected_key_is_reported_in_plain_words(qtbot, make_step, sandbox):
    step = make_step(_session(sandbox.base_url, key=REVOKED_API_KEY))
    panel = step.test_panel
    qtbot.keyClicks(panel.number, "+1 415 555 0100")
    with qtbot.waitSignal(panel.failed, timeout=60000) as blocker:
        qtbot.keyClick(panel.number, Qt.Key.Key_Return)
    text = blocker.args[0]
    assert text and "Traceback" not in text
    assert REVOKED_API_KEY not in text
    assert sandbox.ledger.entries() == []


def test_a_test_without_a_key_asks_for_one_in_settings(qtbot, sample_csv):
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings

    session = Session(
        Settings(default_country="US", list_number=DEMO_LIST_NUMBER), KeyStore()
    )  # an empty keyring: no key yet
    _load(session, sample_csv)
    step = ReviewStep(session)
    qtbot.addWidget(step)
    with qtbot.waitSignal(step.ready, timeout=60000):
        step.on_enter()
    qtbot.keyClicks(step.test_panel.number, "+1 415 555 0100")
    with qtbot.waitSignal(step.test_panel.failed, timeout=60000) as blocker:
        qtbot.mouseClick(step.test_panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == "Add your Trackly API key in Settings before sending a test."


def test_totals_show_the_estimated_cost_when_a_price_is_set(make_step):
    session = _session("http://127.0.0.1:9/api")
    session.settings.price_per_part, session.settings.currency = "0.0075", "USD"
    step = make_step(session)
    # 16 one-part messages at $0.0075: $0.12.
    assert "16 message parts</b> in all (<b>about $0.12</b>)" in step.totals.text()


def test_their_time_is_as_wide_as_its_text_and_the_messages_get_the_rest(make_step):
    # At 1,000 pixels "Their time" took 330 and the messages were cut after ~30 characters.
    step = make_step(_session("http://127.0.0.1:9/api"))
    view = step.will_view
    widest = "local time now 2:00 pm, Massachusetts"  # Tom Becker, 617, at 2 pm in New York
    texts = {step.will_send.index(r, 5).data() for r in range(step.will_send.rowCount())}
    assert widest in texts and max(texts, key=len) == widest
    their_time = view.columnWidth(5)
    text_width = view.fontMetrics().horizontalAdvance(widest)
    assert text_width < their_time <= text_width + 24  # the text, its margins, no more
    others = sum(view.columnWidth(c) for c in (0, 1, 2, 4, 5))
    assert view.columnWidth(3) == view.viewport().width() - others  # the message: the rest
