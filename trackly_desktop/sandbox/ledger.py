"""The sandbox's record of every queued message, so tests can assert exactly what was sent.

Entries are stored as plain tuples (a million-message benchmark fills it) and turned into
`LedgerEntry` objects only when read. Counting helpers work on the tuples directly.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

# Tuple layout of a stored entry.
_ID, _TO, _LIST, _BODY, _META, _TIME, _ENDPOINT = range(7)
_FIELDS = {"message_id": _ID, "to": _TO, "list_number": _LIST, "body": _BODY,
           "queued_at": _TIME, "endpoint": _ENDPOINT}  # fmt: skip

KeySpec = str | tuple[str, ...] | Callable[["LedgerEntry"], Hashable]


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One queued message: its id, recipient, sending list, final body (macros filled,
    links wrapped), metadata as sent, the time it was queued (epoch seconds) and the
    endpoint path that queued it."""

    message_id: str
    to: str
    list_number: str
    body: str
    metadata: dict[str, Any] | None
    queued_at: float
    endpoint: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "to": self.to,
            "list_number": self.list_number,
            "body": self.body,
            "metadata": self.metadata,
            "queued_at": self.queued_at,
            "endpoint": self.endpoint,
        }


def _getter(spec: str) -> Callable[[tuple], Hashable]:
    """A fast accessor for "to", "list_number", "metadata.row" and the like."""
    if spec in _FIELDS:
        return itemgetter(_FIELDS[spec])
    if spec.startswith("metadata."):
        name = spec[len("metadata.") :]
        return lambda t: t[_META].get(name) if t[_META] else None
    raise ValueError(f"unknown ledger field: {spec}")


def _keys(rows: list[tuple], key: KeySpec) -> Iterator[Hashable]:
    """The key of every row, computed column by column (C-level map/zip where possible)."""
    if callable(key):
        return (key(LedgerEntry(*row)) for row in rows)
    if isinstance(key, str):
        return map(_getter(key), rows)
    return zip(*[map(_getter(part), rows) for part in key], strict=True)


class Ledger:
    """Append-only (until `clear`) list of queued messages; thread-safe."""

    def __init__(self) -> None:
        self._rows: list[tuple] = []
        self._lock = threading.Lock()

    def extend(self, rows: Iterable[tuple]) -> None:
        """Add stored tuples (message_id, to, list, body, metadata, time, endpoint)."""
        with self._lock:
            self._rows.extend(rows)

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        with self._lock:
            self._rows = []

    def _snapshot(self) -> list[tuple]:
        with self._lock:
            return self._rows[:]

    def entries(self, offset: int = 0, limit: int | None = None) -> list[LedgerEntry]:
        """The entries in the order they were queued (a slice when offset/limit given)."""
        with self._lock:
            end = None if limit is None else offset + limit
            rows = self._rows[offset:end]
        return [LedgerEntry(*row) for row in rows]

    def count_by(self, key: KeySpec) -> Counter:
        """How many entries share each key: a field name ("to", "metadata.row"), a tuple
        of field names, or a function of a LedgerEntry."""
        return Counter(_keys(self._snapshot(), key))

    def repeated(self, key: KeySpec = ("to", "body")) -> dict[Hashable, int]:
        """Keys that occur more than once (empty when every key was queued exactly once)."""
        return {k: n for k, n in self.count_by(key).items() if n > 1}

    def count_where(self, field: str, value: Any) -> int:
        """How many entries have `field` equal to `value` (e.g. "to", "+14155550123")."""
        get = _getter(field)
        return sum(1 for row in self._snapshot() if get(row) == value)

    def stats(self, key: KeySpec, max_repeated: int = 100) -> dict[str, Any]:
        """count / distinct / repeated (the first `max_repeated`), as served over HTTP."""
        counts = self.count_by(key)
        repeated = [[k, n] for k, n in counts.items() if n > 1]
        return {
            "count": sum(counts.values()),
            "distinct": len(counts),
            "repeated_count": len(repeated),
            "repeated": repeated[:max_repeated],
        }
