"""Fixtures shared by every test.

- Qt runs offscreen (set before anything imports Qt).
- Every test gets its own app home (settings, journal, logs) under tmp_path.
- Every test gets an in-memory keyring, so no test touches a real one by accident
  (the `real_keyring` tests opt out and talk to a real Secret Service).
- A test that leaves a Python thread running fails.
"""

from __future__ import annotations

import os
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

import keyring
import keyring.backend
import pytest

# Threads owned by long-lived test infrastructure, not by the code under test.
_ALLOWED_THREAD_PREFIXES = ("pytest_timeout", "trackly-session-")


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def app_home(tmp_path, monkeypatch):
    """Point every user folder of the app at a fresh temporary directory."""
    home = tmp_path / "trackly-home"
    monkeypatch.setenv("TRACKLY_DESKTOP_HOME", str(home))
    monkeypatch.delenv("TRACKLY_API_KEY", raising=False)
    return home


# Quiet hours hold messages by each person's local time, so a test's outcome must not depend
# on when it runs: every test (and every `trackly` it starts) reads this fixed time, a
# Monday at 2 pm in New York, when every US zone and the UK are inside texting hours.
# Tests about quiet hours set their own clock (core.audience.clock).
TEST_NOW = "2026-12-07T14:00:00-05:00"


@pytest.fixture(autouse=True)
def fixed_clock(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("clock") / "now"
    path.write_text(TEST_NOW, encoding="utf-8")
    monkeypatch.setenv("TRACKLY_FAKE_CLOCK_FILE", str(path))
    return path


@pytest.fixture(autouse=True)
def memory_keyring(request):
    if request.node.get_closest_marker("real_keyring"):
        yield None
        return
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def _running_qthreads() -> frozenset[int]:
    """Worker QThreads running now. On Python 3.11 an ended QThread stays listed as an
    alive `_DummyThread` (ui/workers.py says why), and a new one may reuse its ident, so
    a dummy counts as running only while its QThread runs."""
    workers = sys.modules.get("trackly_desktop.ui.workers")
    return workers.running_thread_idents() if workers is not None else frozenset()


def _thread_snapshot() -> set[int]:
    return {t.ident for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


def _foreign_threads(before: set[int]) -> list[threading.Thread]:
    """Threads running now that were not when `before` (a `_thread_snapshot`) was taken."""
    running_qthreads = _running_qthreads()
    return [
        t
        for t in threading.enumerate()
        if t.ident not in before
        and t.is_alive()
        and not t.name.startswith(_ALLOWED_THREAD_PREFIXES)
        and (not isinstance(t, threading._DummyThread) or t.ident in running_qthreads)
    ]


@pytest.fixture(autouse=True)
def no_thread_left_behind():
    """Fail a test that leaves a Python thread running (after a short grace period)."""
    before = _thread_snapshot() | _running_qthreads()
    yield
    deadline = time.monotonic() + 5.0
    leftover = _foreign_threads(before)
    while leftover and time.monotonic() < deadline:
        time.sleep(0.05)
        leftover = _foreign_threads(before)
    if leftover:
        names = ", ".join(sorted(t.name for t in leftover))
        pytest.fail(f"test left threads running: {names}")


@pytest.fixture
def sandbox():
    """A SandboxServer on an ephemeral loopback port (seeded), stopped after the test.

    `sandbox.base_url` is the client's base URL; `sandbox.ledger` holds what was queued;
    `sandbox.faults` can be changed during the test. stop() joins every server thread.
    """
    from trackly_desktop.sandbox.server import SandboxServer

    server = SandboxServer(seed=1234)
    server.start()
    try:
        yield server
    finally:
        server.stop()
