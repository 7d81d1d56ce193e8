"""What the send engine reports: progress while it runs, a report when it returns."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from trackly_desktop.api.errors import AuthError
from trackly_desktop.core.journal.schema import CANCELLED, DONE, INTERRUPTED, STOPPED_AUTH
from trackly_desktop.core.plurals import counted


def describe_duration(seconds: float) -> str:
    """A time left as people say it: "45 s", "3 min 05 s", "2 h 10 min"."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@dataclass(frozen=True)
class SendProgress:
    sent: int
    failed: int
    uncertain: int
    remaining: int
    total: int
    rate_per_s: float
    eta_s: float | None  # None until a rate is known
    # Quiet hours: of `remaining`, how many are held for their window, and when the next
    # window opens (None when nothing is held, or no held row will ever open).
    held: int = 0
    opens_at: datetime | None = None
    # Sending later: the moment the campaign starts, while it waits for it.
    scheduled_for: datetime | None = None
    # Trackly's answer about these messages was lost: they are being sent again with the
    # duplicate check on, which tells whether they had gone out.
    checking_again: int = 0
    # Messages sent again after a lost answer that the duplicate check confirmed had gone
    # out the first time (counted in `sent`; nobody got a second copy).
    confirmed_by_check: int = 0

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.uncertain


@dataclass(frozen=True)
class SendReport:
    campaign_id: int
    state: str  # the campaign's state after the run (done, cancelled, stopped_auth, ...)
    sent: int
    failed: int
    uncertain: int
    remaining: int
    total: int
    elapsed_s: float
    batches: int
    key_rejected: bool
    message: str  # one plain-language summary for the operator
    excluded: int = 0  # found on the do-not-text list during this run, not sent
    confirmed_by_check: int = 0  # see SendProgress

    @property
    def all_sent(self) -> bool:
        return self.sent == self.total


class RateMeter:
    """Messages per second over the last few seconds of sending (paused time excluded)."""

    WINDOW_S = 10.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._paused_total = 0.0
        self._paused_at: float | None = None
        self._events: deque[tuple[float, int]] = deque()
        self._window_start = self._start  # the rate window never reaches back past a pause

    def add(self, n: int) -> None:
        with self._lock:
            now = time.monotonic()
            self._events.append((now, n))
            while self._events and now - self._events[0][0] > self.WINDOW_S:
                self._events.popleft()

    def pause(self) -> None:
        with self._lock:
            self._paused_at = time.monotonic()
            self._events.clear()

    def resume(self) -> None:
        with self._lock:
            if self._paused_at is not None:
                self._paused_total += time.monotonic() - self._paused_at
                self._paused_at = None
            self._window_start = time.monotonic()

    def elapsed(self) -> float:
        with self._lock:
            end = self._paused_at if self._paused_at is not None else time.monotonic()
            return end - self._start - self._paused_total

    def rate(self) -> float:
        with self._lock:
            if not self._events:
                return 0.0
            now = time.monotonic()
            span = now - max(now - self.WINDOW_S, self._window_start)
            total = sum(n for _, n in self._events)
            return total / span if span > 0 else 0.0


@dataclass
class Tally:
    """The running counts of one engine run."""

    sent: int
    failed: int
    uncertain: int
    remaining: int
    total: int
    excluded: int = 0  # found on the do-not-text list during this run
    confirmed_by_check: int = 0  # already sent, said the duplicate check after a lost answer


_UNREACHABLE = ("connection_failed", "timeout", "deadline")


def final_state(
    stop_reason: str,
    tally: Tally,
    auth_error: AuthError | None,
    *,
    cancelled: bool,
    odd_answer: str = "",
    service_note: str = "",
) -> tuple[str, str]:
    """The campaign's state after a run, and one plain-language summary for the operator.

    `odd_answer` is what was odd about the answer that stopped it ("odd_answer"), and
    `service_note` the last failure's code and words when Trackly stopped answering."""
    if auth_error is not None:
        return STOPPED_AUTH, (
            f"Trackly did not accept the API key: {auth_error.explanation}. "
            "Nothing was lost; check the key, then resume to continue where it stopped."
        )
    if stop_reason == "odd_answer":
        return INTERRUPTED, (
            f"Sending stopped: {odd_answer.rstrip('.')}. The messages of that request are "
            "marked “not sure” for you to check; nothing else was sent. Check the server "
            "address, then resume."
        )
    if stop_reason == "service" and "web page" in service_note:
        return INTERRUPTED, (
            "The server address answered with a web page instead of Trackly's answer, "
            "after several tries. Nothing was lost; check the server address, then resume."
        )
    code = service_note.split(":", maxsplit=1)[0]
    if stop_reason == "service" and code == "deadline":
        return INTERRUPTED, (
            "Trackly took too long to answer, several times, so the app stopped waiting. "
            "Nothing was lost; resume later to continue where it stopped."
        )
    if stop_reason == "service" and code and code not in _UNREACHABLE:
        return INTERRUPTED, (
            "Trackly kept answering with errors after several tries "
            f"({service_note[:200]}). Nothing was lost; resume later to continue where "
            "it stopped."
        )
    if stop_reason == "service":
        return INTERRUPTED, (
            "Trackly could not be reached after several tries. Nothing was lost; "
            "resume later to continue where it stopped."
        )
    if stop_reason == "crash":
        return INTERRUPTED, "Sending stopped because of an unexpected error."
    if tally.remaining and cancelled:
        return CANCELLED, (
            f"Cancelled: {tally.sent:,} sent, {tally.remaining:,} not sent yet. "
            "Resume to send the rest."
        )
    if tally.remaining:
        # Not cancelled, yet rows are left: held rows whose window never opens.
        return INTERRUPTED, (
            f"{tally.sent:,} sent; {tally.remaining:,} held: no hour is within texting "
            "hours in every time zone their numbers may be in. Map a time-zone or state "
            "column to place them, then resume."
        )
    parts = [f"{tally.sent:,} sent"]
    if tally.failed:
        parts.append(f"{tally.failed:,} failed")
    if tally.uncertain:
        parts.append(f"{tally.uncertain:,} uncertain (check before resending)")
    if tally.excluded:
        parts.append(f"{tally.excluded:,} not texted (on your do-not-text list)")
    confirmed = confirmed_by_check_words(tally.confirmed_by_check)
    return DONE, "Finished: " + ", ".join(parts) + "." + (f" {confirmed}" if confirmed else "")


def confirmed_by_check_words(n: int) -> str:
    """Lost answers the duplicate check settled, in words ("" when none): the Send step
    shows it under the progress and `trackly send` at the end."""
    if not n:
        return ""
    were, they = ("was", "it") if n == 1 else ("were", "they")
    return (
        f"{counted(n, 'message')} whose answer was lost {were} checked again: Trackly's "
        f"duplicate check confirmed {they} had gone out, so nobody got a second copy."
    )
