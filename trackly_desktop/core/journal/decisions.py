"""The operator's decisions on a campaign's rows, recorded in the journal.

Mixed into `Journal`: fix a failed row's number ("fix it in the table and retry"), put
retryable failures back in the queue ("retry failed"), and settle rows whose outcome is
unknown, by resending them under the duplicate check or by counting them as sent.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence

from trackly_desktop.core.campaign.spec import (
    E164_RE,
    CampaignSpec,
    RecipientRecord,
    message_payload,
)
from trackly_desktop.core.errors import CampaignError
from trackly_desktop.core.journal.failure_codes import is_retryable
from trackly_desktop.core.journal.schema import (
    FAILED,
    PENDING,
    UNCERTAIN,
    FailureRow,
    now_iso,
)
from trackly_desktop.core.sqlite_writes import write_transaction


class OperatorDecisions:
    _conn: sqlite3.Connection
    _lock: threading.RLock
    _cursors: dict[int, int]

    # Provided by Journal.
    def spec(self, campaign_id: int) -> CampaignSpec:  # pragma: no cover
        raise NotImplementedError

    def failures(self, campaign_id: int) -> list[FailureRow]:  # pragma: no cover
        raise NotImplementedError

    def id_range(self, campaign_id: int) -> tuple[int, int]:  # pragma: no cover
        raise NotImplementedError

    def update_phone(
        self, campaign_id: int, row: int, new_e164: str, new_body: str | None = None
    ) -> None:
        """Fix a failed row's number (and body) so "retry failed" can send it."""
        if not E164_RE.match(new_e164 or ""):
            raise CampaignError(
                "The new number must be in international format, such as +14155551234."
            )
        spec = self.spec(campaign_id)
        with self._lock:
            found = self._conn.execute(
                "SELECT o.outcome, r.body, r.name, r.contact_data"
                " FROM recipient_rows r JOIN outcomes o ON o.id = r.id"
                " WHERE r.campaign_id=? AND r.row=?",
                (campaign_id, row),
            ).fetchone()
            if found is None:
                raise CampaignError(f"Row {row} is not part of this campaign.")
            outcome, body, name, contact_data = found
            if outcome not in (FAILED, PENDING):
                raise CampaignError(
                    f"Row {row} has already been sent or is being sent; it cannot be changed."
                )
            body = body if new_body is None else new_body
            record = RecipientRecord(row, new_e164, body, name, json.loads(contact_data))
            payload = message_payload(campaign_id, record, spec.list_number, spec.options)
            self._write(
                "UPDATE recipient_rows SET phone=?, body=?, payload=?, edited=1"
                " WHERE campaign_id=? AND row=?",
                (new_e164, body, payload, campaign_id, row),
            )

    def mark_for_retry(self, campaign_id: int, rows: Sequence[int] | None = None) -> int:
        """Put failed rows whose error can succeed on a second try back in the queue."""
        wanted = None if rows is None else set(rows)
        candidates = [
            f.row
            for f in self.failures(campaign_id)
            if f.retryable and (wanted is None or f.row in wanted)
        ]
        self._set_outcome(campaign_id, candidates, FAILED, PENDING, recheck=False)
        return len(candidates)

    def sendable_again(self, campaign_id: int) -> int:
        """How many rows "Send again to the ones that failed" would send (Results and
        History alike): the failures `mark_for_retry` takes, and the uncertain rows."""
        first, last = self.id_range(campaign_id)
        with self._lock:
            groups = self._conn.execute(
                "SELECT o.outcome, o.code, r.edited, COUNT(*)"
                " FROM outcomes o JOIN recipient_rows r ON r.id = o.id"
                " WHERE o.id BETWEEN ? AND ? AND o.outcome IN (?, ?)"
                " GROUP BY o.outcome, o.code, r.edited",
                (first, last, FAILED, UNCERTAIN),
            ).fetchall()
        return sum(
            n
            for outcome, code, edited, n in groups
            if outcome == UNCERTAIN or is_retryable(code or "", bool(edited))
        )

    def resend_uncertain(self, campaign_id: int, rows: Sequence[int] | None = None) -> int:
        """The operator chose to resend uncertain rows: with the duplicate check on, always."""
        chosen = self._rows_in(campaign_id, UNCERTAIN, rows)
        self._set_outcome(campaign_id, chosen, UNCERTAIN, PENDING, recheck=True)
        return len(chosen)

    def _rows_in(self, campaign_id: int, outcome: str, rows: Sequence[int] | None) -> list[int]:
        wanted = None if rows is None else set(rows)
        first, last = self.id_range(campaign_id)
        with self._lock:
            found = self._conn.execute(
                "SELECT r.row FROM outcomes o JOIN recipient_rows r ON r.id = o.id"
                " WHERE o.id BETWEEN ? AND ? AND o.outcome=?",
                (first, last, outcome),
            ).fetchall()
        return [r for (r,) in found if wanted is None or r in wanted]

    def _set_outcome(
        self, campaign_id: int, rows: list[int], old: str, new: str, *, recheck: bool
    ) -> None:
        with write_transaction(self._conn, self._lock) as conn:
            # batch_id is cleared when a row goes back to the queue: the operator's
            # decision is not undone by the recheck-window rule of the next run.
            conn.executemany(
                "UPDATE outcomes SET outcome=?, code=NULL, error=NULL, recheck=?,"
                " batch_id=CASE WHEN ?=? THEN NULL ELSE batch_id END"
                " WHERE outcome=? AND id=(SELECT id FROM recipient_rows"
                " WHERE campaign_id=? AND row=?)",
                [(new, int(recheck), new, PENDING, old, campaign_id, r) for r in rows],
            )
            if new == PENDING:
                self._cursors.pop(campaign_id, None)  # rows behind the claim cursor
            conn.execute("UPDATE campaigns SET updated=? WHERE id=?", (now_iso(), campaign_id))

    def _write(self, sql: str, params: tuple) -> None:
        with write_transaction(self._conn, self._lock) as conn:
            conn.execute(sql, params)
