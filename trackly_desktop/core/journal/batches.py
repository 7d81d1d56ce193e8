"""The send engine's side of the journal: starting a run, claiming and settling batches.

Mixed into `Journal`; every method is one transaction, committed before the caller acts
on it. Order of events for one batch:
  claim_batch   rows pending -> in_flight, batch row created     (COMMIT, then the request)
  record_batch  rows in_flight -> queued / failed, batch -> done (COMMIT)
  release_batch rows in_flight -> pending (the request surely did not reach Trackly)
  mark_uncertain rows in_flight -> uncertain (it may have; never resent blindly)
A process killed between claim and settle leaves rows in_flight; `begin_run` turns them
into uncertain, and resends them with the duplicate check on unless the campaign skips it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

from trackly_desktop.contract import MAX_BATCH_MESSAGES, MAX_REQUEST_BYTES
from trackly_desktop.core.campaign.spec import SendOptions
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.journal.schema import (
    BATCH_DONE,
    BATCH_IN_FLIGHT,
    BATCH_RELEASED,
    BATCH_UNCERTAIN,
    CONFIRMED_BY_CHECK,
    DONE,
    EXCLUDED,
    FAILED,
    IN_FLIGHT,
    PENDING,
    QUEUED,
    RECHECK_WINDOW_S,
    SENDING,
    UNCERTAIN,
    ClaimedBatch,
)
from trackly_desktop.core.journal.sender_lock import SenderLock
from trackly_desktop.core.recipients.reasons import DO_NOT_TEXT
from trackly_desktop.core.sqlite_writes import write_transaction

# Campaigns being sent by an engine in this process (a second engine on one is refused),
# with the lock that tells other processes so.
_running: dict[tuple[str, int], SenderLock] = {}
_running_lock = threading.Lock()

# phones (E.164) -> those on the do-not-text list now
Blocked = Callable[[list[str]], set[str]]
_DO_NOT_TEXT_WORDS = "This number is on your do-not-text list; it was not texted."

# A bulk request's envelope around its messages, with room to spare.
_ENVELOPE_BYTES = 1024


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class BatchBookkeeping:
    _conn: sqlite3.Connection
    _lock: threading.RLock
    _cursors: dict[int, int]
    path: object

    def id_range(self, campaign_id: int) -> tuple[int, int]:  # pragma: no cover - in Journal
        raise NotImplementedError

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return write_transaction(self._conn, self._lock)

    def begin_run(
        self, campaign_id: int, *, duplicate_window_s: float = RECHECK_WINDOW_S
    ) -> SendOptions:
        """Claim the campaign for this process, recover a crashed run; returns its options.

        Rows that may have gone out are resent (under the duplicate check) only when their
        request is younger than `duplicate_window_s`; older ones stay "not sure"."""
        key = (str(self.path), campaign_id)
        with _running_lock:
            if key in _running:
                raise CampaignError("This campaign is already being sent.")
            lock = SenderLock(self.path, campaign_id)
            if not lock.acquire():
                raise CampaignError(
                    "This campaign is being sent by another Trackly window or command."
                )
            _running[key] = lock
        try:
            with self._tx() as conn:
                # Holding the lock settles it: a campaign still marked as sending had a
                # sender that died (the OS dropped its lock), so its run is recovered here.
                row = conn.execute(
                    "SELECT options FROM campaigns WHERE id=?", (campaign_id,)
                ).fetchone()
                if row is None:
                    raise CampaignError(
                        f"There is no campaign number {campaign_id} in the send history."
                    )
                options = SendOptions.from_json(row[0])
                first, last = self.id_range(campaign_id)
                # Whatever was in flight when the last run died may or may not have gone out.
                conn.execute(
                    "UPDATE outcomes SET outcome=? WHERE id BETWEEN ? AND ? AND outcome=?",
                    (UNCERTAIN, first, last, IN_FLIGHT),
                )
                conn.execute(
                    "UPDATE batches SET state=?, finished=? WHERE campaign_id=? AND state=?",
                    (BATCH_UNCERTAIN, _stamp(), campaign_id, BATCH_IN_FLIGHT),
                )
                if not options.skip_duplicate_check:
                    self._recover_for_resend(conn, campaign_id, first, last, duplicate_window_s)
                self._cursors.pop(campaign_id, None)
                conn.execute(
                    "UPDATE campaigns SET state=?, runner_pid=?, updated=?,"
                    " started=COALESCE(started, ?), finished=NULL, last_message='' WHERE id=?",
                    (SENDING, os.getpid(), _stamp(), _stamp(), campaign_id),
                )
            return options
        except BaseException:
            with _running_lock:
                _running.pop(key).release()
            raise

    @staticmethod
    def _recover_for_resend(
        conn: sqlite3.Connection, campaign_id: int, first: int, last: int, window_s: float
    ) -> None:
        """Queue again the rows that may have gone out, while the duplicate check covers them.

        The provider's duplicate check remembers a message for a limited time (10 minutes in
        the sandbox), so only rows whose last request is younger than `window_s` are
        resent automatically; older ones stay uncertain for the operator, as do rows put back
        for a recheck whose window has since passed. Rows the operator chose to resend have
        no batch (their decision stands).
        """
        cutoff = (datetime.now(UTC) - timedelta(seconds=window_s)).isoformat(
            timespec="seconds"
        )
        recent = "SELECT id FROM batches WHERE campaign_id=? AND created >= ?"
        conn.execute(
            "UPDATE outcomes SET outcome=?, recheck=1 WHERE id BETWEEN ? AND ? AND outcome=?"
            f" AND (batch_id IS NULL OR batch_id IN ({recent}))",
            (PENDING, first, last, UNCERTAIN, campaign_id, cutoff),
        )
        conn.execute(
            "UPDATE outcomes SET outcome=? WHERE id BETWEEN ? AND ? AND outcome=? AND recheck=1"
            f" AND batch_id IS NOT NULL AND batch_id NOT IN ({recent})",
            (UNCERTAIN, first, last, PENDING, campaign_id, cutoff),
        )

    def end_run(self, campaign_id: int, state: str, message: str = "") -> None:
        try:
            with self._tx() as conn:
                conn.execute(
                    "UPDATE campaigns SET state=?, runner_pid=0, updated=?, last_message=?,"
                    " finished=CASE WHEN ?=? THEN ? ELSE finished END WHERE id=?",
                    (state, _stamp(), message, state, DONE, _stamp(), campaign_id),
                )
        finally:
            with _running_lock:
                lock = _running.pop((str(self.path), campaign_id), None)
            if lock is not None:
                lock.release()

    def set_state(self, campaign_id: int, state: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE campaigns SET state=?, updated=? WHERE id=?",
                (state, _stamp(), campaign_id),
            )

    def claim_batch(
        self,
        campaign_id: int,
        max_messages: int = MAX_BATCH_MESSAGES,
        max_bytes: int = MAX_REQUEST_BYTES,
        *,
        groups: Sequence[int] | None = None,
        blocked: Blocked | None = None,
    ) -> ClaimedBatch | None:
        """Take the next pending rows and commit them as one batch in flight.

        `groups`: only rows of these quiet groups (and rows without one) may go now; the
        others are held. None: every pending row may go.

        `blocked(phones)` returns those of `phones` on the do-not-text list now: such rows
        become `excluded` in the same transaction and are not in the batch. When every row
        taken was excluded, the batch has no rows (and no batch is recorded): claim again.
        """
        first, last = self.id_range(campaign_id)
        with self._tx() as conn:
            start = self._cursors.get(campaign_id, first)
            rows = self._pending(conn, start, last, max_messages, groups)
            if not rows and campaign_id in self._cursors:
                # Rows put back behind the cursor (by another Journal on the same file), or
                # held rows skipped earlier whose window has opened since.
                rows = self._pending(conn, first, last, max_messages, groups)
            if not rows:
                self._cursors.pop(campaign_id, None)
                return None
            excluded = 0
            if blocked is not None:
                stop = blocked([r[4] for r in rows])
                if stop:
                    out = [r[0] for r in rows if r[4] in stop]
                    conn.executemany(
                        "UPDATE outcomes SET outcome=?, code=?, error=?, recheck=0 WHERE id=?",
                        [(EXCLUDED, DO_NOT_TEXT, _DO_NOT_TEXT_WORDS, i) for i in out],
                    )
                    excluded = len(out)
                    self._cursors[campaign_id] = rows[-1][0] + 1
                    rows = [r for r in rows if r[4] not in stop]
                    if not rows:
                        return ClaimedBatch(0, [], [], [], [], excluded=excluded)
            ids, row_numbers, payloads, rechecks, phones = zip(*rows, strict=True)
            # +1 for the comma; 60 for the skip flags the engine may append. A character
            # is at most 4 bytes of UTF-8, so most batches are proved small without
            # encoding anything; only a batch that might be too big is measured exactly.
            fixed = _ENVELOPE_BYTES + 61 * len(rows)
            if fixed + 4 * sum(map(len, payloads)) > max_bytes:
                taken = _fitting(payloads, max_bytes)
                ids, row_numbers = ids[:taken], row_numbers[:taken]
                payloads, rechecks = payloads[:taken], rechecks[:taken]
                phones = phones[:taken]
            recheck = list(map(bool, rechecks))
            cur = conn.execute(
                "INSERT INTO batches (campaign_id, state, size, recheck, created)"
                " VALUES (?, ?, ?, ?, ?)",
                (campaign_id, BATCH_IN_FLIGHT, len(ids), int(any(recheck)), _stamp()),
            )
            batch_id = int(cur.lastrowid or 0)
            if groups is None:
                # Pending rows are taken in id order, so the id range holds exactly these rows
                # (rows excluded just now are no longer pending).
                conn.execute(
                    "UPDATE outcomes SET outcome=?, batch_id=?"
                    " WHERE id BETWEEN ? AND ? AND outcome=?",
                    (IN_FLIGHT, batch_id, ids[0], ids[-1], PENDING),
                )
            else:  # held rows may sit between them
                conn.executemany(
                    "UPDATE outcomes SET outcome=?, batch_id=? WHERE id=? AND outcome=?",
                    [(IN_FLIGHT, batch_id, i, PENDING) for i in ids],
                )
            self._cursors[campaign_id] = ids[-1] + 1
        return ClaimedBatch(
            id=batch_id,
            recipient_ids=list(ids),
            rows=list(row_numbers),
            payloads=list(payloads),
            recheck=recheck,
            phones=list(phones),
            excluded=excluded,
        )

    @staticmethod
    def _pending(
        conn: sqlite3.Connection,
        start: int,
        last: int,
        limit: int,
        groups: Sequence[int] | None = None,
    ) -> list[tuple]:
        if groups is None:
            return conn.execute(
                "SELECT o.id, r.row, r.payload, o.recheck, r.phone FROM outcomes o"
                " JOIN recipient_rows r ON r.id = o.id"
                " WHERE o.id BETWEEN ? AND ? AND o.outcome=? ORDER BY o.id LIMIT ?",
                (start, last, PENDING, limit),
            ).fetchall()
        marks = ",".join("?" * len(groups))
        return conn.execute(
            "SELECT o.id, r.row, r.payload, o.recheck, r.phone FROM outcomes o"
            " JOIN recipient_rows r ON r.id = o.id"
            " WHERE o.id BETWEEN ? AND ? AND o.outcome=?"
            f" AND (r.quiet_group IS NULL OR r.quiet_group IN ({marks}))"
            " ORDER BY o.id LIMIT ?",
            (start, last, PENDING, *groups, limit),
        ).fetchall()

    def record_batch(
        self,
        campaign_id: int,
        batch: ClaimedBatch,
        failures: Iterable[tuple[int, str, str]] = (),
        *,
        confirmed: Iterable[int] = (),
        message_ids: Iterable[tuple[int, str]] = (),
        note: str = "",
        rest: str = QUEUED,
    ) -> None:
        """Settle a batch Trackly answered: `failures` are (index, code, text), the rest queued.

        `confirmed`: the indexes of messages sent again after a lost answer that Trackly's
        duplicate check said had gone out; queued, and kept with that code
        (`CONFIRMED_BY_CHECK`) so the campaign's results can say so later.
        `rest=UNCERTAIN` when the answer could not be matched to its messages one by one.
        """
        ids = batch.recipient_ids
        with self._tx() as conn:
            failed = [(FAILED, code, text, ids[i]) for i, code, text in failures]
            if failed:
                conn.executemany(
                    "UPDATE outcomes SET outcome=?, code=?, error=?, recheck=0 WHERE id=?", failed
                )
                # A fresh failure needs a fresh fix before "retry failed" takes the row again.
                conn.executemany(
                    "UPDATE recipient_rows SET edited=0 WHERE id=?", [(f[3],) for f in failed]
                )
            conn.executemany(
                "UPDATE outcomes SET message_id=? WHERE id=?",
                [(mid, ids[i]) for i, mid in message_ids],
            )
            conn.execute(
                "UPDATE outcomes SET outcome=?, code=NULL, error=NULL, recheck=?"
                " WHERE id BETWEEN ? AND ? AND batch_id=? AND outcome=?",
                (rest, int(rest != QUEUED), ids[0], ids[-1], batch.id, IN_FLIGHT),
            )
            conn.executemany(
                "UPDATE outcomes SET code=? WHERE id=? AND outcome=?",
                [(CONFIRMED_BY_CHECK, ids[i], QUEUED) for i in confirmed],
            )
            self._finish_batch(conn, batch.id, BATCH_DONE, note)

    def release_batch(self, campaign_id: int, batch: ClaimedBatch, *, recheck: bool) -> None:
        """The request did not reach Trackly (or was refused whole): rows go back to pending.

        `recheck`: an earlier attempt of this batch may have gone out, so its resend must be
        judged by the duplicate check.
        """
        self._move_batch(campaign_id, batch, PENDING, BATCH_RELEASED, recheck=recheck)

    def mark_uncertain(self, campaign_id: int, batch: ClaimedBatch, note: str = "") -> None:
        self._move_batch(campaign_id, batch, UNCERTAIN, BATCH_UNCERTAIN, recheck=True, note=note)

    def _move_batch(
        self,
        campaign_id: int,
        batch: ClaimedBatch,
        outcome: str,
        batch_state: str,
        *,
        recheck: bool,
        note: str = "",
    ) -> None:
        ids = batch.recipient_ids
        with self._tx() as conn:
            conn.execute(
                "UPDATE outcomes SET outcome=?, recheck=MAX(recheck, ?)"
                " WHERE id BETWEEN ? AND ? AND batch_id=? AND outcome=?",
                (outcome, int(recheck), ids[0], ids[-1], batch.id, IN_FLIGHT),
            )
            if outcome == PENDING:
                self._cursors.pop(campaign_id, None)
            self._finish_batch(conn, batch.id, batch_state, note)

    @staticmethod
    def _finish_batch(conn: sqlite3.Connection, batch_id: int, state: str, note: str) -> None:
        conn.execute(
            "UPDATE batches SET state=?, finished=?, note=? WHERE id=?",
            (state, _stamp(), note, batch_id),
        )


def _fitting(payloads: tuple[str, ...], max_bytes: int) -> int:
    """How many payloads (at least one) fit in a request of `max_bytes`, measured in UTF-8."""
    size = _ENVELOPE_BYTES
    taken = 0
    for payload in payloads:
        grow = len(payload.encode("utf-8")) + 61
        if taken and size + grow > max_bytes:
            break
        size += grow
        taken += 1
    return taken
