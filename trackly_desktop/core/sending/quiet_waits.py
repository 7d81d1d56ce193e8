"""The send engine's waits: for a scheduled campaign's due time, and for held messages'
windows to open (quiet hours in each person's own time zone, see core.audience).

The engine asks `open_groups()` before each claim, so only rows inside their window are
taken; when nothing else is left it calls `wait_for_window()`, which records the campaign
as waiting and sleeps on the clock until the earliest opening (or until the run is
stopped). Held rows stay `pending` in the journal the whole time: a run that ends, is
killed or sleeps with the laptop leaves them there for the next one, which again releases
each only inside its window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from trackly_desktop.core.audience.clock import Clock
from trackly_desktop.core.audience.release import QuietRelease
from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.journal.schema import SCHEDULED, SENDING, WAITING
from trackly_desktop.core.journal.store import Journal

# A waiting sender looks at the journal this often (clock time) for a changed or
# cancelled schedule.
_SCHEDULE_CHECK = timedelta(minutes=1)


class QuietWaits:
    def __init__(
        self,
        journal: Journal,
        campaign_id: int,
        clock: Clock,
        options: SendOptions,
        stop: threading.Event,
        *,
        on_cancelled: Callable[[], None],
    ) -> None:
        self._journal = journal
        self._campaign_id = campaign_id
        self._clock = clock
        self._stop = stop
        self._on_cancelled = on_cancelled
        groups = {} if options.ignore_quiet_hours else journal.quiet_groups(campaign_id)
        self._release = QuietRelease(groups) if groups else None

    def open_groups(self) -> list[int] | None:
        """The quiet groups whose rows may be claimed now (None: every row may go)."""
        if self._release is None:
            return None
        return self._release.plan(self._clock.now()).open_groups

    def wait_for_schedule(self, report: Callable[[datetime], None]) -> None:
        """Wait until the campaign's due time (if it has one still ahead)."""
        journal, cid = self._journal, self._campaign_id
        due = journal.scheduled_for(cid)
        if due is None or self._clock.now() >= due:
            return
        journal.set_state(cid, SCHEDULED)
        while not self._stop.is_set():
            report(due)
            step = min(due, self._clock.now() + _SCHEDULE_CHECK)
            self._clock.wait_until(step, self._stop)
            if self._stop.is_set():
                return
            if journal.state(cid) != SCHEDULED:  # cancelled in History or another window
                self._on_cancelled()
                return
            due = journal.scheduled_for(cid)
            if due is None or self._clock.now() >= due:
                break
        journal.set_state(cid, SENDING)

    def wait_for_window(self, report: Callable[[int, datetime | None], None]) -> bool:
        """Only held rows are left: wait for the next window to open. True when rows may
        be claimed again; False when nothing is held, no held row will ever open, or the
        run was stopped meanwhile."""
        if self._release is None:
            return False
        journal, cid = self._journal, self._campaign_id
        pending = journal.pending_by_group(cid)
        waiting = [g for g in pending if g is not None and g in self._release.groups]
        if not waiting or None in pending:
            return False
        plan = self._release.plan(self._clock.now(), waiting)
        if plan.open_groups:
            return True  # opened while the last batches were out
        if plan.next_opening is None:
            return False
        journal.set_state(cid, WAITING)
        report(sum(pending.values()), plan.next_opening)
        reached = self._clock.wait_until(plan.next_opening, self._stop)
        if self._stop.is_set():
            return False
        journal.set_state(cid, SENDING)
        return reached
