"""One write transaction on the journal: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def write_transaction(
    conn: sqlite3.Connection, lock: threading.RLock
) -> Iterator[sqlite3.Connection]:
    """Hold the journal's lock and SQLite's write lock for the `with` block.

    IMMEDIATE takes the write lock at BEGIN, so a second process writing the same journal
    waits (busy timeout) instead of failing half-way through; the block's state changes are
    committed together before the action that depends on them.
    """
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
