"""Session: shared state with change signals, and where the API key comes from."""

from __future__ import annotations

from pathlib import Path

from trackly_desktop.secrets import KeyStore
from trackly_desktop.settings import Settings, load_settings
from trackly_desktop.ui.session import Session

KEY = "trk_live_0123456789abcdef"


def test_key_comes_from_the_keyring_and_the_environment_overrides_it(monkeypatch):
    store = KeyStore()
    store.set(KEY)
    session = Session(Settings(), store)
    assert session.api_key() == KEY
    monkeypatch.setenv("TRACKLY_API_KEY", "trk_env_abcdef0123456789")
    assert session.api_key() == "trk_env_abcdef0123456789"


def test_demo_key_and_number_stay_in_memory(memory_keyring):
    settings = Settings(list_number="+14155550100", base_url="https://example.test/api")
    session = Session(
        settings,
        KeyStore(),
        demo=True,
        demo_api_key=KEY,
        base_url_override="http://127.0.0.1:5000/api",
        list_number_override="+18005551000",
    )
    assert session.api_key() == KEY
    assert session.list_number == "+18005551000"
    assert session.base_url == "http://127.0.0.1:5000/api"
    assert KEY not in repr(session)
    session.save_settings()
    saved = load_settings()
    assert saved.list_number == "+14155550100"  # the operator's own settings are untouched
    assert memory_keyring.store == {}


def test_a_new_table_resets_recipients_and_campaign_and_is_a_recent_file(qtbot):
    session = Session(Settings(), None)
    session.recipients = object()
    session.set_campaign_id(7)
    with qtbot.waitSignals([session.source_changed, session.campaign_changed]):
        session.set_table(object(), Path("/tmp/customers.csv"), None)
    assert session.recipients is None
    assert session.campaign_id is None
    assert session.settings.recent_files[0] == "/tmp/customers.csv"
    qtbot.waitUntil(lambda: load_settings().recent_files == ["/tmp/customers.csv"], timeout=5000)


def test_template_change_is_signalled_once(qtbot):
    session = Session(Settings(), None)
    with qtbot.waitSignal(session.template_changed) as blocker:
        session.set_template_text("Hello {{first_name}}")
    assert blocker.args == ["Hello {{first_name}}"]
    with qtbot.assertNotEmitted(session.template_changed):
        session.set_template_text("Hello {{first_name}}")


def test_send_options_start_from_the_saved_link_setting():
    session = Session(Settings(wrap_links=True), None)
    options = session.get_send_options()
    assert options.wrap_links and not options.uses_raw
