"""Claiming a run's batches from the journal, one batch ahead when that is safe.

Claiming a batch (reading its payloads, committing it as in flight) takes the engine's
thread a few milliseconds. Done only when a slot frees, that time sits between one
answer and the next request on every slot. So while every slot is busy, the next batch
is claimed ahead: when a slot frees, its request goes out at once.

A batch claimed ahead is committed as in flight before its request exists, so the
journal never under-states what may be out. If the app dies before the request is sent,
the next run finds those rows in flight and treats them as possibly sent: with the
duplicate check on, they are resent under it (harmless); with `skip_duplicate_check`
they would wrongly become "uncertain" for the operator, so such campaigns are never
claimed ahead. A batch still unsent when the run stops or pauses goes back to pending.

Each claim asks the do-not-text list about its numbers at that moment (`blocked`): a
number added by anyone (another window, `trackly optouts add`) while the campaign was
paused or stopped is excluded, not sent, when it resumes or is retried.
"""

from __future__ import annotations

from trackly_desktop.core.journal.batches import Blocked
from trackly_desktop.core.journal.schema import ClaimedBatch
from trackly_desktop.core.journal.store import Journal


class BatchClaims:
    """The engine's source of batches for one run (used from the engine's thread only)."""

    def __init__(
        self,
        journal: Journal,
        campaign_id: int,
        max_messages: int,
        max_bytes: int,
        *,
        ahead: bool,
        blocked: Blocked | None = None,
    ) -> None:
        self._journal = journal
        self._campaign_id = campaign_id
        self._max_messages = max_messages
        self._max_bytes = max_bytes
        self._ahead = ahead
        self._ready: ClaimedBatch | None = None
        self._nothing_left = False  # the last claim ahead found no pending row
        # Quiet hours: the groups whose rows may go now (None: every row may go).
        self.groups: list[int] | None = None
        self._blocked = blocked
        self._excluded = 0  # rows found on the do-not-text list, not yet reported

    def next(self) -> ClaimedBatch | None:
        """The batch to send now (the one claimed ahead, if any), or None when none is left."""
        batch, self._ready = self._ready, None
        if batch is None:
            batch = self._claim()
        return batch

    def claim_ahead(self) -> None:
        """Claim the next batch now, so that it is ready when a slot frees."""
        if self._ahead and self._ready is None and not self._nothing_left:
            self._ready = self._claim()
            self._nothing_left = self._ready is None

    def rows_returned(self) -> None:
        """Rows went back to pending (a released batch) or held rows' window opened: there
        is something to claim again."""
        self._nothing_left = False

    def give_back(self) -> None:
        """Return a batch claimed ahead and never sent to pending (on pause or stop)."""
        batch, self._ready = self._ready, None
        if batch is not None:
            self._journal.release_batch(self._campaign_id, batch, recheck=False)

    def take_excluded(self) -> int:
        """Rows excluded (do-not-text list) since the last call."""
        count, self._excluded = self._excluded, 0
        return count

    def _claim(self) -> ClaimedBatch | None:
        while True:
            batch = self._journal.claim_batch(
                self._campaign_id,
                self._max_messages,
                self._max_bytes,
                groups=self.groups,
                blocked=self._blocked,
            )
            if batch is None:
                return None
            self._excluded += batch.excluded
            if batch.rows:
                return batch
