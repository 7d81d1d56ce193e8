"""The sandbox's record of every queued message, so tests can assert exactly what was sent.

A million-message send fills the ledger, and in the demo the sandbox shares the window's
process, so how it is stored decides how long every full garbage collection holds the
GIL (tests/benchmarks/bench_gui_stall.py --gc-log): one tuple per entry cost 300-600 ms a
collection, and even one list per field ~170 ms, because the collector still visits each
of the 7 million values. So each extended batch is stored as one tuple of per-field
tuples of strings and floats, with the batch's metadata as a single JSON text: CPython
stops tracking such tuples at their first collection, after which a full collection
visits one object per batch, never the entries. `LedgerEntry` objects (and metadata
dicts) are made only when entries are read.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

KeySpec = str | tuple[str, ...] | Callable[["LedgerEntry"], Hashable]

# Field order of a row, as `Ledger.extend` receives it and a stored batch holds it.
_FIELDS = ("message_id", "to", "list_number", "body", "metadata", "queued_at", "endpoint")
_META = _FIELDS.index("metadata")

# One extended batch: per field, a tuple of that field's values; metadata as JSON text of
# the list of each entry's metadata.
Batch = tuple[Any, ...]


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


def _pack(rows: Iterable[tuple]) -> Batch | None:
    columns = list(zip(*rows, strict=True))
    if not columns:
        return None
    if len(columns) != len(_FIELDS):
        raise ValueError(f"a ledger row has {len(_FIELDS)} fields, not {len(columns)}")
    columns[_META] = json.dumps(columns[_META], separators=(",", ":"))
    return tuple(columns)


def _column(batch: Batch, field: int) -> tuple[Any, ...] | list[Any]:
    return json.loads(batch[field]) if field == _META else batch[field]


def _metadata_field(name: str) -> Callable[[Any], Hashable]:
    def get(metadata: Any) -> Hashable:
        return metadata.get(name) if metadata else None

    return get


class _Snapshot:
    """The batches stored when it was taken (a stored batch never changes)."""

    def __init__(self, batches: list[Batch], ends: list[int]) -> None:
        self._batches = batches
        self._ends = ends  # running total of entries at the end of each batch

    def column(self, spec: str) -> Iterator[Hashable]:
        """The values of "to", "list_number", "metadata.row" and the like, in order."""
        if spec in _FIELDS and spec != "metadata":
            field = _FIELDS.index(spec)
            return chain.from_iterable(batch[field] for batch in self._batches)
        if spec.startswith("metadata."):
            metadata = chain.from_iterable(_column(batch, _META) for batch in self._batches)
            return map(_metadata_field(spec[len("metadata.") :]), metadata)
        raise ValueError(f"unknown ledger field: {spec}")

    def entries(self, start: int = 0, stop: int | None = None) -> Iterator[LedgerEntry]:
        if start < 0 or (stop is not None and stop < start):
            raise ValueError("ledger offset and limit must not be negative")
        total = self._ends[-1] if self._ends else 0
        stop = total if stop is None else min(stop, total)
        first = bisect.bisect_right(self._ends, start)
        skip = start - (self._ends[first - 1] if first else 0)
        rows = chain.from_iterable(
            zip(*(_column(batch, f) for f in range(len(_FIELDS))), strict=True)
            for batch in self._batches[first:]
        )
        for row in islice(rows, skip, skip + max(0, stop - start)):
            yield LedgerEntry(*row)

    def keys(self, key: KeySpec) -> Iterator[Hashable]:
        """The key of every entry, computed column by column (C-level map/zip)."""
        if callable(key):
            return map(key, self.entries())
        if isinstance(key, str):
            return self.column(key)
        return zip(*[self.column(part) for part in key], strict=True)


class Ledger:
    """Append-only (until `clear`) record of queued messages; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batches: list[Batch] = []
        self._ends: list[int] = []

    def extend(self, rows: Iterable[tuple]) -> None:
        """Add rows (message_id, to, list, body, metadata, time, endpoint)."""
        batch = _pack(rows)
        if batch is None:
            return
        with self._lock:
            self._ends.append(len(self) + len(batch[0]))
            self._batches.append(batch)

    def __len__(self) -> int:
        ends = self._ends
        return ends[-1] if ends else 0

    def clear(self) -> None:
        with self._lock:
            self._batches = []
            self._ends = []

    def _snapshot(self) -> _Snapshot:
        with self._lock:
            return _Snapshot(self._batches[:], self._ends[:])

    def entries(self, offset: int = 0, limit: int | None = None) -> list[LedgerEntry]:
        """The entries in the order they were queued (a slice when offset/limit given)."""
        stop = None if limit is None else offset + limit
        return list(self._snapshot().entries(offset, stop))

    def count_by(self, key: KeySpec) -> Counter:
        """How many entries share each key: a field name ("to", "metadata.row"), a tuple
        of field names, or a function of a LedgerEntry."""
        return Counter(self._snapshot().keys(key))

    def repeated(self, key: KeySpec = ("to", "body")) -> dict[Hashable, int]:
        """Keys that occur more than once (empty when every key was queued exactly once)."""
        return {k: n for k, n in self.count_by(key).items() if n > 1}

    def count_where(self, field: str, value: Any) -> int:
        """How many entries have `field` equal to `value` (e.g. "to", "+14155550123")."""
        return sum(1 for v in self._snapshot().column(field) if v == value)

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
