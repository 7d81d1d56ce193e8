"""The server address each campaign was sent to, so a resume goes to the same place.

A practice campaign sent to the sandbox must never be resumed against the real service
(nor the other way round) because the resume forgot where it went. The address is
recorded once the key and the address were accepted, beside the campaign.
"""

from __future__ import annotations

import sqlite3
import threading

SERVERS_DDL = """
CREATE TABLE IF NOT EXISTS campaign_servers (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id),
    base_url TEXT NOT NULL
);
"""


class ServerBookkeeping:
    """Journal mixin: `remember_server` and `server_of`."""

    _conn: sqlite3.Connection
    _lock: threading.RLock

    def remember_server(self, campaign_id: int, base_url: str) -> None:
        with self._lock:
            self._conn.execute(SERVERS_DDL)
            self._conn.execute(
                "INSERT OR REPLACE INTO campaign_servers VALUES (?, ?)", (campaign_id, base_url)
            )

    def server_of(self, campaign_id: int) -> str | None:
        """The address the campaign was sent to; None for one recorded before this existed."""
        with self._lock:
            self._conn.execute(SERVERS_DDL)
            row = self._conn.execute(
                "SELECT base_url FROM campaign_servers WHERE campaign_id=?", (campaign_id,)
            ).fetchone()
        return None if row is None else str(row[0])
