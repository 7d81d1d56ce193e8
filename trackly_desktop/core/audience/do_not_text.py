"""The do-not-text list: numbers that are never texted again, whatever the spreadsheet says.

It lasts across files and campaigns: a small SQLite file beside the journal (the demo
journal has its own list beside it, so practice opt-outs never touch real ones). Each
number is kept in E.164 with when, why and where it came from.

Every check and every send reads it: `numbers()` loads the whole list as a set for
checking a spreadsheet (100,000 numbers load in tens of milliseconds, and a million
lookups in a set cost about as much), and `blocked()` asks about one batch's numbers just
before its request is claimed, so a number added by another process while a campaign is
paused is not sent when it resumes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from trackly_desktop.core.errors import TracklyDesktopError
from trackly_desktop.core.sqlite_writes import write_transaction
from trackly_desktop.paths import private_file

LIST_NAME = "do-not-text.sqlite3"
DEMO_LIST_NAME = "demo-do-not-text.sqlite3"
_DEMO_JOURNAL_PREFIX = "demo-"

# Where a number on the list came from.
FROM_OPT_OUT_ANSWER = "trackly_opted_out"  # Trackly answered `opted_out` for it
FROM_OPERATOR = "operator"  # "Don't text this person again" in the window
FROM_IMPORT = "import"  # a CSV/XLSX of numbers
FROM_COMMAND_LINE = "command_line"  # `trackly optouts add`
SOURCE_WORDS = {
    FROM_OPT_OUT_ANSWER: "Trackly reported an opt-out",
    FROM_OPERATOR: "Added in the app",
    FROM_IMPORT: "Imported",
    FROM_COMMAND_LINE: "Added on the command line",
}

_DDL = """
CREATE TABLE IF NOT EXISTS do_not_text (
    phone TEXT PRIMARY KEY,
    added TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
"""
# SQLite's limit on `?` per statement is 32,766 in current builds; stay far below it.
_QUERY_CHUNK = 900


class DoNotTextError(TracklyDesktopError):
    """The do-not-text list cannot be read or written."""


@dataclass(frozen=True, slots=True)
class DoNotTextEntry:
    phone: str  # E.164
    added: str  # ISO 8601, UTC
    reason: str
    source: str


def list_path_for_journal(journal_path: Path) -> Path:
    """The list that goes with a journal: beside it, the demo's own for the demo journal."""
    journal_path = Path(journal_path)
    demo = journal_path.name.startswith(_DEMO_JOURNAL_PREFIX)
    return journal_path.with_name(DEMO_LIST_NAME if demo else LIST_NAME)


def numbers_at(path: Path) -> frozenset[str]:
    """The numbers on the list at `path` (an empty set when there is no list there yet)."""
    if not Path(path).exists():
        return frozenset()
    with DoNotTextList(path) as dnt:
        return dnt.numbers()


def _now() -> datetime:
    return datetime.now(UTC)


def _matching(search: str) -> tuple[str, list[object]]:
    """The WHERE clause (with its parameters) of a search of the list."""
    term = search.strip()
    if not term:
        return "", []
    params: list[object] = [_like(term), _like(term)]
    clauses = ["reason LIKE ? ESCAPE '\\'", "source LIKE ? ESCAPE '\\'"]
    digits = "".join(ch for ch in term if ch.isdigit())
    if digits:
        clauses.append("phone LIKE ?")
        params.append(f"%{digits}%")
    return " WHERE " + " OR ".join(clauses), params


class DoNotTextList:
    """One do-not-text list file. Safe to share between threads; other processes may write
    the same file at the same time (SQLite's WAL and a busy timeout sort them out)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            private_file(self.path)  # phone numbers: readable by the user alone
            self._conn = sqlite3.connect(
                self.path, timeout=10.0, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_DDL)
        except sqlite3.Error as exc:
            raise DoNotTextError(
                f"The do-not-text list {self.path} cannot be opened ({exc})."
            ) from None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> DoNotTextList:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------

    def numbers(self) -> frozenset[str]:
        """Every number on the list, for checking a whole spreadsheet at once."""
        with self._reading() as conn:
            return frozenset(row[0] for row in conn.execute("SELECT phone FROM do_not_text"))

    def blocked(self, phones: Iterable[str]) -> set[str]:
        """Which of `phones` (E.164) are on the list now."""
        wanted = list(dict.fromkeys(phones))
        found: set[str] = set()
        with self._reading() as conn:
            for start in range(0, len(wanted), _QUERY_CHUNK):
                chunk = wanted[start : start + _QUERY_CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(
                    row[0]
                    for row in conn.execute(
                        f"SELECT phone FROM do_not_text WHERE phone IN ({marks})", chunk
                    )
                )
        return found

    def __contains__(self, phone: object) -> bool:
        return isinstance(phone, str) and bool(self.blocked([phone]))

    def __len__(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM do_not_text").fetchone()[0])

    def entries(
        self, search: str = "", limit: int | None = None, offset: int = 0
    ) -> list[DoNotTextEntry]:
        """The entries, newest first; `search` matches digits of the number, the reason or
        the source ("555 0134" finds +15555550134). `limit` and `offset` page through them."""
        where, params = _matching(search)
        sql = f"SELECT phone, added, reason, source FROM do_not_text{where}"
        sql += " ORDER BY added DESC, phone"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        with self._reading() as conn:
            return [DoNotTextEntry(*row) for row in conn.execute(sql, params)]

    def count_matching(self, search: str) -> int:
        """How many entries `entries(search)` lists."""
        where, params = _matching(search)
        with self._reading() as conn:
            row = conn.execute(f"SELECT COUNT(*) FROM do_not_text{where}", params).fetchone()
        return int(row[0])

    def in_number_order(self) -> list[DoNotTextEntry]:
        """Every entry in number order (for an export)."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT phone, added, reason, source FROM do_not_text ORDER BY phone"
            ).fetchall()
        return [DoNotTextEntry(*row) for row in rows]

    # -- changing --------------------------------------------------------------------------

    def add(self, phone: str, *, reason: str, source: str, when: datetime | None = None) -> bool:
        """Put one E.164 number on the list; False when it was already there (kept as was)."""
        return self.add_many([phone], reason=reason, source=source, when=when) == 1

    def add_many(
        self,
        phones: Iterable[str],
        *,
        reason: str,
        source: str,
        when: datetime | None = None,
    ) -> int:
        """Put numbers on the list in one transaction; returns how many were new."""
        stamp = (when or _now()).astimezone(UTC).isoformat(timespec="seconds")
        rows = [(p, stamp, reason, source) for p in dict.fromkeys(phones)]
        if not rows:
            return 0
        with self._writing() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO do_not_text (phone, added, reason, source)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )
            return conn.total_changes - before

    def remove(self, phone: str) -> bool:
        """Take a number off the list; False when it was not on it."""
        with self._writing() as conn:
            cur = conn.execute("DELETE FROM do_not_text WHERE phone=?", (phone,))
            return cur.rowcount > 0

    # -- plumbing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise DoNotTextError(
                    f"The do-not-text list {self.path} cannot be read ({exc})."
                ) from None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        try:
            with write_transaction(self._conn, self._lock) as conn:
                yield conn
        except sqlite3.Error as exc:
            raise DoNotTextError(
                f"The do-not-text list {self.path} cannot be changed ({exc})."
            ) from None


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
