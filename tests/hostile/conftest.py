"""Fixtures for the hostile-world tests: a hostile loopback server (see hostile_server.py)."""

from __future__ import annotations

import pytest
from hostile_server import HostileServer


@pytest.fixture
def hostile():
    """A HostileServer on an ephemeral loopback port, stopped (threads joined) after the test."""
    with HostileServer() as server:
        yield server
