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
"""

from __future__ import annotations

from trackly_desktop.core.journal import Journal
from trackly_desktop.core.journal_schema import ClaimedBatch


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

    def _claim(self) -> ClaimedBatch | None:
        return self._journal.claim_batch(
            self._campaign_id, self._max_messages, self._max_bytes, groups=self.groups
        )
