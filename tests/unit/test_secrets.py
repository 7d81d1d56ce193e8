"""The API key in the keyring: format check, env override, memory fallback, never shown."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.secrets import KeyStore, resolve_api_key, validate_key_format

KEY = "trk_live_0123456789abcdef"


def test_validate_strips_and_accepts():
    assert validate_key_format(f"  {KEY}\n") == KEY


@pytest.mark.parametrize(
    "bad", ["", "   ", "abc", "trk_", "trk_short", "trk_has space1234", "sk_0123456789"]
)
def test_validate_rejects_in_plain_words_without_echo(bad):
    with pytest.raises(TracklyDesktopError) as info:
        validate_key_format(bad)
    text = str(info.value)
    assert text.endswith(".")
    if len(bad.strip()) > 4:  # "trk_" itself is named in the advice
        assert bad.strip() not in text


def test_set_get_remove_in_keyring(memory_keyring):
    store = KeyStore()
    assert store.persistent
    assert store.get() is None
    store.set(f" {KEY} ")
    assert store.get() == KEY
    assert KEY in memory_keyring.store.values()
    # A second store (the next app start) sees it.
    assert KeyStore().get() == KEY
    store.remove()
    assert store.get() is None
    store.remove()  # removing twice is fine


def test_repr_never_shows_key():
    store = KeyStore()
    store.set(KEY)
    assert KEY not in repr(store)
    assert KEY not in str(store)


def test_env_overrides_keyring(monkeypatch):
    store = KeyStore()
    store.set(KEY)
    assert resolve_api_key(store) == KEY
    monkeypatch.setenv("TRACKLY_API_KEY", "trk_from_environment_1")
    assert resolve_api_key(store) == "trk_from_environment_1"
    monkeypatch.setenv("TRACKLY_API_KEY", "  ")
    assert resolve_api_key(store) == KEY


def test_fail_backend_keeps_key_in_memory():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        store = KeyStore()
        assert not store.persistent
        assert "memory" in store.backend_name
        assert store.fallback_reason
        store.set(KEY)
        assert store.get() == KEY
        assert KeyStore().get() is None  # the next session does not have it
        store.remove()
        assert store.get() is None
    finally:
        keyring.set_keyring(previous)


class _BrokenKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise RuntimeError(f"dbus exploded while reading {service}")

    def set_password(self, service, username, password):
        raise RuntimeError(f"dbus exploded while storing {password}")

    def delete_password(self, service, username):
        raise RuntimeError("dbus exploded")


def test_raising_backend_falls_back_without_leaking(caplog):
    previous = keyring.get_keyring()
    keyring.set_keyring(_BrokenKeyring())
    try:
        store = KeyStore()
        assert store.persistent  # not known to be broken until it is used
        store.set(KEY)
        assert not store.persistent
        assert store.get() == KEY
        assert KEY not in caplog.text
    finally:
        keyring.set_keyring(previous)
