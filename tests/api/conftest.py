"""Fixtures for the API tests: a client and a raw HTTP session against the `sandbox` fixture."""

from __future__ import annotations

import httpx
import pytest

from trackly_desktop.api.client import TracklyClient
from trackly_desktop.sandbox.demo_data import DEMO_API_KEY


class SleepRecorder:
    """Stands in for time.sleep: records each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def client(sandbox, sleeps):
    """A TracklyClient on the sandbox with the demo key; retries wait through `sleeps`."""
    with TracklyClient(DEMO_API_KEY, sandbox.base_url, sleep=sleeps, timeout=10.0) as c:
        yield c


@pytest.fixture
def raw(sandbox):
    """A plain httpx session on the sandbox's /api root carrying the demo key."""
    with httpx.Client(
        base_url=sandbox.base_url, headers={"X-Api-Key": DEMO_API_KEY}, trust_env=False
    ) as session:
        yield session
