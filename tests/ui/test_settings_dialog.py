"""Settings dialog: the key goes to the keyring (off the GUI thread), numbers are checked as
typed, a missing keyring is explained, and the key never shows up anywhere readable."""

from __future__ import annotations

import keyring
import keyring.backends.fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from trackly_desktop.secrets import ACCOUNT_NAME, SERVICE_NAME, KeyStore
from trackly_desktop.settings import Settings, load_settings
from trackly_desktop.ui.settings_dialog import SettingsDialog

GOOD_KEY = "trk_live_Abc123xyz789"


def _open(qtbot, settings: Settings | None = None, **kwargs) -> SettingsDialog:
    dialog = SettingsDialog(settings or Settings(default_country="US"), KeyStore(), **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=5000)
    return dialog


def _all_label_text(dialog: SettingsDialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_save_and_remove_key_through_the_keyring(qtbot, memory_keyring):
    dialog = _open(qtbot)
    assert "No key saved yet" in dialog.key_status.text()
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Password

    qtbot.keyClicks(dialog.key_edit, "not a key")
    qtbot.mouseClick(dialog.save_key_button, Qt.MouseButton.LeftButton)
    assert "does not look like a Trackly API key" in dialog.test_result.text()
    assert memory_keyring.store == {}

    dialog.key_edit.clear()
    qtbot.keyClicks(dialog.key_edit, GOOD_KEY)
    with qtbot.waitSignal(dialog.key_changed, timeout=5000):
        qtbot.mouseClick(dialog.save_key_button, Qt.MouseButton.LeftButton)
    assert memory_keyring.store[(SERVICE_NAME, ACCOUNT_NAME)] == GOOD_KEY
    assert dialog.key_edit.text() == ""  # the typed key does not linger in the widget
    assert "A key is saved" in dialog.key_status.text()
    assert GOOD_KEY not in _all_label_text(dialog)

    with qtbot.waitSignal(dialog.key_changed, timeout=5000):
        qtbot.mouseClick(dialog.remove_key_button, Qt.MouseButton.LeftButton)
    assert memory_keyring.store == {}
    assert "No key saved yet" in dialog.key_status.text()


def test_show_toggle_unmasks_the_key(qtbot):
    dialog = _open(qtbot)
    qtbot.keyClicks(dialog.key_edit, GOOD_KEY)
    dialog.show_key.click()
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Normal
    dialog.show_key.click()
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Password


def test_sending_number_is_checked_as_typed_and_saved_as_e164(qtbot, app_home):
    dialog = _open(qtbot)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.number_edit, "415 55")
    assert dialog.number_hint.text().startswith("The number is too short")
    qtbot.keyClicks(dialog.number_edit, "5 2671")
    assert dialog.number_hint.text() == "✓ Texts will come from +1 415 555 2671."
    fast = dialog.speed_box.findText("Fast", Qt.MatchFlag.MatchStartsWith)
    dialog.speed_box.setCurrentIndex(fast)
    dialog.country_box.set_code("GB")
    assert dialog.country_box.code() == "GB"
    # A US number without +1 is not a valid GB number: the hint follows the country.
    assert "✓" not in dialog.number_hint.text()
    dialog.country_box.set_code("US")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = dialog.saved_settings()
    assert (saved.list_number, saved.default_country, saved.concurrency) == (
        "+14155552671",
        "US",
        8,
    )
    assert not (app_home / "config" / "settings.json").exists()  # the caller saves


def test_ok_refuses_a_bad_sending_number(qtbot):
    dialog = _open(qtbot)
    dialog.tabs.setCurrentIndex(0)
    qtbot.keyClicks(dialog.number_edit, "12")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.tabs.currentIndex() == 1  # shown where the problem is


def test_no_usable_keyring_is_said_in_plain_words(qtbot):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = _open(qtbot)
    notice = dialog.storage_notice.text()
    assert "kept only until you close the app" in notice
    qtbot.keyClicks(dialog.key_edit, GOOD_KEY)
    with qtbot.waitSignal(dialog.key_changed, timeout=5000):
        dialog.save_key_button.click()
    assert "A key is saved for now" in dialog.key_status.text()


def test_demo_mode_locks_the_key_and_server(qtbot):
    dialog = _open(qtbot, demo=True)
    assert not dialog.key_edit.isEnabled()
    assert not dialog.url_edit.isEnabled()
    assert "Demo mode" in dialog.key_status.text()


def test_saved_settings_never_hold_the_key(qtbot, app_home):
    from trackly_desktop.settings import save_settings

    dialog = _open(qtbot)
    qtbot.keyClicks(dialog.key_edit, GOOD_KEY)
    with qtbot.waitSignal(dialog.key_changed, timeout=5000):
        dialog.save_key_button.click()
    dialog.number_edit.setText("+14155552671")
    dialog.accept()
    save_settings(dialog.saved_settings())
    text = (app_home / "config" / "settings.json").read_text(encoding="utf-8")
    assert GOOD_KEY not in text
    assert load_settings().list_number == "+14155552671"


def test_test_connection_says_in_plain_words_when_the_key_is_refused(qtbot, sandbox):
    from trackly_desktop.sandbox.demo_data import REVOKED_API_KEY

    dialog = _open(qtbot, Settings(default_country="US", base_url=sandbox.base_url))
    qtbot.keyClicks(dialog.key_edit, REVOKED_API_KEY)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10000)
    text = dialog.test_result.text()
    assert "does not recognise this API key" in text
    assert REVOKED_API_KEY not in text


def test_demo_test_connection_uses_the_practice_server_and_key(qtbot, sandbox):
    from trackly_desktop.sandbox.demo_data import DEMO_API_KEY, DEMO_LIST_NUMBER

    dialog = _open(
        qtbot,
        demo=True,
        fixed_list_number=DEMO_LIST_NUMBER,
        fixed_base_url=sandbox.base_url,
        key_source=lambda: DEMO_API_KEY,
    )
    assert dialog.url_edit.text() == sandbox.base_url
    assert not dialog.number_edit.isEnabled()
    assert dialog.number_hint.text() == "✓ Texts will come from +1 800 555 1000."
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "Connected" in dialog.test_result.text(), timeout=10000)
    assert dialog.saved_settings().list_number == ""  # the practice number is never saved


def test_sending_speed_is_chosen_in_words_and_an_old_custom_value_is_kept(qtbot):
    dialog = _open(qtbot)
    words = [dialog.speed_box.itemText(i) for i in range(dialog.speed_box.count())]
    assert words[1] == "Normal (recommended)"
    assert dialog.speed_box.currentText() == "Normal (recommended)"  # the default, 4
    assert not any("batches sent at the same time" in w.lower() for w in words)
    dialog.set_speed(3)  # a value from an older settings file
    assert dialog.speed_box.currentText() == "Custom (3 batches at a time)"
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.saved_settings().concurrency == 3


def test_price_per_part_is_checked_as_typed_and_saved(qtbot):
    dialog = _open(qtbot)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.price_hint.text() == "Costs are not shown."
    qtbot.keyClicks(dialog.price_edit, "abc")
    assert dialog.price_hint.text().startswith("“abc” is not a price")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()  # a bad price is not saved
    dialog.price_edit.setText("0,008")
    dialog.currency_box.setCurrentText("GBP")
    assert dialog.price_hint.text() == "1,000 one-part messages cost about £8.00."
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    saved = dialog.saved_settings()
    assert (saved.price_per_part, saved.currency) == ("0,008", "GBP")


def test_test_connection_problems_talk_about_the_connection(qtbot, sandbox):
    from trackly_desktop.sandbox.demo_data import DEMO_API_KEY

    # Nothing listens on port 9: the connection itself fails.
    dialog = _open(qtbot, Settings(default_country="US", base_url="http://127.0.0.1:9/api"))
    qtbot.keyClicks(dialog.key_edit, DEMO_API_KEY)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    text = dialog.test_result.text()
    assert text.startswith("Could not connect to Trackly at http://127.0.0.1:9/api.")
    assert "message" not in text and "connection_failed" not in text
    # The server answers 503 every time: a temporary problem there, the connection works.
    sandbox.faults.fail_next = 10
    dialog = _open(qtbot, Settings(default_country="US", base_url=sandbox.base_url))
    qtbot.keyClicks(dialog.key_edit, DEMO_API_KEY)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    text = dialog.test_result.text()
    assert text.startswith("Trackly's server answered with a temporary problem (error 5")
    assert "message" not in text


def test_the_keyboard_starts_in_the_tabs_first_field_not_on_the_tab_bar(qtbot):
    dialog = _open(qtbot)
    assert dialog.focusWidget() is dialog.key_edit
    dialog.tabs.setCurrentIndex(1)  # Sending
    assert dialog.focusWidget() is dialog.number_edit


def test_in_demo_mode_the_keyboard_starts_on_test_connection(qtbot):
    dialog = _open(qtbot, demo=True)
    # The key field is locked in the demo: the first thing that can be used is the test.
    assert not dialog.key_edit.isEnabled()
    assert dialog.focusWidget() is dialog.test_button
