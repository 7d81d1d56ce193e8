"""KeyStore against a real Secret Service: gnome-keyring-daemon under dbus-run-session.

CI installs dbus, gnome-keyring and libsecret-tools (.ci/run); without them these tests
are skipped with the reason on a developer's machine, and FAIL in CI (CI=true), where a
skip would hide that the real keyring was never tested. The daemon gets its own throw-away
HOME, so no real keyring is touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import keyring
import pytest

from trackly_desktop.secrets import ACCOUNT_NAME, SERVICE_NAME, KeyStore, resolve_api_key

KEY = "trk_real_keyring_0123456789"

_SESSION_SCRIPT = """
echo "BUS=$DBUS_SESSION_BUS_ADDRESS"
printf 'trackly-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
echo READY
exec sleep 3600
"""


def _unavailable(reason: str) -> None:
    """Skip here; in CI, where the tools are installed on purpose, fail instead."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must test the real keyring, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def secret_service(tmp_path, monkeypatch):
    """A private session bus with an unlocked gnome-keyring; yields the SecretService backend."""
    missing = [b for b in ("gnome-keyring-daemon", "dbus-run-session") if not shutil.which(b)]
    if missing:
        _unavailable(f"no real Secret Service here: {', '.join(missing)} not installed")
    home = tmp_path / "keyring-home"
    (home / "run").mkdir(parents=True)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_RUNTIME_DIR": str(home / "run")}  # fmt: skip
    session = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", _SESSION_SCRIPT],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, ended as one below
    )
    try:
        assert session.stdout is not None
        address = ""
        for line in session.stdout:
            if line.startswith("BUS="):
                address = line[4:].strip()
            if line.startswith("READY"):
                break
        assert address, "dbus-run-session gave no bus address"
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        from keyring.backends import SecretService  # needs the bus address set first

        backend = SecretService.Keyring()
        previous = keyring.get_keyring()
        keyring.set_keyring(backend)
        try:
            yield backend
        finally:
            keyring.set_keyring(previous)
    finally:
        os.killpg(session.pid, signal.SIGTERM)
        session.stdout.close()
        try:
            session.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(session.pid, signal.SIGKILL)
            session.wait(timeout=10)


@pytest.mark.real_keyring
class TestRealKeyring:
    def test_set_get_remove_round_trip(self, secret_service):
        store = KeyStore()
        assert store.persistent, store.fallback_reason
        assert "memory" not in store.backend_name
        assert store.get() is None
        store.set(f"  {KEY}\n")
        # Read back through the daemon with a fresh store, as the next app start would.
        assert KeyStore().get() == KEY
        assert secret_service.get_password(SERVICE_NAME, ACCOUNT_NAME) == KEY
        assert resolve_api_key() == KEY
        store.remove()
        assert KeyStore().get() is None
        store.remove()  # removing a key that is not there is fine

    def test_key_is_visible_to_secret_tool(self, secret_service):
        if not shutil.which("secret-tool"):
            _unavailable("secret-tool (libsecret-tools) not installed")
        KeyStore().set(KEY)
        deadline = time.monotonic() + 10
        found = ""
        while time.monotonic() < deadline and not found:
            result = subprocess.run(
                ["secret-tool", "lookup", "service", SERVICE_NAME, "username", ACCOUNT_NAME],
                capture_output=True, text=True, timeout=10, check=False,
            )  # fmt: skip
            found = result.stdout.strip()
        assert found == KEY
        KeyStore().remove()
