"""The journal: SQLite record of every campaign, recipient, batch and outcome.

It is the source of truth for what was sent. Each state change is committed before the
step that depends on it (a batch is committed as in flight before its request goes out),
so a killed app loses nothing and never sends a message twice (see journal_schema for the
durability choice). The API key is never stored here.

Threads: one connection guarded by a lock, so one `Journal` may be shared by the window
thread and a send worker. A long write (creating a million-row campaign) holds the lock;
a window that must stay responsive meanwhile can open its own `Journal` on the same file
(WAL lets readers run beside the writer).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

from trackly_desktop import paths
from trackly_desktop.core.audience.local_times import QuietGroup
from trackly_desktop.core.campaign.rows import ReadyRows, insert_rows
from trackly_desktop.core.campaign.spec import (
    CampaignSpec,
    RecipientRecord,
    SendOptions,
)
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.journal.batches import BatchBookkeeping
from trackly_desktop.core.journal.decisions import OperatorDecisions
from trackly_desktop.core.journal.failure_codes import explain_code, is_retryable
from trackly_desktop.core.journal.quiet import QuietBookkeeping, insert_quiet_groups, utc_iso
from trackly_desktop.core.journal.schema import (
    CANCELLED,
    CONFIRMED_BY_CHECK,
    DONE,
    FAILED,
    IN_FLIGHT,
    INTERRUPTED,
    NEW,
    QUEUED,
    RUNNING_STATES,
    SCHEDULED,
    STOPPED_AUTH,
    UNCERTAIN,
    CampaignSummary,
    FailureRow,
    OutcomeCounts,
    UncertainRow,
    connect,
    now_iso,
)
from trackly_desktop.core.journal.sender_lock import is_being_sent
from trackly_desktop.core.journal.servers import ServerBookkeeping
from trackly_desktop.core.journal.storage import (
    damage_mark,
    is_damage,
    set_aside,
    storage_error,
)
from trackly_desktop.core.sqlite_writes import write_transaction


class Journal(BatchBookkeeping, OperatorDecisions, QuietBookkeeping, ServerBookkeeping):
    def __init__(self, path: Path | None = None) -> None:
        self.path = paths.journal_path() if path is None else Path(path)
        # Where a damaged journal was moved aside to at this opening (tell the operator).
        self.set_aside_to: Path | None = None
        self._conn = self._open()
        self._lock = threading.RLock()
        self._ranges: dict[int, tuple[int, int]] = {}
        self._cursors: dict[int, int] = {}  # campaign -> lowest id that may still be pending

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    def _open(self) -> sqlite3.Connection:
        """Connect; a damaged journal is set aside and a fresh one started, any other
        storage fault becomes one plain sentence."""
        try:
            if damage_mark(self.path).exists():
                self.set_aside_to = set_aside(self.path)
            return connect(self.path)
        except (sqlite3.Error, OSError) as exc:
            if not is_damage(exc) or self.set_aside_to is not None:
                raise storage_error(exc, self.path) or exc from None
        self.set_aside_to = set_aside(self.path)
        try:
            return connect(self.path)
        except (sqlite3.Error, OSError) as exc:
            raise storage_error(exc, self.path) or exc from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- creating --------------------------------------------------------------------------

    def create_campaign(
        self,
        spec: CampaignSpec,
        records: Iterable[RecipientRecord] | ReadyRows,
        *,
        quiet_groups: Sequence[QuietGroup] | None = None,
        scheduled_for: datetime | None = None,
    ) -> int:
        """Store the campaign and its ready rows in one transaction; returns its id.

        `records` are built a chunk of columns at a time (see campaign_rows); a plain
        iterable of RecipientRecord is chunked the same way. `quiet_groups` are the groups
        the chunks' `groups` index; `scheduled_for` makes the campaign wait until then.
        """
        options = spec.options
        chunks = records if isinstance(records, ReadyRows) else ReadyRows.from_records(records)
        with write_transaction(self._conn, self._lock) as conn:
            stamp = now_iso()
            cur = conn.execute(
                "INSERT INTO campaigns (created, updated, source_file, sheet, mapping,"
                " template, list_number, country, options, state, scheduled_for)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stamp,
                    stamp,
                    str(spec.source_file),
                    spec.sheet,
                    json.dumps(dict(spec.mapping), ensure_ascii=False, sort_keys=True),
                    spec.template,
                    spec.list_number,
                    spec.country,
                    options.to_json(),
                    NEW if scheduled_for is None else SCHEDULED,
                    None if scheduled_for is None else utc_iso(scheduled_for),
                ),
            )
            campaign_id = int(cur.lastrowid or 0)
            group_ids = insert_quiet_groups(conn, campaign_id, quiet_groups)
            total = 0
            for chunk in chunks:
                conn.executemany(
                    "INSERT INTO recipient_rows (campaign_id, row, phone, body, name,"
                    " contact_data, payload, quiet_group) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    insert_rows(campaign_id, chunk, spec.list_number, options, group_ids),
                )
                total += len(chunk.rows)
            if total == 0:
                raise CampaignError("There is nobody ready to send to in this campaign.")
            first_id, last_id = conn.execute(
                "SELECT MIN(id), MAX(id) FROM recipient_rows WHERE campaign_id=?",
                (campaign_id,),
            ).fetchone()
            if last_id - first_id + 1 != total:  # BEGIN IMMEDIATE makes this impossible
                raise CampaignError("The send history is damaged; please restart the app.")
            conn.execute(
                "INSERT INTO outcomes (id)"
                " SELECT id FROM recipient_rows WHERE id BETWEEN ? AND ?",
                (first_id, last_id),
            )
            conn.execute(
                "UPDATE campaigns SET total=?, first_id=?, last_id=? WHERE id=?",
                (total, first_id, last_id, campaign_id),
            )
        return campaign_id

    # -- reading ---------------------------------------------------------------------------

    def spec(self, campaign_id: int) -> CampaignSpec:
        row = self._campaign_row(
            campaign_id, "source_file, sheet, mapping, template, list_number, country, options"
        )
        return CampaignSpec(
            source_file=row[0],
            sheet=row[1],
            mapping=json.loads(row[2]),
            template=row[3],
            list_number=row[4],
            country=row[5],
            options=SendOptions.from_json(row[6]),
        )

    def state(self, campaign_id: int) -> str:
        return str(self._campaign_row(campaign_id, "state")[0])

    def _campaign_row(self, campaign_id: int, columns: str) -> tuple:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {columns} FROM campaigns WHERE id=?", (campaign_id,)
            ).fetchone()
        if row is None:
            raise CampaignError(f"There is no campaign number {campaign_id} in the send history.")
        return row

    def id_range(self, campaign_id: int) -> tuple[int, int]:
        """The campaign's first and last recipient id (they are consecutive)."""
        found = self._ranges.get(campaign_id)
        if found is None:
            first, last = self._campaign_row(campaign_id, "first_id, last_id")
            found = self._ranges[campaign_id] = (int(first), int(last))
        return found

    def counts(self, campaign_id: int) -> OutcomeCounts:
        first, last = self.id_range(campaign_id)
        with self._lock:
            rows = self._conn.execute(
                "SELECT outcome, COUNT(*) FROM outcomes WHERE id BETWEEN ? AND ? GROUP BY outcome",
                (first, last),
            ).fetchall()
        return OutcomeCounts(**{outcome: n for outcome, n in rows})

    def campaigns(self) -> list[CampaignSummary]:
        """Every campaign, newest first; a campaign whose sender died reads as interrupted."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, created, source_file, sheet, list_number, state, runner_pid,"
                " last_message, scheduled_for FROM campaigns ORDER BY id DESC"
            ).fetchall()
        out = []
        for cid, created, file, sheet, number, stored, _pid, message, due in rows:
            state = stored
            if (
                stored in RUNNING_STATES
                and stored != SCHEDULED
                and not is_being_sent(self.path, cid)
            ):
                state = INTERRUPTED
            counts = self.counts(cid)
            out.append(
                CampaignSummary(cid, created, file, sheet, number, state, counts, message, due)
            )
        return out

    def interrupted_campaigns(self) -> list[CampaignSummary]:
        """Campaigns with rows still to send or check, and nobody sending them now."""
        # "done" is included: "retry failed" puts rows of a finished campaign back in the queue.
        resumable = (INTERRUPTED, CANCELLED, STOPPED_AUTH, NEW, DONE)
        return [
            c
            for c in self.campaigns()
            if c.state in resumable and (c.counts.pending or c.counts.in_flight)
        ]

    def failures(self, campaign_id: int) -> list[FailureRow]:
        first, last = self.id_range(campaign_id)
        with self._lock:
            rows = self._conn.execute(
                "SELECT r.row, r.name, r.phone, o.code, o.error, r.edited"
                " FROM outcomes o JOIN recipient_rows r ON r.id = o.id"
                " WHERE o.id BETWEEN ? AND ? AND o.outcome=? ORDER BY r.row",
                (first, last, FAILED),
            ).fetchall()
        return [
            FailureRow(
                row=r,
                name=name,
                phone=phone,
                code=code or "",
                explanation=explain_code(code or "", error or ""),
                retryable=is_retryable(code or "", bool(edited)),
            )
            for r, name, phone, code, error, edited in rows
        ]

    def confirmed_by_check(self, campaign_id: int) -> int:
        """How many messages were sent again after a lost answer and found by Trackly's
        duplicate check to have gone out already (see `Batches.record_batch`)."""
        first, last = self.id_range(campaign_id)
        with self._lock:
            (n,) = self._conn.execute(
                "SELECT COUNT(*) FROM outcomes WHERE id BETWEEN ? AND ? AND outcome=? AND code=?",
                (first, last, QUEUED, CONFIRMED_BY_CHECK),
            ).fetchone()
        return int(n)

    def uncertain(self, campaign_id: int) -> list[UncertainRow]:
        first, last = self.id_range(campaign_id)
        with self._lock:
            rows = self._conn.execute(
                "SELECT r.row, r.name, r.phone, o.batch_id"
                " FROM outcomes o JOIN recipient_rows r ON r.id = o.id"
                " WHERE o.id BETWEEN ? AND ? AND o.outcome=? ORDER BY r.row",
                (first, last, UNCERTAIN),
            ).fetchall()
        return [UncertainRow(*r) for r in rows]

    def row_outcome(self, campaign_id: int, row: int) -> tuple[str, str] | None:
        """(outcome, phone) of one spreadsheet row, or None when it is not in the campaign."""
        with self._lock:
            found = self._conn.execute(
                "SELECT o.outcome, r.phone FROM recipient_rows r JOIN outcomes o ON o.id = r.id"
                " WHERE r.campaign_id=? AND r.row=?",
                (campaign_id, row),
            ).fetchone()
        return None if found is None else (found[0], found[1])

    def row_results(self, campaign_id: int) -> list[tuple]:
        """Per spreadsheet row: (row, phone used, outcome, code, error, edited, answered at).

        "answered at" is when the row's batch was answered (ISO, UTC), None if never sent.
        """
        first, last = self.id_range(campaign_id)
        with self._lock:
            return self._conn.execute(
                "SELECT r.row, r.phone, o.outcome, o.code, o.error, r.edited, b.finished"
                " FROM recipient_rows r JOIN outcomes o ON o.id = r.id"
                " LEFT JOIN batches b ON b.id = o.batch_id"
                " WHERE r.id BETWEEN ? AND ? ORDER BY r.row",
                (first, last),
            ).fetchall()

    def bodies(self, campaign_id: int, chunk: int = 50_000) -> Iterator[list[str]]:
        """The campaign's message bodies, a chunk at a time (for counting parts)."""
        first, last = self.id_range(campaign_id)
        for start in range(first, last + 1, chunk):
            with self._lock:
                rows = self._conn.execute(
                    "SELECT body FROM recipient_rows WHERE id BETWEEN ? AND ?",
                    (start, min(start + chunk - 1, last)),
                ).fetchall()
            yield [body for (body,) in rows]

__all__ = ["IN_FLIGHT", "Journal"]
