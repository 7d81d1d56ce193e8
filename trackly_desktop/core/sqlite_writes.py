"""One SQLite write transaction: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error.

The journal and the do-not-text list both write this way; it is written once, here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any


@contextmanager
def write_transaction(
    conn: sqlite3.Connection, lock: AbstractContextManager[Any]
) -> Iterator[sqlite3.Connection]:
    """Hold the caller's lock and SQLite's write lock for the `with` block.

    IMMEDIATE takes the write lock at BEGIN, so a second process writing the same database
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
