"""Fixtures for the window tests: a Session on the test's own app home, and no worker left.

Every background task started through `ui/workers.py` is cancelled and joined after each
test, so a test that forgets to wait cannot leak a thread into the next one.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def join_background_tasks():
    yield
    from trackly_desktop.ui import workers

    assert workers.shutdown_all(timeout=15.0), "a background task did not stop"


@pytest.fixture
def session(qtbot):
    """A fresh Session with default settings and the in-memory keyring of the test."""
    from trackly_desktop.secrets import KeyStore
    from trackly_desktop.settings import Settings
    from trackly_desktop.ui.session import Session

    return Session(Settings(default_country="US"), KeyStore())


@pytest.fixture
def sample_xlsx():
    from trackly_desktop.resource_files import resource_path

    return resource_path("sample_contacts.xlsx")


@pytest.fixture
def sample_csv():
    from trackly_desktop.resource_files import resource_path

    return resource_path("sample_contacts.csv")
