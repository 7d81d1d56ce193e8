"""The journal's side of quiet hours and sending later: quiet groups, held rows, schedules.

Mixed into `Journal`. A campaign's quiet groups are written with it (`insert_quiet_groups`,
inside `create_campaign`'s transaction) and never change: the rules in force when the
operator pressed Send are the rules its messages are released by, even after a restart.
Held rows are plain `pending` rows of a closed group, so a crash, a restart or a laptop
that slept loses none of them and the usual claim/settle bookkeeping sends each once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from trackly_desktop.core.audience.local_times import QuietGroup
from trackly_desktop.core.audience.quiet_hours import Window
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.journal.schema import (
    CANCELLED,
    NEW,
    PENDING,
    SCHEDULED,
    CampaignSummary,
)
from trackly_desktop.core.sqlite_writes import write_transaction


def utc_iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def insert_quiet_groups(
    conn: sqlite3.Connection, campaign_id: int, groups: Sequence[QuietGroup] | None
) -> list[int] | None:
    """Store a campaign's groups; returns their ids in the order given (None: no groups)."""
    if groups is None:
        return None
    ids = []
    for group in groups:
        cur = conn.execute(
            "INSERT INTO quiet_groups (campaign_id, zones, regions, window, guessed)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                campaign_id,
                json.dumps(list(group.zones)),
                json.dumps(list(group.regions)),
                json.dumps([list(h) if h is not None else None for h in group.window.days]),
                int(group.guessed),
            ),
        )
        ids.append(int(cur.lastrowid or 0))
    return ids


class QuietBookkeeping:
    _conn: sqlite3.Connection
    _lock: threading.RLock

    def id_range(self, campaign_id: int) -> tuple[int, int]:  # pragma: no cover - in Journal
        raise NotImplementedError

    def campaigns(self) -> list[CampaignSummary]:  # pragma: no cover - in Journal
        raise NotImplementedError

    def quiet_groups(self, campaign_id: int) -> dict[int, QuietGroup]:
        """The campaign's quiet groups by id (empty when it ignores quiet hours)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, zones, regions, window, guessed FROM quiet_groups"
                " WHERE campaign_id=? ORDER BY id",
                (campaign_id,),
            ).fetchall()
        return {
            gid: QuietGroup(
                tuple(json.loads(zones)),
                tuple(json.loads(regions)),
                Window(tuple(tuple(h) if h is not None else None for h in json.loads(window))),
                bool(guessed),
            )
            for gid, zones, regions, window, guessed in rows
        }

    def pending_by_group(self, campaign_id: int) -> dict[int | None, int]:
        """Pending rows per quiet group (None: rows that may go at any hour)."""
        first, last = self.id_range(campaign_id)
        with self._lock:
            rows = self._conn.execute(
                "SELECT r.quiet_group, COUNT(*) FROM outcomes o JOIN recipient_rows r"
                " ON r.id = o.id WHERE o.id BETWEEN ? AND ? AND o.outcome=?"
                " GROUP BY r.quiet_group",
                (first, last, PENDING),
            ).fetchall()
        return {group: n for group, n in rows}

    def scheduled_for(self, campaign_id: int) -> datetime | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT scheduled_for FROM campaigns WHERE id=?", (campaign_id,)
            ).fetchone()
        if row is None:
            raise CampaignError(f"There is no campaign number {campaign_id} in the send history.")
        return datetime.fromisoformat(row[0]) if row[0] else None

    def reschedule(self, campaign_id: int, when: datetime | None) -> None:
        """Move a scheduled campaign to `when`, or (None) start it now: it becomes new."""
        self._change_schedule(campaign_id, SCHEDULED if when else NEW, when)

    def cancel_schedule(self, campaign_id: int) -> None:
        """The operator cancelled a scheduled campaign: it is never started by itself."""
        self._change_schedule(campaign_id, CANCELLED, None)

    def _change_schedule(self, campaign_id: int, state: str, when: datetime | None) -> None:
        # A sender waiting for the due time (this app or `trackly send`) reads the state at
        # least once a minute and stops when the campaign is no longer scheduled.
        with write_transaction(self._conn, self._lock) as conn:
            row = conn.execute(
                "SELECT state, runner_pid FROM campaigns WHERE id=?", (campaign_id,)
            ).fetchone()
            if row is None or row[0] != SCHEDULED:
                raise CampaignError("Only a campaign that has not started can be changed.")
            conn.execute(
                "UPDATE campaigns SET state=?, scheduled_for=?, updated=? WHERE id=?",
                (state, None if when is None else utc_iso(when), utc_iso(datetime.now(UTC)),
                 campaign_id),
            )  # fmt: skip

    def scheduled_campaigns(self) -> list[CampaignSummary]:
        """Campaigns waiting for their due time, soonest first."""
        found = [c for c in self.campaigns() if c.state == SCHEDULED]
        return sorted(found, key=lambda c: c.scheduled_for or "")
