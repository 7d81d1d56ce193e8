"""The clock quiet hours and schedules read: the real one, or one a test moves by hand.

Everything that depends on the time of day takes a `Clock`, so tests run a whole night of
held messages in milliseconds. `wait_until` returns early when `stop` is set, and the real
clock waits in short steps re-reading the wall clock, so a laptop that slept through the
opening of a window sends as soon as it wakes instead of sleeping on for the lost time.

Across processes (a `trackly send` started by a test) the clock is a file named by
TRACKLY_FAKE_CLOCK_FILE holding an ISO 8601 time: the process reads it for "now" and, while
waiting, polls it until the test writes a later time. Nothing else ever sets that variable.
"""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

FAKE_CLOCK_ENV = "TRACKLY_FAKE_CLOCK_FILE"
_STEP_S = 15.0  # longest real wait between two readings of the wall clock
_POLL_S = 0.05  # how often a process on a file clock looks at the file


class Clock(Protocol):
    def now(self) -> datetime:
        """The time now, timezone-aware."""
        ...

    def wait_until(self, when: datetime, stop: threading.Event) -> bool:
        """Wait until `when` or until `stop` is set; True when `when` was reached."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def wait_until(self, when: datetime, stop: threading.Event) -> bool:
        while not stop.is_set():
            left = (when - self.now()).total_seconds()
            if left <= 0:
                return True
            stop.wait(min(left, _STEP_S))
        return False


class FakeClock:
    """A clock a test sets; waiting moves it forward at once (unless `frozen`)."""

    def __init__(self, start: datetime, *, frozen: bool = False) -> None:
        if start.tzinfo is None:
            raise ValueError("a fake clock needs a timezone-aware start")
        self._now = start
        self._lock = threading.Condition()
        self.frozen = frozen
        self.waits: list[datetime] = []  # every time something waited for, in order

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when
            self._lock.notify_all()

    def wait_until(self, when: datetime, stop: threading.Event) -> bool:
        with self._lock:
            self.waits.append(when)
            if not self.frozen and when > self._now:
                self._now = when
            while self._now < when and not stop.is_set():
                self._lock.wait(_POLL_S)
            return self._now >= when


class FileClock:
    """The time written in a file (see the module docstring); waits poll the file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def now(self) -> datetime:
        when = datetime.fromisoformat(self.path.read_text(encoding="utf-8").strip())
        return when if when.tzinfo is not None else when.replace(tzinfo=UTC)

    def wait_until(self, when: datetime, stop: threading.Event) -> bool:
        while not stop.is_set():
            if self.now() >= when:
                return True
            stop.wait(_POLL_S)
        return False


def default_clock() -> Clock:
    path = os.environ.get(FAKE_CLOCK_ENV)
    return FileClock(Path(path)) if path else SystemClock()


def operator_zone() -> str:
    """This computer's time zone: an IANA name when the system says, else its UTC offset."""
    named = os.environ.get("TZ", "").lstrip(":")
    if "/" in named and not named.startswith("/"):
        return named
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return "UTC" if not minutes else f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
