"""The journal's SQLite schema, connection settings and the records it hands out.

Durability choice: WAL with `synchronous=NORMAL`. A commit in WAL mode is written to the
WAL file before `COMMIT` returns, so it survives the app being killed (SIGKILL, crash) at
any moment; only a power cut or an OS crash can lose the last few commits. That is the
failure the brief allows: the guarantee that matters, "a batch is recorded as in flight
before its request goes out", holds against a killed process. `TRACKLY_JOURNAL_SYNC=FULL`
switches to fsync-per-commit for anyone who wants power-loss safety at a cost in speed.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trackly_desktop.paths import private_file

# 3: quiet hours (quiet_groups, recipient_rows.quiet_group) and sending later
# (campaigns.scheduled_for). A version-2 app would send held messages at night, so it must
# refuse a version-3 file; a version-2 file is upgraded in place (`_upgrade_2_to_3`).
SCHEMA_VERSION = 3

# A row that may have gone out is resent automatically only within this many seconds of its
# request: the provider's duplicate check (10 minutes in the sandbox) must still remember it.
RECHECK_WINDOW_S = 540

# Campaign states.
SENDING = "sending"
PAUSED = "paused"
CANCELLED = "cancelled"
STOPPED_AUTH = "stopped_auth"
INTERRUPTED = "interrupted"
DONE = "done"
NEW = "new"
SCHEDULED = "scheduled"  # waits for its due time (campaigns.scheduled_for)
WAITING = "waiting"  # a sender runs, and every message left is held for its window
CAMPAIGN_STATES = (
    NEW, SCHEDULED, SENDING, WAITING, PAUSED, CANCELLED, STOPPED_AUTH, INTERRUPTED, DONE,
)  # fmt: skip
# States in which a live runner_pid owns the campaign.
RUNNING_STATES = (SCHEDULED, SENDING, WAITING, PAUSED)

# Recipient outcomes. "in_flight" rows belong to a batch whose request may be out.
PENDING = "pending"
IN_FLIGHT = "in_flight"
QUEUED = "queued"
FAILED = "failed"
UNCERTAIN = "uncertain"
# Found on the do-not-text list when its batch was claimed: never sent, never retried.
EXCLUDED = "excluded"
OUTCOMES = (PENDING, IN_FLIGHT, QUEUED, FAILED, UNCERTAIN, EXCLUDED)
# The code a queued row keeps when it was sent again after a lost answer and Trackly's
# duplicate check answered that it had gone out already (no second copy was sent).
CONFIRMED_BY_CHECK = "duplicate_message"

# Batch states (a batch row is created at the moment it goes in flight).
BATCH_IN_FLIGHT = "in_flight"
BATCH_DONE = "done"
BATCH_UNCERTAIN = "uncertain"
BATCH_RELEASED = "released"  # never reached the server; its rows went back to pending

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS campaigns (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    source_file TEXT NOT NULL,
    sheet TEXT,
    mapping TEXT NOT NULL,
    template TEXT NOT NULL,
    list_number TEXT NOT NULL,
    country TEXT NOT NULL,
    options TEXT NOT NULL,
    state TEXT NOT NULL,
    runner_pid INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    first_id INTEGER NOT NULL DEFAULT 0,
    last_id INTEGER NOT NULL DEFAULT -1,
    last_message TEXT NOT NULL DEFAULT '',
    scheduled_for TEXT
);
CREATE TABLE IF NOT EXISTS recipient_rows (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    row INTEGER NOT NULL,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    contact_data TEXT NOT NULL DEFAULT '{}',
    payload TEXT NOT NULL,
    edited INTEGER NOT NULL DEFAULT 0,
    quiet_group INTEGER,
    UNIQUE (campaign_id, row)
);
-- A campaign's rows grouped by their time zones and texting window (core.audience), frozen
-- when the campaign is made. A row whose quiet_group is NULL may be sent at any hour.
CREATE TABLE IF NOT EXISTS quiet_groups (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    zones TEXT NOT NULL,
    regions TEXT NOT NULL,
    window TEXT NOT NULL,
    guessed INTEGER NOT NULL DEFAULT 0
);
-- The hot state, one narrow row per recipient (same id), so that settling a batch rewrites
-- a few pages, not the wide recipient rows. A campaign's recipients have consecutive ids
-- (inserted in one transaction; campaigns.first_id..last_id), so every per-campaign query
-- is a range scan of the primary key and no index has to be updated per message.
CREATE TABLE IF NOT EXISTS outcomes (
    id INTEGER PRIMARY KEY,
    outcome TEXT NOT NULL DEFAULT 'pending',
    batch_id INTEGER,
    recheck INTEGER NOT NULL DEFAULT 0,
    code TEXT,
    error TEXT,
    message_id TEXT
);
-- One row per recipient with its outcome, for reading (reports, tests, a curious admin).
CREATE VIEW IF NOT EXISTS recipients AS
    SELECT r.id, r.campaign_id, r.row, r.phone, r.body, r.name, r.contact_data, r.payload,
           r.edited, o.outcome, o.batch_id, o.recheck, o.code, o.error, o.message_id
    FROM recipient_rows r JOIN outcomes o ON o.id = r.id;
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    state TEXT NOT NULL,
    size INTEGER NOT NULL,
    recheck INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    finished TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS batches_by_state ON batches (campaign_id, state);
"""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _set_aside_development_journal(path: Path) -> None:
    """Version 1 existed only in development builds, in a shape nothing can resume; keep
    such a file beside the new one rather than fail to start."""
    if not path.exists():
        return
    probe = sqlite3.connect(path)
    try:
        row = probe.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        probe.close()
    if row is not None and int(row[0]) == 1:
        for suffix in ("", "-wal", "-shm"):
            old = path.with_name(path.name + suffix)
            if old.exists():
                os.replace(old, path.with_name(path.name + ".v1" + suffix))


def _stored_version(conn: sqlite3.Connection) -> tuple | None:
    try:
        return conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.OperationalError:  # a new, empty file
        return None


def _upgrade_2_to_3(conn: sqlite3.Connection) -> None:
    """Add the quiet-hours and schedule columns to a version-2 journal (rows: any hour)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(recipient_rows)")}
        if "quiet_group" not in columns:
            conn.execute("ALTER TABLE recipient_rows ADD COLUMN quiet_group INTEGER")
        columns = {r[1] for r in conn.execute("PRAGMA table_info(campaigns)")}
        if "scheduled_for" not in columns:
            conn.execute("ALTER TABLE campaigns ADD COLUMN scheduled_for TEXT")
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def connect(path: Path) -> sqlite3.Connection:
    """Open (and create or upgrade) the journal at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _set_aside_development_journal(path)
    private_file(path)  # names and numbers: readable by the user alone (-wal/-shm follow)
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT), so the
    # moment each state change becomes durable is visible in the code.
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    try:
        return _prepare(conn)
    except BaseException:
        conn.close()
        raise


def _prepare(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA journal_mode=WAL")
    sync = "FULL" if os.environ.get("TRACKLY_JOURNAL_SYNC", "").upper() == "FULL" else "NORMAL"
    conn.execute(f"PRAGMA synchronous={sync}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    row = _stored_version(conn)
    if row is not None and int(row[0]) < SCHEMA_VERSION:
        _upgrade_2_to_3(conn)
    conn.executescript(DDL)
    if row is None:
        # OR IGNORE: two connections may create a new journal at once (the window's start-up
        # look for unfinished sends and a send, or the CLI beside the window).
        conn.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
    elif int(row[0]) > SCHEMA_VERSION:
        conn.close()
        from trackly_desktop.core.errors import CampaignError  # noqa: PLC0415 - error path only

        raise CampaignError(
            "The send history was written by a newer version of Trackly Desktop; "
            "please update the app."
        )
    return conn


@dataclass(frozen=True)
class OutcomeCounts:
    pending: int = 0
    in_flight: int = 0
    queued: int = 0
    failed: int = 0
    uncertain: int = 0
    excluded: int = 0  # not counted in `total`: these rows are never sent

    @property
    def total(self) -> int:
        return self.pending + self.in_flight + self.queued + self.failed + self.uncertain


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    created: str
    file: str
    sheet: str | None
    list_number: str
    state: str
    counts: OutcomeCounts
    last_message: str = ""
    scheduled_for: str | None = None  # ISO 8601 UTC, while the campaign waits to start


@dataclass(frozen=True)
class FailureRow:
    row: int
    name: str
    phone: str
    code: str
    explanation: str
    retryable: bool


@dataclass(frozen=True)
class UncertainRow:
    row: int
    name: str
    phone: str
    batch_id: int | None


@dataclass(frozen=True)
class ClaimedBatch:
    """A batch recorded as in flight; `payloads[i]` is message `index` i of the request."""

    id: int
    recipient_ids: list[int]
    rows: list[int]
    payloads: list[str]
    recheck: list[bool]
    phones: list[str] = field(default_factory=list)  # E.164 of each message
    excluded: int = 0  # rows found on the do-not-text list while claiming (not in the batch)
